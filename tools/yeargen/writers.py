"""Where rows go: one file per kind, CSV or XLSX, its header first, written as the rows come."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from .cells import Row

if TYPE_CHECKING:
    from kaoping.ledgers.imports import Column

FORMATS = ("csv", "xlsx")
# Fields whose cells an XLSX file holds as numbers (formats.md accepts numbers or text).
NUMERIC_FIELDS = frozenset({"monitored_area", "farmland_area", "score"})


class Sink(Protocol):
    def write(self, rows: Sequence[Row]) -> None: ...

    def close(self) -> None: ...


class CsvSink:
    def __init__(self, path: Path, columns: Sequence[Column]):
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.file, lineterminator="\n")
        self.writer.writerow([column.header for column in columns])

    def write(self, rows: Sequence[Row]) -> None:
        self.writer.writerows(rows)

    def close(self) -> None:
        self.file.close()


class XlsxSink:
    """write_only keeps memory flat; numbers go in as numbers, dates as text (formats.md accepts both)."""

    def __init__(self, path: Path, columns: Sequence[Column]):
        from openpyxl import Workbook  # only needed for this format

        self.path = path
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(path.stem)
        self.sheet.append([column.header for column in columns])
        self.numeric = [column.field in NUMERIC_FIELDS for column in columns]

    def write(self, rows: Sequence[Row]) -> None:
        for row in rows:
            self.sheet.append([Decimal(v) if num else v for v, num in zip(row, self.numeric, strict=True)])

    def close(self) -> None:
        self.workbook.save(self.path)


def open_sink(fmt: str, path: Path, columns: Sequence[Column]) -> Sink:
    return CsvSink(path, columns) if fmt == "csv" else XlsxSink(path, columns)
