// Registry pages. Organisation "covered units" form: ticking a search result moves it into the
// selected list, so a later search (which replaces the results) does not drop it.
document.addEventListener("change", (evt) => {
  const box = evt.target;
  if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-dj-candidate") || !box.checked) return;
  const selected = document.getElementById("dj-selected-units");
  const row = box.closest(".dj-unit-row");
  if (!selected || !row) return;
  box.removeAttribute("data-dj-candidate");
  selected.appendChild(row);
});

// Enter in a search box inside a data-entry form searches instead of submitting the form.
document.addEventListener("keydown", (evt) => {
  const el = evt.target;
  if (evt.key !== "Enter" || !(el instanceof HTMLInputElement) || el.type !== "search") return;
  if (el.form && el.form.method === "post") evt.preventDefault();
});
