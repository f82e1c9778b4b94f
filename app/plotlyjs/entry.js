'use strict';
/* The plotly.js the app ships: plotly.js's core plus the three trace types the app draws, built by build.mjs into
   dist/plotly-custom.min.js and served by app/plotly_bundle.py in place of Dash's full plotly.min.js.

   lib/core brings the plot API, the components (legend, colorbar, hover, mode bar, annotations, shapes, ...), the
   en / en-US locales and the `scatter` trace; it also registers any locale queued on window.PlotlyLocales before it
   loaded (app/assets/plotly-locale-zh.js queues zh-CN: Dash's assets load before this bundle).

   Left out on purpose: lib/calendars (non-Gregorian axis calendars, world-calendars: ~80 KB minified), which
   plotly.js's custom-bundle task adds by default; the app's figures never set a calendar.

   Adding a trace type to a figure in app/figures.py means adding it here, or the graph stays blank. */

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    // scatter is registered by core already; plotly.js's custom-bundle docs recommend naming it anyway
    require('plotly.js/lib/scatter'),
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choropleth'),
]);

// dcc.Graph uses window.Plotly when it is there (else it loads Dash's own copy); same global as plotly.js's dist
window.Plotly = Plotly;
module.exports = Plotly;
