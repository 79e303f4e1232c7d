// Site-wide behaviour. No inline scripts: the CSP only allows scripts from 'self'.
document.addEventListener("DOMContentLoaded", () => {
  // htmx requests carry the CSRF token Django expects.
  document.body.addEventListener("htmx:configRequest", (evt) => {
    const token = document.querySelector('meta[name="csrf-token"]');
    if (token) evt.detail.headers["X-CSRFToken"] = token.content;
  });
  // <select data-dj-autosubmit> submits its form when changed (language switch, filters).
  document.querySelectorAll("[data-dj-autosubmit]").forEach((el) =>
    el.addEventListener("change", () => el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit())
  );
  // Mobile navbar toggle without Bootstrap's JS bundle.
  document.querySelectorAll("[data-dj-toggle]").forEach((btn) =>
    btn.addEventListener("click", () => document.querySelector(btn.dataset.djToggle).classList.toggle("show"))
  );
});
