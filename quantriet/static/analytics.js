// Charts of the fidelity dashboard (Chart.js, vendored). Data comes from the page's #chart-data.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const colours = { success: "#198754", info: "#0dcaf0", warning: "#ffc107", danger: "#dc3545" };
  const lineColours = ["#b02a37", "#fd7e14", "#0d6efd", "#6f42c1"];
  const vn = new Intl.NumberFormat("vi-VN");
  // Each chart fills its box (a fixed height), so a phone gets charts as tall as a desktop's.
  const base = { responsive: true, maintainAspectRatio: false };

  const wrap = window.chartLabel;
  const joined = (items) => (items.length ? [].concat(items[0].label).join(" ") : "");

  new Chart(document.getElementById("chart-timeline"), {
    type: "line",
    data: {
      labels: data.timeline.labels,
      datasets: data.timeline.series.map((s, i) => ({
        label: s.label, data: s.data, borderColor: lineColours[i % 4], backgroundColor: lineColours[i % 4],
        stepped: true, pointRadius: data.timeline.labels.map((_, j) => (j === s.deadline ? 6 : 0)),
        pointStyle: "triangle",
      })),
    },
    options: { ...base, scales: { y: { min: 0, max: 100, title: { display: true, text: "% đơn vị" } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 10 } },
        tooltip: { callbacks: { label: (it) => `${data.timeline.series[it.datasetIndex].title}: ${it.formattedValue}%`, footer: (items) => items.some((it) => data.timeline.series[it.datasetIndex].deadline === it.dataIndex) ? "▲ hạn hoàn thành" : "" } } } },
  });

  new Chart(document.getElementById("chart-distribution"), {
    type: "bar",
    data: {
      labels: data.distribution.labels.map((label) => wrap(label, 14)),
      datasets: data.distribution.datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: colours[d.style] })),
    },
    options: { ...base, scales: { x: { stacked: true, ticks: { autoSkip: false, maxRotation: 0 } }, y: { stacked: true, title: { display: true, text: "số đơn vị" } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 10 } },
        tooltip: { callbacks: { title: (items) => (items.length ? data.distribution.titles[items[0].dataIndex] : "") } } } },
  });

  // The funnel keeps a linear scale (bar lengths stay proportional, as a committee reads them),
  // gives every non-zero stage a minimum bar length so it stays visible next to thousands of
  // members, and prints each stage's number at the end of its bar: the value never depends on
  // how long a bar is.
  const funnelNumbers = {
    id: "funnelNumbers",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillStyle = "#212529";
      ctx.textBaseline = "middle";
      const zero = chart.scales.x.getPixelForValue(0);
      chart.getDatasetMeta(0).data.forEach((bar, i) => {
        const value = data.funnel.data[i];
        ctx.fillText(vn.format(value), (value ? bar.x : zero) + 4, bar.y);
      });
      ctx.restore();
    },
  };
  const most = Math.max(1, ...data.funnel.data);
  new Chart(document.getElementById("chart-funnel"), {
    type: "bar",
    data: { labels: data.funnel.labels.map((label) => wrap(label, 18)),
      // A stage at zero draws no bar (null), only its number.
      datasets: [{ label: "Số lượng", data: data.funnel.data.map((v) => v || null), backgroundColor: "#b02a37", minBarLength: 4 }] },
    options: { ...base, indexAxis: "y", layout: { padding: { right: 8 } },
      // Room on the right for the largest number.
      scales: { x: { beginAtZero: true, suggestedMax: most * 1.18, ticks: { callback: (value) => vn.format(value) } },
        y: { ticks: { autoSkip: false } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: { title: joined } } } },
    plugins: [funnelNumbers],
  });
})();
