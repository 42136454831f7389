/* The idle-timeout warning (GOV.UK Design System's "timeout warning"), for the dialog in
   templates/snippets/session_timeout.html.

   The session ends after a time without requests. Before it does, a modal dialog says so and
   offers "Stay signed in" (a POST that keeps the session alive). Typing in a form keeps it alive
   too, with a request at most every few minutes, so someone writing a long narrative is never
   signed out. If the session ends anyway, nothing leaves the page: the dialog says what was
   typed has not been saved and how to keep it (sign in again in another tab, then save here:
   this page then takes the new CSRF token). Nothing typed is ever stored in the browser. */
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function") return;

  var url = dialog.dataset.url;
  var logoutUrl = new URL(dialog.dataset.logoutUrl, location.href).pathname;
  var idle = Number(dialog.dataset.idleSeconds) * 1000;
  var warning = Number(dialog.dataset.warningSeconds) * 1000;
  var keepAliveEvery = Number(dialog.dataset.keepAliveEvery) * 1000;
  var warningPart = dialog.querySelector("[data-timeout-part=warning]");
  var signedOutPart = dialog.querySelector("[data-timeout-part=signed-out]");
  var countdown = dialog.querySelector("[data-timeout-countdown]");
  var spoken = dialog.querySelector("[data-timeout-spoken]");
  var status = dialog.querySelector("[data-timeout-status]");

  // Said on the page itself once someone is signed in again; empty (and so unseen) until then.
  var announce = document.createElement("div");
  announce.setAttribute("role", "status");
  var main = document.getElementById("main");
  if (main) main.insertBefore(announce, main.firstChild);

  var expiresAt = Date.now() + idle; // loading the page has just renewed the session
  var lastKeepAlive = Date.now();
  var state = "active"; // "active", "warning" (the dialog counts down) or "signed-out"
  var asking = 0; // requests to the server under way
  var returnFocus = null;
  var spokenKey = null;

  function inWords(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    var words = [];
    if (minutes) words.push(minutes + (minutes === 1 ? " minute" : " minutes"));
    if (rest || !minutes) words.push(rest + (rest === 1 ? " second" : " seconds"));
    return words.join(" ");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Signing in again (in another tab) gives a new CSRF token: every form on the page takes it,
  // or saving what was typed would be refused.
  function useCsrfToken(token) {
    if (!token) return;
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  }

  // GET reads how long the session has left without extending it; POST keeps it alive.
  // Resolves to the seconds left (0 once signed out), or null if the server could not be reached.
  function ask(method) {
    var headers = { Accept: "application/json" };
    if (method === "POST") headers["X-CSRFToken"] = csrfToken();
    asking += 1;
    return fetch(url, { method: method, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 403 && method === "POST") return "refused";
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
        if (response.status === 401 || response.redirected || (response.ok && !json)) return 0;
        if (!response.ok) return null;
        return response.json().then(function (answer) {
          useCsrfToken(answer.csrf_token);
          return answer.seconds_left;
        });
      })
      .catch(function () { return null; })
      .finally(function () { asking -= 1; });
  }

  // The server's answer is the truth: another tab may have kept the session alive, or ended it.
  function heard(seconds) {
    if (seconds === null) return;
    if (seconds <= 0) {
      signedOut();
      return;
    }
    expiresAt = Date.now() + seconds * 1000;
  }

  function keepAlive() {
    lastKeepAlive = Date.now();
    return ask("POST").then(function (seconds) {
      if (seconds !== "refused") return seconds;
      // A CSRF token changed by signing in again elsewhere: read the new one and try once more.
      return ask("GET").then(function (left) {
        return left ? ask("POST") : left;
      });
    }).then(function (seconds) {
      heard(seconds === "refused" ? null : seconds);
      return seconds;
    });
  }

  function showPart(part) {
    warningPart.hidden = part !== warningPart;
    signedOutPart.hidden = part !== signedOutPart;
    dialog.setAttribute("aria-labelledby", part.querySelector("h2").id);
    dialog.setAttribute("aria-describedby", part.querySelector("p[id]").id);
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
    part.querySelector("button").focus();
  }

  function closeDialog() {
    if (dialog.open) dialog.close();
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
    returnFocus = null;
  }

  function showCountdown() {
    var seconds = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
    countdown.textContent = inWords(seconds);
    // Read out sparingly: as each minute passes, then once at 20 seconds.
    var key = seconds > 20 ? "m" + Math.ceil(seconds / 60) : "s";
    if (key !== spokenKey) {
      spokenKey = key;
      spoken.textContent = "For your security, we will sign you out in " + inWords(seconds) + ".";
    }
  }

  function openWarning() {
    state = "warning";
    spokenKey = null;
    showCountdown();
    showPart(warningPart);
  }

  function signedOut() {
    state = "signed-out";
    showPart(signedOutPart);
  }

  function stay() {
    keepAlive().then(function (seconds) {
      if (state === "warning" && seconds > 0) {
        state = "active";
        closeDialog();
      }
    });
  }

  function signedInAgain() {
    state = "active";
    status.textContent = "";
    closeDialog();
    // The refusal an htmx request met while signed out (static/js/casereview.js) no longer holds.
    var refused = document.getElementById("htmx-error");
    if (refused) refused.remove();
    announce.className = "alert alert-success";
    announce.textContent = "You are signed in again. What you typed is still on this page: save it now.";
  }

  // Resolves to true once a session is live again (signed in again in another tab).
  function checkSignedIn() {
    return ask("GET").then(function (seconds) {
      if (!seconds) return false;
      heard(seconds);
      if (state === "signed-out") signedInAgain();
      return true;
    });
  }

  function tick() {
    if (asking || state === "signed-out") return;
    var left = expiresAt - Date.now();
    if (state === "active" && left <= warning) {
      ask("GET").then(function (seconds) {
        heard(seconds);
        if (state === "active" && expiresAt - Date.now() <= warning) openWarning();
      });
    } else if (state === "warning" && left <= 0) {
      ask("GET").then(function (seconds) {
        // Unreachable at the end: it has ended as far as anyone here can tell.
        heard(seconds === null ? 0 : seconds);
        if (state === "warning" && expiresAt - Date.now() > warning) {
          // Kept alive from another tab.
          state = "active";
          closeDialog();
        }
      });
    } else if (state === "warning") {
      showCountdown();
    }
  }
  window.setInterval(tick, 1000);

  // Typing keeps the session alive, with a request at most every keepAliveEvery.
  function typed(event) {
    var target = event.target;
    if (state !== "active" || asking || dialog.contains(target)) return;
    if (!target.closest || !target.closest("form, [contenteditable]")) return;
    if (Date.now() - lastKeepAlive < keepAliveEvery) return;
    keepAlive();
  }
  document.addEventListener("input", typed, true);
  document.addEventListener("change", typed, true);

  // Each htmx request renewed the session, or found it ended.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || !xhr.status) return;
    if (xhr.status === 401) {
      signedOut();
    } else if (state === "active") {
      expiresAt = Date.now() + idle;
      lastKeepAlive = Date.now();
      if (xhr.status < 400) announce.textContent = announce.className = "";
    }
  });

  // Once signed out, a form sent as it is would be lost on the way to the sign-in page: it is
  // sent only if a session is live again, and otherwise the dialog says why not.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var posts = form.method === "post" || form.hasAttribute("hx-post");
    if (state !== "signed-out" || !posts || dialog.contains(form)) return;
    if (new URL(form.action, location.href).pathname === logoutUrl) return;
    event.preventDefault();
    event.stopPropagation();
    var submitter = event.submitter;
    checkSignedIn().then(function (live) {
      if (live) {
        form.requestSubmit(submitter || undefined);
        return;
      }
      status.textContent = "Not saved: you are still signed out. Sign in again in a new tab, then save here.";
      showPart(signedOutPart);
    });
  }, true);

  // Back from signing in again in another tab.
  function returned() {
    if (state === "signed-out" && document.visibilityState === "visible") checkSignedIn();
  }
  document.addEventListener("visibilitychange", returned);
  window.addEventListener("focus", returned);

  warningPart.querySelector("[data-timeout-stay]").addEventListener("click", stay);
  signedOutPart.querySelector("[data-timeout-close]").addEventListener("click", closeDialog);
  signedOutPart.querySelector("[data-timeout-check]").addEventListener("click", function () {
    checkSignedIn().then(function (live) {
      if (!live) status.textContent = "You are not signed in yet. Sign in again in a new tab, then come back to this tab.";
    });
  });

  // Escape means "Stay signed in" while the warning counts down, and "Close" once signed out;
  // Tab and Shift+Tab go round the dialog's own controls.
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      if (state === "warning") stay(); else closeDialog();
      return;
    }
    if (event.key !== "Tab") return;
    var part = state === "warning" ? warningPart : signedOutPart;
    var controls = Array.prototype.filter.call(part.querySelectorAll("a[href], button"), function (control) {
      return !control.disabled && control.offsetParent !== null;
    });
    if (!controls.length) return;
    var first = controls[0];
    var last = controls[controls.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  // Closed by the browser itself (a second Escape): the same as through its buttons.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    if (state === "warning") stay(); else closeDialog();
  });
  dialog.addEventListener("close", function () {
    if (state === "warning") stay();
    if (returnFocus) closeDialog();
  });
})();
