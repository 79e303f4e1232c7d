// Study page (/learning/contents/N/): while the page is visible, beat every 15 s. The server counts the time
// between beats itself (capped per beat, nothing for a beat that comes too soon), so the page claims nothing;
// a beat missed while offline is simply not counted.
(function () {
  "use strict";
  const BEAT = 15;

  document.addEventListener("DOMContentLoaded", function () {
    // Deleting a content asks first (no inline handlers: the CSP allows only this file's scripts).
    document.querySelectorAll("form[data-dj-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (evt) {
        if (!window.confirm(form.dataset.djConfirm)) evt.preventDefault();
      });
    });
    const box = document.getElementById("dj-study");
    if (!box || box.dataset.completed) return;
    const minutes = document.getElementById("dj-study-minutes");
    setInterval(function () {
      if (document.visibilityState !== "visible") return;
      fetch(box.dataset.heartbeatUrl, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": box.dataset.csrf },
      }).then(function (r) {
        if (!r.ok) return;
        return r.json().then(function (data) {
          if (minutes) minutes.textContent = String(Math.floor(data.seconds / 60));
        });
      }).catch(function () { /* offline: this beat is lost; the next one counts at most one interval */ });
    }, BEAT * 1000);
  });
})();
