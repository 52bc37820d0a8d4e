// On a narrow screen the top bar folds its links behind a "Menu" button. A file, not an
// inline script (the Content-Security-Policy allows none). Without JavaScript nothing
// folds: the stylesheet shows the button only on a top bar marked foldable here.
(function () {
  "use strict";
  var bar = document.querySelector(".topbar");
  var button = bar && bar.querySelector(".menu-toggle");
  if (!button) return;
  bar.classList.add("foldable");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    bar.classList.toggle("open", open);
  });
})();
