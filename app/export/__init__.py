"""Downloads: every chart as PNG/SVG/PDF (burned-in title, targets, sources, licence, date) and as data
(a plain CSV, an Excel workbook with an "about" sheet, a ZIP with README and metadata.json, JSON with a ``meta``
object), the multi-page briefing pack, the HTTP routes and the CLI.

Modules: ``charts`` (query → the page's figure and rows), ``layout`` (the export version of a figure), ``render``
(kaleido with one warm Chromium per process), ``precision`` (decimals per column), ``tables`` (CSV/ZIP/JSON,
formula-injection safe), ``xlsx`` (the workbook), ``names`` (safe file names), ``formats`` (one export as bytes),
``briefing`` (the pack), ``routes`` (Flask), ``links`` (the download links on the pages), ``cli``.
"""
