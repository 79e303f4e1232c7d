// Coverage dashboard (/coverage/): charts from the json_script "coverage-data", tab switching.
// No inline scripts (CSP script-src 'self'); ECharts is loaded before this file.
(function () {
  "use strict";

  const RED = "#c62828";
  const ORANGE = "#f59f00";
  const BLUE = "#206bc4";
  const GREEN = "#2fb344";
  const GREY = "#adb5bd";
  // Punctuation around the (translated) labels: full-width in Chinese, ASCII in English.
  const ZH = document.documentElement.lang.startsWith("zh");
  const COLON = ZH ? "：" : ": ";
  const paren = (text) => (ZH ? "（" + text + "）" : " (" + text + ")");

  function pct(value, labels) {
    return value === null || value === undefined ? labels.missing : value.toFixed(2) + "%";
  }

  function regionChart(el, data) {
    const L = data.labels;
    const rows = data.regions;
    const chart = echarts.init(el);
    const series = (name, key, color) => ({
      name: name,
      type: "bar",
      itemStyle: { color: color },
      barMaxWidth: 28,
      data: rows.map((r) => (r[key] === null ? "-" : r[key])),
    });
    // Many regions (a district has 30+ towns): show as many as fit, with a slider for the rest.
    const fit = Math.max(4, Math.floor(el.clientWidth / 70));
    const zoom = rows.length > fit;
    chart.setOption({
      dataZoom: zoom
        ? [
            { type: "slider", xAxisIndex: 0, startValue: 0, endValue: fit - 1, height: 18, bottom: 4, brushSelect: false },
            { type: "inside", xAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true, moveOnMouseMove: true },
          ]
        : [],
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: (params) => {
          const r = rows[params[0].dataIndex];
          return [
            "<strong>" + echarts.format.encodeHTML(r.name) + "</strong>",
            L.units + COLON + r.units,
            L.coverage + COLON + pct(r.coverage, L) + paren(r.covered + "/" + r.units),
            L.own + COLON + pct(r.own_rate, L) + paren(r.own + "/" + r.units),
            L.work + COLON + pct(r.work_rate, L) + paren(r.work + "/" + r.units),
          ].join("<br>");
        },
      },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, bottom: zoom ? 30 : 8, top: 36, containLabel: true },
      xAxis: {
        type: "category",
        data: rows.map((r) => r.name),
        triggerEvent: true,
        axisLabel: {
          interval: 0,
          rotate: Math.min(rows.length, fit) > 6 ? 35 : 0,
          hideOverlap: false,
          formatter: (name) => (name.length > 6 ? name.slice(0, 5) + "…" : name),
        },
      },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [series(L.coverage, "coverage", RED), series(L.own, "own_rate", ORANGE), series(L.work, "work_rate", BLUE)],
    });
    // Drill down: a click anywhere in a region's column (or on its axis label) opens that region.
    const open = (r) => {
      if (r && r.url) window.location.href = r.url;
    };
    chart.on("click", (params) => {
      if (params.componentType === "xAxis") open(rows.find((row) => row.name === params.value));
    });
    chart.getZr().on("click", (evt) => {
      const point = [evt.offsetX, evt.offsetY];
      if (!chart.containPixel("grid", point)) return;
      open(rows[chart.convertFromPixel({ seriesIndex: 0 }, point)[0]]);
    });
    chart.getZr().on("mousemove", (evt) => {
      const inGrid = chart.containPixel("grid", [evt.offsetX, evt.offsetY]);
      chart.getZr().setCursorStyle(inGrid ? "pointer" : "default");
    });
    return chart;
  }

  function trendChart(el, data) {
    const L = data.labels;
    const points = data.trend;
    const chart = echarts.init(el);
    const line = (name, key, color) => ({
      name: name,
      type: "line",
      smooth: true,
      connectNulls: false,
      itemStyle: { color: color },
      data: points.map((p) => (p[key] === null ? "-" : p[key])),
    });
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: (v) => (typeof v === "number" ? v.toFixed(2) + "%" : L.missing) },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: points.map((p) => p.month) },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [line(L.coverage, "coverage", RED), line(L.own, "own", ORANGE), line(L.work, "work", BLUE)],
    });
    return chart;
  }

  function formationChart(el, data) {
    const L = data.labels;
    const names = { own: L.formation_own, joint: L.formation_joint, fallback: L.formation_fallback, uncovered: L.uncovered };
    const colors = { own: RED, joint: ORANGE, fallback: GREEN, uncovered: GREY };
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "item", formatter: "{b}" + COLON + "{c}" + paren("{d}%") },
      legend: { bottom: 0, itemWidth: 12, itemGap: 8 },
      series: [{
        type: "pie",
        radius: ["38%", "66%"],
        center: ["50%", "44%"],
        label: { position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold" },
        labelLine: { show: false },
        data: data.formation
          .filter((f) => f.value > 0)
          .map((f) => ({ name: names[f.key], value: f.value, itemStyle: { color: colors[f.key] } })),
      }],
    });
    return chart;
  }

  function tabs() {
    document.querySelectorAll("[data-dj-tabs]").forEach((nav) => {
      nav.querySelectorAll("a[href^='#']").forEach((link) => {
        link.addEventListener("click", (evt) => {
          evt.preventDefault();
          nav.querySelectorAll("a[href^='#']").forEach((other) => {
            const pane = document.querySelector(other.getAttribute("href"));
            const active = other === link;
            other.classList.toggle("active", active);
            other.setAttribute("aria-selected", active ? "true" : "false");
            if (pane) {
              pane.classList.toggle("active", active);
              pane.classList.toggle("show", active);
            }
          });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    tabs();
    const source = document.getElementById("coverage-data");
    if (!source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    const charts = [];
    const regions = document.getElementById("chart-regions");
    if (regions && data.regions.length) charts.push(regionChart(regions, data));
    const trend = document.getElementById("chart-trend");
    if (trend && data.trend.length) charts.push(trendChart(trend, data));
    const formation = document.getElementById("chart-formation");
    if (formation) charts.push(formationChart(formation, data));
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  });
})();
