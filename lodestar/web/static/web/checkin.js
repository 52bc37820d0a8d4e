// "My key results": check in without leaving the page. Without JavaScript the forms
// post normally and the server redirects back; with it, the row updates in place.
(function () {
  "use strict";

  function badge(className, text) {
    var span = document.createElement("span");
    span.className = "badge " + className;
    span.textContent = text;
    return span;
  }

  function show(row, data) {
    var score = row.querySelector('[data-field="score"]');
    var scoreText = data.score === null ? "no score" : data.score.toFixed(2) + " " + data.colour;
    if (score) score.replaceChildren(badge("status-" + data.colour, scoreText));
    var pace = row.querySelector('[data-field="pace"]');
    if (pace) pace.replaceChildren(badge("pace-" + data.pace, data.pace_label));
    var current = row.querySelector('[data-field="current"]');
    if (current) current.textContent = data.current_label;
    var last = row.querySelector('[data-field="last-checkin"]');
    if (last) last.textContent = data.last_checkin_label;
  }

  function errorsText(errors) {
    return Object.keys(errors).map(function (field) {
      var words = errors[field].map(function (e) { return e.message; }).join(" ");
      return (field === "__all__" ? "" : field + ": ") + words;
    }).join(" ");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("checkin-form") || !window.fetch) return;
    event.preventDefault();
    var status = form.querySelector(".checkin-status");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = "Saving…";
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok) {
          var row = form.closest(".my-key-result") || document;
          show(row, result.data);
          status.textContent = result.data.message;
          var due = row.querySelector(".checkin-due");
          if (due) due.remove();
          var note = form.querySelector('[name="note"]');
          if (note) note.value = "";
        } else {
          status.textContent = errorsText(result.data.errors || {});
        }
      })
      .catch(function () {
        // The network failed: fall back to the ordinary post, which works without us.
        form.submit();
      })
      .finally(function () { button.disabled = false; });
  });
})();
