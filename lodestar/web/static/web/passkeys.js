// Once the browser has made a passkey (django-otp-webauthn's script says so with an event),
// the second-factor page is read again: it lists the new passkey and, for a first second
// factor, shows the recovery codes once. A file, not an inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    window.location.assign(window.location.pathname);
  });
})();
