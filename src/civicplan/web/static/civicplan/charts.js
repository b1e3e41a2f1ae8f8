// Charts without inline scripts: every <div class="chart" data-chart-url="…"> gets the ECharts option the
// server built (JSON) and draws it. The option may carry a "civicplan" member with the chart's height and,
// per series and data item, the link to the list a bar was computed from. The table under each chart gives the
// same figures as text.
(function () {
  "use strict";

  function fail(el) {
    el.classList.add("chart-failed");
    el.textContent = el.getAttribute("data-chart-error") || "";
  }

  function draw(el) {
    fetch(el.getAttribute("data-chart-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (option) {
        var meta = option.civicplan || {};
        delete option.civicplan;
        if (meta.height) { el.style.height = meta.height + "px"; }
        var chart = window.echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(option);
        if (meta.links) {
          chart.on("click", function (params) {
            var row = meta.links[params.seriesIndex];
            var url = row && row[params.dataIndex];
            if (url) { window.location.href = url; }
          });
        }
        window.addEventListener("resize", function () { chart.resize(); });
        el.setAttribute("data-chart-ready", "true");
      })
      .catch(function () { fail(el); });
  }

  function start() {
    if (!window.echarts) {
      document.querySelectorAll("div.chart[data-chart-url]").forEach(fail);
      return;
    }
    document.querySelectorAll("div.chart[data-chart-url]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
