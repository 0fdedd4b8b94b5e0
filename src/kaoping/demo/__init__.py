"""Synthetic assessment years: a deterministic generator of the import files, and the shipped 2017 demo.

`DATA_DIR / "2017"` holds the files `kaoping demo` imports; they equal
`generate.generate_year(dir)` with its defaults, byte for byte (a test keeps it so).
"""

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
