// Beside django-otp-webauthn's scripts (served from /static/, as the Content-Security-Policy asks).
// Loaded before them: their messages go through gettext, which casereview (in English only) does not translate.
"use strict";
window.gettext = window.gettext || ((text) => text);
// A passkey just added: the page is loaded again to list it, with the message saying so.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
