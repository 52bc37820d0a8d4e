// The top bar's cycle menu shows the same page in the chosen cycle at once. A file,
// not an onchange attribute: the Content-Security-Policy allows no inline script.
// Without JavaScript the form's "Go" button does the same.
(function () {
  "use strict";
  var select = document.getElementById("nav-cycle");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
})();
