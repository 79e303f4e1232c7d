// Import/export page behaviour (no inline scripts: CSP). The server checks everything again;
// the (translated) messages come from data-msg-* attributes of the form.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("dj-import-form");
  if (form) {
    const input = form.querySelector("input[type=file]");
    const message = document.getElementById("dj-file-client-error");
    const maxBytes = Number(form.dataset.maxBytes || 0) * 1024 * 1024;
    const problem = (file) => {
      if (!file) return "";
      const name = file.name.toLowerCase();
      if (name.endsWith(".xls")) return form.dataset.msgXls;
      if (!name.endsWith(".xlsx")) return form.dataset.msgType;
      if (maxBytes && file.size > maxBytes) return form.dataset.msgSize;
      return "";
    };
    const show = (text) => {
      message.textContent = text;
      message.hidden = !text;
      message.style.display = text ? "block" : "";
      input.classList.toggle("is-invalid", Boolean(text));
    };
    input.addEventListener("change", () => {
      form.querySelectorAll("[data-dj-file-error]").forEach((el) => el.remove());
      show(problem(input.files[0]));
    });
    form.addEventListener("submit", (evt) => {
      const text = problem(input.files[0]);
      if (text) {
        evt.preventDefault();
        show(text);
      }
    });
  }
  // Buttons that start slow work say so and cannot be clicked twice.
  document.body.addEventListener("submit", (evt) => {
    if (evt.defaultPrevented) return;
    const button = evt.target.querySelector("button[data-dj-busy-text]");
    if (button) {
      button.disabled = true;
      button.textContent = button.dataset.djBusyText;
    }
  });
  // Links that need a confirmation (exporting unmasked personal data).
  document.querySelectorAll("a[data-dj-confirm]").forEach((link) =>
    link.addEventListener("click", (evt) => {
      if (!window.confirm(link.dataset.djConfirm)) evt.preventDefault();
    })
  );
});
