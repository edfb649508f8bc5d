// The practice page's list-size chart: the figures of the table beside it, drawn with the
// vendored Chart.js. Without JavaScript the table alone shows them.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("list-size-chart");
  const source = document.getElementById("list-size-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  const points = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: points.map((p) => p.date),
      datasets: [
        {
          label: "Registered patients",
          data: points.map((p) => p.patients),
          borderColor: "#005eb8",
          backgroundColor: "#005eb8",
        },
      ],
    },
    options: {
      animation: false,
      scales: {
        x: { title: { display: true, text: "Extract date" } },
        y: { beginAtZero: false, title: { display: true, text: "Registered patients" } },
      },
    },
  });
});
