// Build dist/plotly-custom.min.js from entry.js: `npm run build` (make plotlyjs).
//
// The esbuild settings follow plotly.js's own partial / custom bundles (esbuild-config.js and
// tasks/util/bundle_wrapper.mjs in the plotly.js repository): an IIFE with the global name Plotly, `global` defined
// as `window`, AMD detection off, target ES2016, and the schema's meta strings (descriptions, ...) stripped as
// tasks/compress_attributes.js does. Its GLSL and CSS plugins are left out: they serve the WebGL and MapLibre traces,
// which this bundle does not carry (a .glsl import would fail the build; CSS imports are emptied, see `loader`).
// The build fails if the output calls eval or new Function: the app's Content-Security-Policy has no 'unsafe-eval'.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { version } = require('plotly.js/package.json');
const outfile = join(here, 'dist', 'plotly-custom.min.js');
const traces = ['scatter', 'bar', 'choropleth']; // for the banner: keep in step with entry.js

// tasks/compress_attributes.js: strip meta attributes (only used by Plotly.PlotSchema / docs) from plotly.js's sources
const WHITESPACE_BEFORE = '\\s*';
const OPTIONAL_COMMA = ',?';
const makeRegex = (s) => new RegExp(WHITESPACE_BEFORE + s + OPTIONAL_COMMA, 'g');
const META = [
    makeRegex("description: '.*'"),
    makeRegex('description: \\[[\\s\\S]*?\\]\\.join\\([\\s\\S]*?\\)'),
    makeRegex('requiredOpts: \\[[\\s\\S]*?\\]'),
    makeRegex('otherOpts: \\[[\\s\\S]*?\\]'),
    makeRegex("role: '.*'"),
    makeRegex("hrName: '.*'"),
];
const stripMeta = {
    name: 'strip-meta-attributes',
    setup(b) {
        b.onLoad({ filter: /[\\/]node_modules[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, async (args) => {
            let contents = await readFile(args.path, 'utf-8');
            for (const r of META) contents = contents.replace(r, '');
            return { contents, loader: 'js' };
        });
    },
};

const result = await build({
    entryPoints: [join(here, 'entry.js')],
    outfile,
    bundle: true,
    format: 'iife',
    globalName: 'Plotly',
    minify: true,
    sourcemap: false,
    target: 'es2016',
    platform: 'browser',
    define: {
        global: 'window',
        'define.amd': 'false',
        'process.env.NODE_DEBUG': 'false',
        'process.env.NODE_ENV': '"production"',
    },
    alias: { regl: '@plotly/regl' },
    // src/registry.js requires maplibre-gl's stylesheet for the `map` traces, which this bundle does not register;
    // plotly.js inlines it into its full bundle, here it is dropped (no dist/*.css next to the bundle)
    loader: { '.css': 'empty' },
    plugins: [stripMeta],
    legalComments: 'eof',
    banner: {
        js: `/*! plotly.js v${version} (partial bundle: ${traces.join(', ')}) | Copyright 2012-2026, Plotly, Inc. | MIT */`,
    },
    metafile: true,
    logLevel: 'warning',
});

// The app's Content-Security-Policy has no 'unsafe-eval': refuse a bundle that would need it
const code = await readFile(outfile, 'utf-8');
const evalUse = code.match(/\bnew Function\s*\(|[^.\w$]Function\s*\(|[^.\w$]eval\s*\(/g);
if (evalUse) {
    console.error(`${outfile}: uses ${[...new Set(evalUse)].join(', ')}: the app's CSP (no 'unsafe-eval') would break it`);
    process.exit(1);
}
const inputs = Object.keys(result.metafile.inputs).length;
const { size } = await stat(outfile);
console.log(`plotly.js ${version} (${traces.join(', ')}): ${outfile} ${(size / 1024).toFixed(0)} KiB from ${inputs} modules`);

// Dash's async components (dcc.Graph, dcc.Dropdown, ...) call the global `regeneratorRuntime` that Dash gets from
// @babel/polyfill (core-js 2 and regenerator: 99 KB, 32 KB as brotli, on every page). The browsers the app supports
// have everything else core-js 2 adds, so app/page_scripts.py serves regenerator-runtime alone in its place
// (6 KB). Its `Function(...)` fallback runs only where `globalThis` is missing (no browser the app supports).
const regenerator = join(here, 'dist', 'regenerator-runtime.min.js');
await build({
    stdin: { contents: "window.regeneratorRuntime = require('regenerator-runtime/runtime');", resolveDir: here },
    outfile: regenerator,
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2016',
    platform: 'browser',
    legalComments: 'eof',
    banner: { js: `/*! regenerator-runtime v${require('regenerator-runtime/package.json').version} | MIT */` },
    logLevel: 'warning',
});
console.log(`regenerator-runtime: ${regenerator} ${((await stat(regenerator)).size / 1024).toFixed(1)} KiB`);
