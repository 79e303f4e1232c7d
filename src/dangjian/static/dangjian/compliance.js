// Compliance dashboard (/orglife/compliance/): calendar heat map of meetings held per day, and the rate by
// child region or organisation with drill-down on click. Data from the json_script "compliance-data".
(function () {
  "use strict";

  function calendarChart(el, data) {
    const chart = echarts.init(el);
    const max = Math.max(1, ...data.calendar.map((d) => d[1]));
    chart.setOption({
      tooltip: { formatter: (p) => p.value[0] + "<br>" + data.labels.meetings + "：" + p.value[1] },
      visualMap: { min: 0, max: max, show: false, inRange: { color: ["#fbe9e7", "#ef9a9a", "#c62828"] } },
      calendar: {
        range: String(data.year), cellSize: ["auto", "auto"], left: 28, right: 8, top: 24, bottom: 6,
        dayLabel: { firstDay: 1, nameMap: document.documentElement.lang.startsWith("zh") ? "ZH" : "EN", fontSize: 9 },
        monthLabel: { nameMap: document.documentElement.lang.startsWith("zh") ? "ZH" : "EN", fontSize: 10 },
        yearLabel: { show: false }, splitLine: { lineStyle: { color: "#dee2e6" } }, itemStyle: { borderColor: "#fff" },
      },
      series: [{ type: "heatmap", coordinateSystem: "calendar", data: data.calendar }],
    });
    return chart;
  }

  function childrenChart(el, data) {
    const rows = data.children;
    const chart = echarts.init(el);
    const L = data.labels;
    const bar = (name, key, color) => ({
      name: name, type: "bar", barMaxWidth: 26, itemStyle: { color: color },
      data: rows.map((r) => (r[key] === null ? "-" : r[key])),
    });
    const fit = Math.max(4, Math.floor(el.clientWidth / 70));
    const zoom = rows.length > fit;
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => (v === "-" ? L.missing : v + "%") },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: zoom ? 30 : 8, containLabel: true },
      dataZoom: zoom ? [{ type: "slider", startValue: 0, endValue: fit - 1, height: 18, bottom: 4 }] : [],
      xAxis: { type: "category", data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [bar(L.rate, "rate", "#c62828"), bar(L.attendance, "attendance", "#206bc4"), bar(L.makeup, "makeup", "#2fb344")],
    });
    chart.on("click", (p) => {
      const url = rows[p.dataIndex] && rows[p.dataIndex].url;
      if (url) window.location.href = url;
    });
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const source = document.getElementById("compliance-data");
    if (!source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    const charts = [];
    const cal = document.getElementById("compliance-calendar");
    if (cal) charts.push(calendarChart(cal, data));
    const kids = document.getElementById("compliance-children");
    if (kids && data.children.length) charts.push(childrenChart(kids, data));
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  });
})();
