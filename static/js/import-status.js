// The ODS import status page in admin: while the check or the import runs, ask every
// few seconds how far it has come, show it in the page's status region (read out by
// screen readers without moving focus), and reload the page once it has finished.
// Without JavaScript the page refreshes itself instead (the <noscript> meta refresh).
const region = document.querySelector("[data-import-status]");
if (region) {
  const url = region.dataset.importStatus;
  const every = Number(region.dataset.refreshSeconds || 2) * 1000;
  const progress = region.querySelector("[data-import-progress]");
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const data = await response.json();
        if (!data.running) {
          window.location.reload();
          return;
        }
        if (data.progress && progress.textContent !== data.progress) {
          progress.textContent = data.progress;
        }
      }
    } catch {
      // A failed request is tried again at the next interval.
    }
    window.setTimeout(poll, every);
  };
  window.setTimeout(poll, every);
}
