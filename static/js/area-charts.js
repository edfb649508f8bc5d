// Draw the charts of a page from the data beside them (json_script), with Chart.js. The
// same numbers are in the table next to each chart, which works without JavaScript.
for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
  const data = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: canvas.dataset.label,
          data: data.networks,
          backgroundColor: data.within.map((within) => (within ? "#007f3b" : "#005eb8")),
        },
      ],
    },
    options: {
      animation: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { title: { display: true, text: "Registered patients" } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Networks" } },
      },
    },
  });
}
