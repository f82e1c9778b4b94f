/* Where plotly.js comes from. Runs before dash-renderer: Dash's assets load first.

   dcc.Graph loads plotly.js itself when the first graph mounts, from window._dashPlotlyJSURL, which dash-renderer
   sets to Dash's full copy. <meta name="plotlyjs-url"> names the app's partial bundle (fingerprinted,
   app/plotly_bundle.py): the global answers that URL whatever the renderer writes into it. Without the meta (bundle
   not built, PLOTLYJS=full) nothing changes. */
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
})();
