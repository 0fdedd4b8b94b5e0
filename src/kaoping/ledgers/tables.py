"""Reading the first sheet of an .xlsx or a UTF-8 (or GB18030) .csv into header + numbered rows. No Django."""

import csv
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from kaoping.errors import KaopingError

SUPPORTED = (".xlsx", ".xlsm", ".csv")


@dataclass
class Table:
    headers: list[str]
    # (row number as Excel shows it, cells), read as validation goes: a file's rows are never all copied.
    rows: Iterator[tuple[int, list[Any]]]


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _numbered(raw_rows: Iterator[list[Any]]) -> Table:
    first = next(raw_rows, None)
    headers = ["" if c is None else str(c).strip() for c in first or []]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise KaopingError("文件是空的：第 1 行应为表头")
    return Table(headers, _data_rows(raw_rows))


def _data_rows(raw_rows: Iterator[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    for number, cells in enumerate(raw_rows, start=2):
        # A filled first cell settles it for nearly every row; else skip empty rows (e.g. the trailing
        # ones spreadsheet programs leave).
        if (cells and not _blank(cells[0])) or not all(_blank(c) for c in cells):
            yield number, cells


def _released(rows: list[list[Any]]) -> Iterator[list[Any]]:
    """The rows in order, each let go once read (a large sheet is not held twice while it is validated)."""
    rows.reverse()
    while rows:
        yield rows.pop()


def read_table(path: Path | str, content: bytes | None = None, expected: Collection[str] = ()) -> Table:
    """Read a file by its name's ending; `content` is given when the file came over the web. `expected`
    (the kind's column headers) tells a GB18030 CSV (Excel on Chinese Windows) from one in another encoding."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise KaopingError(
            f"{path.name}：不支持的文件类型“{suffix or '无扩展名'}”；请上传 .xlsx 或 UTF-8 编码的 .csv"
        )
    try:
        data = content if content is not None else path.read_bytes()
    except FileNotFoundError:
        raise KaopingError(f"找不到文件 {path}") from None
    except IsADirectoryError:
        raise KaopingError(f"{path} 是文件夹，请指定其中的 .xlsx 或 .csv 文件") from None
    except PermissionError:
        raise KaopingError(f"没有权限读取 {path}") from None
    if suffix == ".csv":
        return _read_csv(path.name, data, expected)
    return _read_xlsx(path.name, data)


def _not_utf8(name: str) -> KaopingError:
    return KaopingError(
        f"{name}：不是 UTF-8 编码，无法读出列名；请在 WPS 或 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入"
    )


def _read_csv(name: str, data: bytes, expected: Collection[str] = ()) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _gb18030(name, data, expected)
    table = _numbered(iter(csv.reader(io.StringIO(text, newline=""))))
    if any(h and not h.strip("?？") for h in table.headers) and not set(table.headers) & set(expected):
        raise _not_utf8(name)  # an export that replaced every Chinese character with “?”
    return table


def _gb18030(name: str, data: bytes, expected: Collection[str]) -> str:
    """The text of a CSV that is not UTF-8, if it is GB18030 (GBK's superset) with the kind's headers."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _not_utf8(name) from None
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    if not {cell.strip() for cell in header} & set(expected):
        raise _not_utf8(name)
    return text


def _unreadable(name: str, problem: Exception) -> KaopingError:
    return KaopingError(f"{name}：无法读取的 Excel 文件（{problem}）；请用 Excel 或 WPS 另存为 .xlsx 后再试")


def _read_xlsx(name: str, data: bytes) -> Table:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        if sheet.start == (0, 0):
            # Rows handed over one by one (iter_rows leaves out empty leading columns, so only a sheet
            # that starts at A1 is read this way).
            return _numbered(_converted(name, sheet.iter_rows()))
        raw = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as exc:
        raise _unreadable(name, exc) from None
    return _numbered(_released(raw))


def _converted(name: str, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """The rows as Python values; a cell that cannot be converted is the file's problem, not ours."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except (CalamineError, ValueError, OSError) as exc:
            raise _unreadable(name, exc) from None
        yield row
