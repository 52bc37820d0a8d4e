// A table wider than its box scrolls inside it (.table-wrap). A keyboard must be able to
// scroll it too, so such a box joins the tab order with a name; one that fits stays out.
// Checked again when the window's width changes.
(function () {
  "use strict";

  function heading(box) {
    var section = box.closest("section, .card");
    var title = section && section.querySelector("h1, h2, h3");
    return title ? title.textContent.trim() + ": " : "";
  }

  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", heading(box) + "table, scrolls sideways");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  mark();
  window.addEventListener("resize", mark);
})();
