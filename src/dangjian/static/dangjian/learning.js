// Study page (/learning/contents/N/): while the page is visible, report the time spent every 15 s, so
// "time spent" and the completion threshold are measured by the server, not claimed by the client.
(function () {
  "use strict";
  const BEAT = 15;

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("dj-study");
    if (!box || box.dataset.completed) return;
    const minutes = document.getElementById("dj-study-minutes");
    let pending = 0;
    setInterval(function () {
      if (document.visibilityState !== "visible") return;
      pending += BEAT;
      const body = new URLSearchParams({ seconds: String(pending) });
      fetch(box.dataset.heartbeatUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": box.dataset.csrf },
      }).then(function (r) {
        if (!r.ok) return;
        pending = 0;
        return r.json().then(function (data) {
          if (minutes) minutes.textContent = String(Math.floor(data.seconds / 60));
        });
      }).catch(function () { /* offline: keep the seconds for the next beat */ });
    }, BEAT * 1000);
  });
})();
