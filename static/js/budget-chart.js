// The budget page's chart, drawn from the same figures as the month-by-month table
// (json_script "budget-chart-data"). Without JavaScript the table alone is shown.
//
// One scale, the year to date: each month's bar is the forecast to date (the table's
// column), claimed and expected stacked, and the allocation is a line across at its own
// height, so a bar reaching the line means the allocation is spent. The monthly amounts
// are in the table; on a second scale beside the year's they put the allocation's line
// just above the monthly bars, where it read as overspending.
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
    { type: "bar", label: "Claimed to date", data: data.claimed, backgroundColor: "#005eb8" },
    {
      type: "bar",
      label: "Expected to date, not yet claimed",
      data: data.expected,
      backgroundColor: "#41b6e6",
    },
  ];
  if (data.allocation !== null) {
    datasets.push({
      type: "line",
      label: "Allocation for the year",
      data: data.labels.map(() => data.allocation),
      borderColor: "#d5281b",
      borderDash: [6, 4],
      pointRadius: 0,
      stack: "allocation",
    });
  }
  const chart = new Chart(canvas, {
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, title: { display: true, text: "Month (financial year April to March)" } },
        y: {
          stacked: true,
          beginAtZero: true,
          title: { display: true, text: "Spent in the year to date (£)" },
          ticks: { callback: pounds },
        },
      },
      plugins: {
        tooltip: { callbacks: { label: (c) => c.dataset.label + ": " + pounds(c.parsed.y) } },
      },
    },
  });
  canvas.dataset.drawn = chart ? "yes" : "no";
})();
