// The import page while a badge is being checked: ask the API for each pending
// import's state every few seconds, and reload the page once one is verified,
// refused or failed (the page then shows its outcome). Without JavaScript the
// "Refresh" link does the same. Gives up after ten minutes (the page shows a
// stuck import as failed by then).
(() => {
  const pending = [...document.querySelectorAll("[data-import-status-url]")];
  if (!pending.length) return;
  const started = Date.now();
  const check = async () => {
    for (const item of pending) {
      try {
        const response = await fetch(item.dataset.importStatusUrl, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) continue;
        const body = await response.json();
        if (body.status !== "pending") {
          window.location.reload();
          return;
        }
      } catch (err) {
        // Offline for a moment: try again at the next tick.
      }
    }
    if (Date.now() - started < 10 * 60 * 1000) setTimeout(check, 3000);
  };
  setTimeout(check, 2000);
})();
