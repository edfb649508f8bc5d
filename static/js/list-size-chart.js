// The practice page's list-size chart: the figures of the table beside it, drawn with the
// vendored Chart.js. Without JavaScript the table alone shows them.
//
// Each extract sits at its own date on a linear axis of days (Chart.js's time axis needs a
// date adapter we would have to vendor as well), so a gap of a year between extracts is
// four times as wide as a quarter's; the number of patients is counted from zero, so a
// change of 1% looks like 1%.
const DAY_MS = 24 * 60 * 60 * 1000;
const DAY_MONTH_YEAR = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});
const MONTH_YEAR = new Intl.DateTimeFormat("en-GB", {
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

// "2025-10-01" as a number of days, and back as words, all in UTC so that no time zone
// moves a date to the day before.
const dayNumber = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const dayWords = (day, format) => format.format(new Date(day * DAY_MS));

document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("list-size-chart");
  const source = document.getElementById("list-size-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  const points = JSON.parse(source.textContent).map((p) => ({
    x: dayNumber(p.date),
    y: p.patients,
  }));
  new Chart(canvas, {
    type: "line",
    data: {
      datasets: [
        {
          label: "Registered patients",
          data: points,
          borderColor: "#005eb8",
          backgroundColor: "#005eb8",
        },
      ],
    },
    options: {
      animation: false,
      scales: {
        x: {
          type: "linear",
          title: { display: true, text: "Extract date" },
          ticks: { callback: (day) => dayWords(day, MONTH_YEAR), maxTicksLimit: 8 },
        },
        y: {
          beginAtZero: true,
          min: 0,
          ticks: { precision: 0 },
          title: { display: true, text: "Registered patients" },
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => dayWords(items[0].parsed.x, DAY_MONTH_YEAR),
            label: (item) => `${item.parsed.y.toLocaleString("en-GB")} registered patients`,
          },
        },
      },
    },
  });
  canvas.dataset.drawn = "true";
});
