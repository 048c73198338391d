// The dashboard's charts, drawn by Chart.js (vendored, core/static/vendor/) from the
// table that follows each one: the table is the data, so what the chart shows and
// what a screen reader or a CSV reader gets cannot differ. No data in inline scripts
// (the Content-Security-Policy refuses them).
(function () {
  if (typeof Chart === "undefined") return;
  const body = getComputedStyle(document.body);
  Chart.defaults.font.family = body.fontFamily;
  Chart.defaults.color = body.color;
  const rtl = document.documentElement.dir === "rtl";

  document.querySelectorAll("[data-chart]").forEach((box) => {
    const canvas = box.querySelector("canvas");
    const table = box.querySelector("table[data-chart-table]");
    if (!canvas || !table) return;
    const headers = Array.from(table.querySelectorAll("thead th"));
    const rows = Array.from(table.querySelectorAll("tbody tr"));
    const labels = rows.map((row) => row.querySelector("th").textContent.trim());
    const datasets = [];
    headers.forEach((header, column) => {
      if (!header.hasAttribute("data-series")) return;
      const data = rows.map((row) => Number(row.children[column].dataset.value || 0));
      const colours = (header.dataset.colors || header.dataset.color || "#0a58ca").split(" ");
      datasets.push({
        label: header.textContent.trim(),
        data: data,
        backgroundColor: colours.length > 1 ? colours : colours[0],
        borderWidth: 0,
      });
    });
    const type = box.dataset.chart;
    const horizontal = box.hasAttribute("data-horizontal");
    const stacked = box.hasAttribute("data-stacked");
    const axes =
      type === "doughnut"
        ? {}
        : {
            x: { stacked: stacked, beginAtZero: true, reverse: rtl && horizontal, ticks: { precision: 0 } },
            y: { stacked: stacked, beginAtZero: true, position: rtl && !horizontal ? "right" : "left", ticks: { precision: 0 } },
          };
    new Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        locale: document.documentElement.lang,
        scales: axes,
        plugins: {
          legend: { display: datasets.length > 1 || type === "doughnut", rtl: rtl, position: "bottom" },
        },
      },
    });
  });
})();
