"""Digital-divide indicators: publisher data → one validated tidy frame → groups, aggregates, targets."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_RAW_DIR = PROJECT_DIR.parent / "shared" / "data" / "raw"

__all__ = ["PACKAGE_DIR", "PROJECT_DIR", "DATA_DIR", "DEFAULT_RAW_DIR"]
