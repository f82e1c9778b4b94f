"""The app's partial plotly.js bundle (``entry.js`` → ``dist/plotly-custom.min.js``, built by ``make plotlyjs``).

A Python package only so that Dash can serve the bundle from ``/_dash-component-suites/app.plotlyjs/…``: Dash serves
a component-suite file from an imported package (``pkgutil.get_data``) and fingerprints its URL with the package's
``__version__``. See app/plotly_bundle.py.
"""

from __future__ import annotations

import json
from pathlib import Path

#: The plotly.js version package.json pins (the one the bundle is built from)
__version__: str = json.loads((Path(__file__).with_name("package.json")).read_text(encoding="utf-8"))["dependencies"][
    "plotly.js"
]
