// Charts of the evaluation summary (Chart.js, vendored). Data comes from the page's #summary-data.
(function () {
  const data = JSON.parse(document.getElementById("summary-data").textContent);
  const base = { responsive: true, maintainAspectRatio: false, indexAxis: "y" };
  const wrap = window.chartLabel;
  const legend = { position: "bottom", labels: { boxWidth: 10 } };
  const bands = data.bands, study = data.study;

  if (bands.labels.length) new Chart(document.getElementById("chart-bands"), {
    type: "bar",
    data: {
      labels: bands.labels.map((label) => wrap(label, 24)),
      datasets: bands.datasets.map((b) => ({ label: b.label, data: b.data, backgroundColor: b.colour })),
    },
    options: { ...base,
      scales: { x: { stacked: true, min: 0, max: 100, title: { display: true, text: "% đảng viên đã xếp loại" } },
        y: { stacked: true, ticks: { autoSkip: false } } },
      plugins: { legend,
        tooltip: { callbacks: { label: (it) => `${bands.datasets[it.datasetIndex].label}: ${bands.datasets[it.datasetIndex].counts[it.dataIndex]} (${it.formattedValue}%)` } } } },
  });

  if (study.labels.length) new Chart(document.getElementById("chart-study"), {
    type: "bar",
    data: {
      labels: study.labels.map((label) => wrap(label, 24)),
      datasets: [
        { label: "Điểm học tập chi bộ cho (%)", data: study.given, backgroundColor: "#6f42c1" },
        { label: "Chỉ số làm kỹ (0–100)", data: study.fidelity, backgroundColor: "#20c997" },
      ],
    },
    options: { ...base, scales: { x: { min: 0, max: 100 }, y: { ticks: { autoSkip: false } } }, plugins: { legend } },
  });
})();
