// Session timeout warning (progressive enhancement: without JavaScript the page shows the time
// the session ends). A few minutes before the end the note turns into a warning with a button
// that keeps the session (asking /sitzung is a request, which extends it).
(function () {
  "use strict";
  var note = document.getElementById("sitzung");
  if (!note || !window.fetch) { return; }
  var stateUrl = note.getAttribute("data-state-url");
  var warningMs = parseInt(note.getAttribute("data-warning-seconds"), 10) * 1000;
  // the tenant's clock, as the server wrote the first time (not the browser's own zone)
  var timeZone = note.getAttribute("data-time-zone") || undefined;
  var timer = null;

  function schedule(expires) {
    if (timer) { window.clearTimeout(timer); }
    var left = new Date(expires).getTime() - Date.now();
    timer = window.setTimeout(warn, Math.max(0, left - warningMs));
    var end = note.querySelector(".session-end");
    if (end) {
      end.textContent = new Date(expires).toLocaleTimeString(
        "de-DE", {hour: "2-digit", minute: "2-digit", timeZone: timeZone});
    }
  }

  function keep() {
    window.fetch(stateUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (!state.active) { window.location.reload(); return; }
        note.classList.remove("warning");
        note.removeAttribute("role");
        var button = note.querySelector("button");
        if (button) { button.remove(); }
        schedule(state.expires);
      });
  }

  function warn() {
    note.classList.add("warning");
    note.setAttribute("role", "alert");
    if (!note.querySelector("button")) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Sitzung verlängern";
      button.addEventListener("click", keep);
      note.appendChild(document.createTextNode(" Ihre Sitzung läuft bald ab. "));
      note.appendChild(button);
    }
  }

  window.fetch(stateUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then(function (r) { return r.json(); })
    .then(function (state) { if (state.active) { schedule(state.expires); } });
}());
