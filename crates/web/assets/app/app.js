// Bro's own script: initialise DKFDS and give htmx requests the CSRF token.
// Loaded as an external file: the CSP forbids inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});
document.addEventListener("htmx:configRequest", (e) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    e.detail.headers["x-csrf-token"] = meta.getAttribute("content");
  }
});
