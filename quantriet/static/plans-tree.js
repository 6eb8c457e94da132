// The chart of the action-programme tree (plans/tree.html): data from json_script "concreteness-data".
(function () {
  var data = JSON.parse(document.getElementById("concreteness-data").textContent);
  var colour = function (v) { return v >= 80 ? "#198754" : v >= 50 ? "#ffc107" : "#dc3545"; };
  var units = data.kind === "units";
  new Chart(document.getElementById("chart-concreteness"), {
    type: "bar",
    data: {labels: data.labels, datasets: units ? [
      {label: "Mức độ cụ thể hóa", data: data.values, backgroundColor: data.values.map(colour)},
      {label: "Sao chép (%)", data: data.copied, backgroundColor: "rgba(220,53,69,.35)"}
    ] : [
      {label: "Số đơn vị", data: data.values, backgroundColor: data.labels.map(function (_, i) { return colour(i * 10); })},
      {label: "Trong đó sao chép", data: data.copied, backgroundColor: "rgba(220,53,69,.55)"}
    ]},
    options: units
      ? {indexAxis: "y", maintainAspectRatio: false, animation: false, scales: {x: {min: 0, max: 100}}}
      : {maintainAspectRatio: false, animation: false, scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
  });
})();
