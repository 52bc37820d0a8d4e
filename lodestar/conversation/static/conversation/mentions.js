// Completes "@name" in the comment box from the people who may see the object (the
// server's list, as JSON); choosing one writes "@username". No inline code: CSP-clean.
(function () {
  "use strict";
  var box = document.getElementById("comment-body");
  if (!box) return;
  var list = box.parentNode.querySelector(".mention-suggestions");
  var pending = null;

  function wordBeforeCursor() {
    var before = box.value.slice(0, box.selectionStart);
    var match = /(^|\s)@([^\s@]*)$/.exec(before);
    return match ? match[2] : null;
  }

  function choose(username) {
    var start = box.selectionStart;
    var before = box.value.slice(0, start).replace(/@[^\s@]*$/, "@" + username + " ");
    box.value = before + box.value.slice(start);
    box.selectionStart = box.selectionEnd = before.length;
    list.hidden = true;
    box.focus();
  }

  function show(people) {
    list.textContent = "";
    people.forEach(function (person) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = person.name + " (@" + person.username + ")";
      button.addEventListener("click", function () { choose(person.username); });
      item.appendChild(button);
      list.appendChild(item);
    });
    list.hidden = people.length === 0;
  }

  box.addEventListener("input", function () {
    var word = wordBeforeCursor();
    if (word === null || word.length < 1) { list.hidden = true; return; }
    if (pending) pending.abort();
    pending = new AbortController();
    var url = box.dataset.people + "?q=" + encodeURIComponent(word);
    fetch(url, { credentials: "same-origin", signal: pending.signal })
      .then(function (answer) { return answer.ok ? answer.json() : { people: [] }; })
      .then(function (body) { show(body.people); })
      .catch(function () {});
  });
})();
