"""Downloads: every chart as PNG/SVG/PDF (burned-in title, targets, sources, licence, date) and as data
(CSV with a header block, ZIP with a README, JSON), the multi-page briefing pack, the HTTP routes and the CLI.

Modules: ``charts`` (query → the page's figure and rows), ``layout`` (the export version of a figure), ``render``
(kaleido with one warm Chromium per process), ``tables`` (CSV/ZIP/JSON, formula-injection safe), ``names`` (safe
file names), ``formats`` (one export as bytes), ``briefing`` (the pack), ``routes`` (Flask), ``links`` (the
download links on the pages), ``cli``.
"""
