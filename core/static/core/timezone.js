// Tell the server the browser's time zone, so dates and times show in it
// (core.web.middleware.TimeZoneMiddleware). Pages read it from the next request on.
(function () {
  const script = document.currentScript;
  const name = script && script.dataset.cookie;
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (err) {
    return;
  }
  if (!name || !zone) return;
  const current = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
  if (current && decodeURIComponent(current.slice(name.length + 1)) === zone) return;
  const secure = script.hasAttribute("data-secure") ? "; Secure" : "";
  document.cookie = `${name}=${encodeURIComponent(zone)}; path=/; max-age=31536000; SameSite=Lax${secure}`;
})();
