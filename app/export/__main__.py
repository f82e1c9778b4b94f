"""``python -m app.export`` (see app/export/cli.py)."""

import sys

from app.export.cli import main

sys.exit(main())
