// Linkage groups and the market: the deals chart (/alliances/), the scheme's map of groups and drag-and-drop
// between groups (/alliances/schemes/<id>/). Dropping a unit on another group submits that unit's own move form,
// so the page works the same without a mouse.
(function () {
  "use strict";

  function dealChart() {
    const node = document.getElementById("alliances-deals");
    const el = document.getElementById("deal-chart");
    if (!node || !el || typeof echarts === "undefined") return;
    const rows = JSON.parse(node.textContent);
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" }, grid: { left: 48, right: 12, top: 12, bottom: 24 },
      xAxis: { type: "category", data: rows.map((r) => r[0]) }, yAxis: { type: "value" },
      series: [{ type: "bar", barMaxWidth: 28, data: rows.map((r) => Math.round(r[1] * 10) / 10), itemStyle: { color: "#c62828" } }],
    });
    window.addEventListener("resize", () => chart.resize());
  }

  function schemeChart() {
    const node = document.getElementById("scheme-data");
    const el = document.getElementById("scheme-chart");
    if (!node || !el || typeof echarts === "undefined") return;
    const points = JSON.parse(node.textContent).points;
    const groups = [...new Set(points.map((p) => p[2]))].sort((a, b) => a - b);
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { formatter: (p) => p.data[3] + "<br>#" + p.data[2] },
      grid: { left: 8, right: 8, top: 8, bottom: 8 },
      xAxis: { type: "value", scale: true, show: false }, yAxis: { type: "value", scale: true, show: false },
      series: groups.map((g) => ({ type: "scatter", name: "#" + g, symbolSize: 9, data: points.filter((p) => p[2] === g) })),
    });
    window.addEventListener("resize", () => chart.resize());
  }

  function dragAndDrop() {
    const box = document.getElementById("dj-groups");
    if (!box || !box.dataset.draft) return;
    let dragged = null;
    box.querySelectorAll(".dj-unit[draggable=true]").forEach((unit) => {
      unit.addEventListener("dragstart", (e) => {
        dragged = unit;
        e.dataTransfer.setData("text/plain", unit.dataset.unit);
        e.dataTransfer.effectAllowed = "move";
      });
    });
    box.querySelectorAll(".dj-group").forEach((card) => {
      card.addEventListener("dragover", (e) => { e.preventDefault(); card.classList.add("border-primary"); });
      card.addEventListener("dragleave", () => card.classList.remove("border-primary"));
      card.addEventListener("drop", (e) => {
        e.preventDefault();
        card.classList.remove("border-primary");
        if (!dragged || dragged.closest(".dj-group") === card) return;
        const form = dragged.querySelector(".dj-move-form");
        form.querySelector("select[name=group]").value = card.dataset.group;
        form.submit();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => { dealChart(); schemeChart(); dragAndDrop(); });
})();
