// The save engine of a rich-text form (a report section, an IMR narrative): autosave a few
// seconds after typing stops, Ctrl+S to save now, optimistic concurrency (the form's
// base_version), a retry with the same save id when the connection or the server fails, and a
// warning before leaving with unsaved text.
//
// window.CaseReviewAutosave.create({
//   form, status, getBody: () => html, field: "body", delay: 2500,
//   onSaved(payload, sent), onConflict(payload, sent), onRefused(payload, sent),
//   extra: () => [[name, value], ...]   // optional: more fields sent with each save
// }) -> { changed(), saveNow(), stop(), resume(), isBusy(), lastSent() }
//
// The server answers JSON: 200 {version, saved_at}; 409 {conflict, merged, version};
// 400 {error, ...}; 401/403 or a redirect means signed out or not allowed. `sent` is the body
// the answered save carried. After a conflict or a refusal nothing is saved automatically
// until resume() or Ctrl+S.
(function () {
  "use strict";

  var RETRY_FIRST = 1000;
  var RETRY_MOST = 30000;

  function saveId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12); // older browsers
  }

  function create(options) {
    var form = options.form;
    var status = options.status;
    var field = options.field || "body";
    var delay = options.delay || 2500;
    var getBody = options.getBody;
    var extra = options.extra || function () { return []; };
    var noop = function () {};
    var onSaved = options.onSaved || noop;
    var onConflict = options.onConflict || noop;
    var onRefused = options.onRefused || noop;

    var dirty = false; // changed since the text of the last save attempt was taken
    var timer = null;
    var inFlight = null; // the save under way, as a promise
    var stopped = false; // after a refused save: no autosave until the person chooses
    var sent = null; // the body of the save under way (or answered last)
    // The save being attempted until the server answers it: its id, its body and its form. A
    // retry sends it unchanged (same id), so a save that committed while its answer was lost is
    // answered with the version it made instead of a conflict with oneself.
    var pending = null;
    var retries = 0;
    var retryTimer = null;

    function say(text) { if (status) status.textContent = text; }
    // Read at each request: after signing in again (static/js/timeout.js) the form holds the new token.
    function csrf() {
      var input = form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }
    function baseInput() { return form.querySelector("input[name=base_version]"); }
    function sync(body) {
      var input = form.elements.namedItem(field);
      if (input && "value" in input) input.value = body;
    }

    function save(autosave) {
      if (autosave && stopped) return Promise.resolve(null);
      if (inFlight) return inFlight.then(function () { return dirty ? save(autosave) : null; });
      clearTimeout(retryTimer);
      if (!pending) {
        var body = getBody();
        sync(body);
        var data = new FormData(form);
        data.set(field, body);
        extra().forEach(function (pair) { data.append(pair[0], pair[1]); });
        data.set("autosave", autosave ? "1" : "0");
        data.set("save_id", saveId());
        pending = { data: data, body: body };
        dirty = false;
      }
      var attempt = pending;
      sent = attempt.body;
      say(retries ? "Trying to save again…" : "Saving…");
      inFlight = fetch(form.action, {
        method: "POST",
        body: attempt.data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      }).then(function (response) {
        if (response.status >= 500) return retryLater();
        pending = null;
        retries = 0;
        if (response.redirected || response.status === 401 || response.status === 403) {
          dirty = true;
          stopped = true;
          say("Not saved: you are signed out, or may no longer change this text. Copy your text, sign in again and reload.");
          return null;
        }
        if ((response.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
          dirty = true;
          say("Not saved: the server could not complete the save (" + response.status + "). Your text is still here: press Ctrl+S to try again.");
          return null;
        }
        return response.json().then(function (payload) {
          if (response.ok) {
            var base = baseInput();
            if (base && payload.version !== undefined) base.value = payload.version;
            say("Saved at " + payload.saved_at + " (version " + payload.version + ")." +
                (dirty ? " Changes since then not saved yet…" : ""));
            onSaved(payload, attempt.body);
            if (dirty) schedule();
          } else if (response.status === 409) {
            dirty = true;
            stopped = true;
            say("Not saved: someone else saved this text first. Choose below how to go on.");
            onConflict(payload, attempt.body);
          } else {
            dirty = true;
            stopped = true;
            say("Not saved: " + (payload.error || "the server refused the change."));
            onRefused(payload, attempt.body);
          }
          return payload;
        });
      }, retryLater).finally(function () { inFlight = null; });
      return inFlight;
    }

    // The connection was lost or the server failed: the same save, later. Whether it committed
    // is unknown; its id lets the server say so.
    function retryLater() {
      var wait = Math.min(RETRY_MOST, RETRY_FIRST * Math.pow(2, retries));
      retries += 1;
      wait = Math.round(wait * (0.8 + Math.random() * 0.4)); // editors cut off together do not come back together
      say("Not saved yet — retrying in " + Math.max(1, Math.round(wait / 1000)) + " s. Your text is still here.");
      retryTimer = setTimeout(function () { if (!inFlight) save(false); }, wait);
      return null;
    }

    function schedule() {
      if (stopped) return;
      clearTimeout(timer);
      // While a save waits to be tried again, its retry comes first; what was typed follows it.
      timer = setTimeout(function () { if (dirty && !stopped && !pending) save(true); }, delay);
    }

    // The form posted without this script's help (the Save button): after the save under way,
    // with the same save id if the text is that of a save not yet answered.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      clearTimeout(retryTimer);
      var waiting = inFlight || Promise.resolve();
      waiting.then(function () {
        var body = getBody();
        sync(body);
        function hidden(name, value) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = name;
          input.value = value;
          form.append(input);
        }
        if (pending && pending.body === body) hidden("save_id", pending.data.get("save_id"));
        extra().forEach(function (pair) { hidden(pair[0], pair[1]); });
        pending = null; // the form carries it now
        dirty = false;
        form.submit();
      });
    });

    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        api.saveNow();
      }
    });

    window.addEventListener("beforeunload", function (event) {
      if (dirty || inFlight || pending) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    var api = {
      // The person changed the text: saved after `delay` of quiet.
      changed: function () {
        dirty = true;
        if (!pending) say("Changes not saved yet…");
        schedule();
      },
      // Save now (Ctrl+S), even after a refusal. Answers a promise of the payload (or null).
      saveNow: function () {
        clearTimeout(timer);
        stopped = false;
        dirty = true;
        return save(false);
      },
      // No automatic save until resume() (while the person chooses in a conflict).
      stop: function () {
        stopped = true;
        clearTimeout(timer);
      },
      resume: function () {
        stopped = false;
        dirty = true;
        schedule();
      },
      isBusy: function () { return Boolean(inFlight || pending); },
      lastSent: function () { return sent; },
    };
    return api;
  }

  window.CaseReviewAutosave = { create: create };
})();
