// Request dashboard (/services/dashboard/): requests per month stacked by category, and the category mix.
// Data from the json_script "services-data".
(function () {
  "use strict";
  function ready() {
    const node = document.getElementById("services-data");
    if (!node || typeof echarts === "undefined") return;
    const data = JSON.parse(node.textContent);
    const names = Object.keys(data.volume).filter((k) => data.volume[k].some((n) => n > 0));
    const volume = echarts.init(document.getElementById("volume-chart"));
    volume.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" },
      grid: { left: 36, right: 12, top: 36, bottom: 24 },
      xAxis: { type: "category", data: data.months }, yAxis: { type: "value", minInterval: 1 },
      series: names.map((name) => ({ name: name, type: "bar", stack: "all", barMaxWidth: 28, data: data.volume[name] })),
    });
    const category = echarts.init(document.getElementById("category-chart"));
    category.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["40%", "70%"], label: { formatter: "{b}\n{c}" },
        data: names.map((name) => ({ name: name, value: data.volume[name].reduce((a, b) => a + b, 0) })) }],
    });
    window.addEventListener("resize", () => { volume.resize(); category.resize(); });
  }
  document.addEventListener("DOMContentLoaded", ready);
})();
