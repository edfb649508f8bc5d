// The budget page's chart, drawn from the same figures as the month-by-month table
// (json_script "budget-chart-data"). Without JavaScript the table alone is shown.
(function () {
  const canvas = document.getElementById("budget-chart");
  const source = document.getElementById("budget-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const pounds = (value) =>
    "£" + Number(value).toLocaleString("en-GB", { maximumFractionDigits: 0 });
  const datasets = [
    { type: "bar", label: "Claimed", data: data.claimed, backgroundColor: "#005eb8", stack: "m" },
    { type: "bar", label: "Expected", data: data.expected, backgroundColor: "#41b6e6", stack: "m" },
    {
      type: "line",
      label: "Forecast to date",
      data: data.cumulative,
      borderColor: "#330072",
      backgroundColor: "#330072",
      yAxisID: "total",
    },
  ];
  if (data.allocation !== null) {
    datasets.push({
      type: "line",
      label: "Allocation",
      data: data.labels.map(() => data.allocation),
      borderColor: "#d5281b",
      borderDash: [6, 4],
      pointRadius: 0,
      yAxisID: "total",
    });
  }
  const chart = new Chart(canvas, {
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      animation: false,
      scales: {
        y: { stacked: true, title: { display: true, text: "Each month" }, ticks: { callback: pounds } },
        total: {
          position: "right",
          beginAtZero: true,
          title: { display: true, text: "Year to date" },
          grid: { drawOnChartArea: false },
          ticks: { callback: pounds },
        },
        x: { stacked: true },
      },
      plugins: {
        tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + pounds(c.parsed.y) } },
      },
    },
  });
  canvas.dataset.drawn = chart ? "yes" : "no";
})();
