"""Import files for tests, built from the import specs: headers are the product's, never copied by hand.

The headers themselves are pinned to formats.md once, in tests/ledgers/test_imports.py.
"""

import csv
from pathlib import Path

from kaoping.importing import KINDS


def header(kind: str) -> list[str]:
    """The columns of `kind` as `kaoping import` reads them, key first."""
    return [column.header for column in KINDS[kind].columns]


def row(kind: str, **values: object) -> list[object]:
    """One row of `kind` in the spec's column order, {header: value}; columns not given are blank."""
    columns = header(kind)
    unknown = set(values) - set(columns)
    if unknown:
        raise KeyError(f"{kind} has no columns {', '.join(sorted(unknown))}")
    return [values.get(column, "") for column in columns]


def csv_file(tmp_path: Path, kind: str, rows: list[dict[str, object]], name: str = "") -> Path:
    """A UTF-8 CSV of `kind`: the spec's header, then each {header: value} row, unspecified columns blank."""
    path = tmp_path / (name or f"{kind}.csv")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header(kind))
        writer.writerows(row(kind, **values) for values in rows)
    return path
