// Charts of the fidelity dashboard (Chart.js, vendored). Data comes from the page's #chart-data.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const colours = { success: "#198754", info: "#0dcaf0", warning: "#ffc107", danger: "#dc3545" };
  const lineColours = ["#b02a37", "#fd7e14", "#0d6efd", "#6f42c1"];

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
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: "% đơn vị" } } },
      plugins: { tooltip: { callbacks: { footer: (items) => items.some((it) => data.timeline.series[it.datasetIndex].deadline === it.dataIndex) ? "▲ hạn hoàn thành" : "" } } } },
  });

  new Chart(document.getElementById("chart-distribution"), {
    type: "bar",
    data: {
      labels: data.distribution.labels,
      datasets: data.distribution.datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: colours[d.style] })),
    },
    options: { scales: { x: { stacked: true, ticks: { autoSkip: false, maxRotation: 60 } }, y: { stacked: true, title: { display: true, text: "số đơn vị" } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 10 } } } },
  });

  new Chart(document.getElementById("chart-funnel"), {
    type: "bar",
    data: { labels: data.funnel.labels, datasets: [{ label: "Số đảng viên", data: data.funnel.data, backgroundColor: "#b02a37" }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } } },
  });
})();
