// The OKR tree: a closed branch's link loads its sub-objectives into place. Without
// JavaScript the link opens the branch as a page of its own.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-branch]");
    if (!link) return;
    event.preventDefault();
    fetch(link.href, { headers: { "X-Lodestar-Fragment": "1" }, credentials: "same-origin" })
      .then(function (answer) {
        if (!answer.ok) throw new Error(answer.status);
        return answer.text();
      })
      .then(function (html) {
        var list = document.createElement("ul");
        list.className = "okr-tree";
        list.innerHTML = html;
        link.parentNode.replaceWith(list);
      })
      .catch(function () {
        window.location.href = link.href;
      });
  });
})();
