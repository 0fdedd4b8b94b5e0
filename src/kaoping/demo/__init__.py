"""`kaoping demo` and its shipped sample years.

`DATA_DIR / "2017"` holds the files `kaoping demo` imports and scores, `DATA_DIR / "2018"` the ledgers of
the year it opens; they were written by the generator in tools/yeargen, byte for byte (a test keeps it so).
"""

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
