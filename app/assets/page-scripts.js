/* Which scripts this page loaded, and what follows from it (app/page_scripts.py writes the metas). Runs before
   dash-renderer: Dash's assets load first.

   1. plotly.js. dcc.Graph loads it itself when the first graph mounts, from window._dashPlotlyJSURL, which
      dash-renderer sets to Dash's full copy. <meta name="plotlyjs-url"> names the app's partial bundle
      (fingerprinted, app/plotly_bundle.py): the global answers that URL whatever the renderer writes into it.
      Without the meta (bundle not built, PLOTLYJS=full) nothing changes.
   2. Component libraries. A page that renders no Mantine control is served without Mantine's code
      (<meta name="page-scripts" content="partial">); moving from it to another page is then a full page load
      (the server's first paint, cached scripts), as the next page may need what this one did not load. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="plotlyjs-url"]');
  if (meta && meta.content) {
    var url = meta.content;
    Object.defineProperty(window, "_dashPlotlyJSURL", {
      configurable: false,
      get: function () { return url; },
      set: function () { /* the renderer's own URL: ignored */ }
    });
  }
  var scripts = document.querySelector('meta[name="page-scripts"]');
  if (!scripts || scripts.content !== "partial") { return; }
  window.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
        event.altKey) { return; }
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || (link.target && link.target !== "_self") || link.hasAttribute("download")) { return; }
    var to = new URL(link.href, window.location.href);
    if (to.origin !== window.location.origin || to.pathname === window.location.pathname) { return; }
    event.preventDefault();
    event.stopPropagation();  /* before dcc.Link's own handler (React listens below the window) */
    window.location.assign(to.href);
  }, true);
})();
