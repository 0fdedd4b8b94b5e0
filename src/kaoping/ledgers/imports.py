"""The import machinery shared by every kind: validate the whole file first, then write it in one go.

A kind declares its columns (header, parser, whether a value is required), its key and its
cross-column checks; `validate_table` collects every problem as `第 N 行 [列名]: ...`.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kaoping.bulk import Upserted
from kaoping.errors import RowErrors

from . import cells
from .tables import Table

MEMO_LIMIT = 4096  # distinct texts remembered per column
UNIT_CODE = re.compile(r"^[0-9]{6}$")  # ASCII digits only: full-width ４３０９０２ is not a code


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any]
    required: bool = True  # a value must be given (the column itself is always required)
    choices: tuple[str, ...] = ()  # offered as a drop-down list in the template
    note: str = ""
    blank: Any = None  # the value of an empty optional cell


@dataclass
class ImportContext:
    """What validation and writing need to know beyond the file itself."""

    year: int | None
    unit_ids: Mapping[str, int]
    frozen_years: set[int] = field(default_factory=set)
    actor: Any = None
    campaign: Any = None  # the campaign of `year`, for score kinds
    rubric: Any = None  # its rubric definition, for score kinds
    scope_label: str | None = None  # set when a unit imports its own rows only


Check = Callable[[dict[str, Any], ImportContext], list[tuple[str, str]]]
Write = Callable[[list[dict[str, Any]], ImportContext], Upserted]
# The stored records having these keys, as row-like dicts (the same fields as a parsed row).
Stored = Callable[[list[tuple], ImportContext], dict[tuple, dict[str, Any]]]
# What a record (a parsed row or a stored one, or None) contributes to one year's facts.
Contribution = Callable[[Mapping[str, Any] | None, int], tuple]


@dataclass(frozen=True)
class ImportKind:
    name: str  # as typed on the command line: cases, tips, ...
    label: str  # 违法案件台帐
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # fields that identify a record within a file
    check: Check
    write: Write
    needs_year: bool = True
    needs_campaign: bool = False
    takes_year: bool = True  # False for units, which belong to no year
    stored: Stored | None = None
    contribution: Contribution | None = None
    year_column: str = ""  # the header named when a row would change an approved year
    unit_must_exist: bool = True  # False for the units file itself, which adds units

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


def no_check(row: dict[str, Any], context: ImportContext) -> list[tuple[str, str]]:
    return []


def _header_problems(kind: ImportKind, headers: list[str]) -> list[str]:
    problems = []
    expected = [c.header for c in kind.columns]
    seen: set[str] = set()
    for header in headers:
        if header in seen:
            problems.append(f"第 1 行 [{header}]: 列名重复")
        seen.add(header)
    if "" in headers:
        problems.append(f"第 1 行: 第 {headers.index('') + 1} 列没有列名；请删除该列或补上列名")
    extra = [h for h in headers if h and h not in expected]
    if extra:
        problems.append(
            f"第 1 行: 多余的列 {'、'.join(extra)}；{kind.label}只有这些列：{'、'.join(expected)}"
        )
    missing = [h for h in expected if h not in seen]
    if missing:
        problems.append(
            f"第 1 行: 缺少列 {'、'.join(missing)}；请对照{kind.label}模板的列名（网页“台帐与报送”的模板链接，"
            f"或 kaoping template {kind.name}）"
        )
    return problems


def validate_table(
    kind: ImportKind, table: Table, context: ImportContext, source: str
) -> list[dict[str, Any]]:
    """Every row parsed and checked, or RowErrors listing every problem in the file."""
    errors = _header_problems(kind, table.headers)
    if errors:
        raise RowErrors(source, errors)
    width = len(table.headers)
    # Texts recur down a column (dates, choices, unit codes) and a parser is a pure function of its text:
    # each column remembers what its first MEMO_LIMIT distinct texts parsed to.
    columns = [
        (c.field, table.headers.index(c.header), c.parse, c.required, c.blank, c.header, {})
        for c in kind.columns
    ]
    parsed: list[dict[str, Any]] = []
    problems: list[tuple[int, str]] = []
    first_row_of_key: dict[tuple, int] = {}
    for number, raw in table.rows:
        row: dict[str, Any] = {"_row": number}
        row_errors: list[tuple[str, str]] = []
        if len(raw) > width and any(not cells.is_blank(value) for value in raw[width:]):
            row_errors.append(("", f"第 {width + 1} 列起有数据但没有列名；请删除这些数据或补上列名"))
        cell_count = len(raw)
        for field_name, position, parse, required, blank, header, memo in columns:
            value = raw[position] if position < cell_count else None
            if value is None or (isinstance(value, str) and not value.strip()):  # cells.is_blank, inlined
                if required:
                    row_errors.append((header, "不能为空"))
                row[field_name] = blank
                continue
            if value.__class__ is str and value in memo:
                row[field_name] = memo[value]
                continue
            try:
                row[field_name] = parse(value)
            except cells.CellError as exc:
                row_errors.append((header, str(exc)))
                row[field_name] = None
                continue
            if value.__class__ is str and len(memo) < MEMO_LIMIT:
                memo[value] = row[field_name]
        if (
            kind.unit_must_exist
            and row.get("unit_code") is not None
            and row["unit_code"] not in context.unit_ids
        ):
            if context.scope_label:
                message = f"只能导入本单位（{context.scope_label}）的记录，不能导入 {row['unit_code']} 的"
            else:
                message = f"单位代码 {row['unit_code']} 不存在；请核对，或先导入被考评单位（units）"
            row_errors.append(("单位代码", message))
        if not row_errors:
            row_errors = kind.check(row, context)
        if not row_errors and kind.key:
            key = tuple(row[f] for f in kind.key)
            if key in first_row_of_key:
                headers = "、".join(kind.column(f).header for f in kind.key)
                row_errors.append(
                    (kind.column(kind.key[0]).header, f"与第 {first_row_of_key[key]} 行重复（{headers}相同）")
                )
            else:
                first_row_of_key[key] = number
        if row_errors:
            problems.extend(
                (number, f"第 {number} 行 [{header}]: {message}" if header else f"第 {number} 行: {message}")
                for header, message in row_errors
            )
        parsed.append(row)
    if not parsed:
        raise RowErrors(source, ["文件只有表头，没有数据行"])
    if first_row_of_key and kind.stored and (context.scope_label or context.frozen_years):
        stored = kind.stored(list(first_row_of_key), context)
        by_key = {tuple(row[f] for f in kind.key): row for row in parsed}
        problems.extend(_taken_over(kind, first_row_of_key, stored, context))
        problems.extend(_frozen_changes(kind, first_row_of_key, by_key, stored, context))
    if problems:
        raise RowErrors(source, [text for _, text in sorted(problems, key=lambda p: p[0])])
    return parsed


def _taken_over(kind: ImportKind, first_row_of_key: dict[tuple, int], stored, context: ImportContext):
    """A unit's own upload may not take over another unit's record by reusing its number."""
    if not context.scope_label:
        return []
    header = kind.column(kind.key[0]).header
    return [
        (row, f"第 {row} 行 [{header}]: {key[0]} 已是其他单位的记录，本单位不能导入或覆盖；请核对{header}")
        for key, record in stored.items()
        if record["unit_code"] not in context.unit_ids
        for row in [first_row_of_key[key]]
    ]


def _frozen_changes(kind: ImportKind, first_row_of_key, by_key, stored, context: ImportContext):
    """A row may not change what an approved year's facts were computed from (new rows included)."""
    if kind.contribution is None:
        return []
    header = kind.year_column or kind.column(kind.key[0]).header
    problems = []
    for key, row in first_row_of_key.items():
        for year in sorted(context.frozen_years):
            if kind.contribution(stored.get(key), year) != kind.contribution(by_key[key], year):
                problems.append(
                    (
                        row,
                        f"第 {row} 行 [{header}]: 该记录计入已审定的 {year} 年度考评，导入会改变该年度已冻结的结果；"
                        f"请删去此行，或只修改不影响 {year} 年度的内容",
                    )
                )
                break
    return problems


def unit_code(value: Any) -> str:
    code = cells.text(value)
    if not UNIT_CODE.match(code):
        raise cells.CellError(f"“{code}”不是六位数字的单位代码")
    return code
