// The OKR tree: a closed branch's link loads it into place, a sub-objective branch
// (data-branch) as rows of objectives, a unit (data-unit-branch) as its objectives and
// its sub-units' summary rows. Without JavaScript each link opens the branch as a page
// of its own.
(function () {
  "use strict";

  function load(link, put) {
    fetch(link.href, { headers: { "X-Lodestar-Fragment": "1" }, credentials: "same-origin" })
      .then(function (answer) {
        if (!answer.ok) throw new Error(answer.status);
        return answer.text();
      })
      .then(put)
      .catch(function () {
        window.location.href = link.href;
      });
  }

  document.addEventListener("click", function (event) {
    var objectives = event.target.closest("a[data-branch]");
    var unit = event.target.closest("a[data-unit-branch]");
    if (objectives) {
      event.preventDefault();
      load(objectives, function (html) {
        var list = document.createElement("ul");
        list.className = "okr-tree";
        list.innerHTML = html;
        objectives.parentNode.replaceWith(list);
      });
    } else if (unit) {
      event.preventDefault();
      load(unit, function (html) {
        var head = unit.closest(".unit-head");
        head.insertAdjacentHTML("afterend", html);
        unit.remove();
      });
    }
  });
})();
