"""The ranking workbook (考评排名表) a bureau hands out: the ranking, a chart, one score sheet per unit.

Every cell's look is one of a few named styles of the workbook (`Look`), so that 2,850 units' sheets do not
build a font, border and fill per cell. The ranking and rules sheets are openpyxl cells; the unit sheets,
alike for every unit but their values, have their rows rendered straight to XML (`_unit_rows_xml`) inside
the frame (columns, merged cells, print setup) openpyxl writes for each of them.
"""

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from kaoping.rubrics.schema import Item, Section
from kaoping.scoring.grading import EXCELLENT, FAILED, PASSED
from kaoping.scoring.numbers import cents, fmt
from kaoping.scoring.outcome import CampaignOutcome, ItemOutcome, UnitOutcome

from .common import (
    INCOMPLETE_NOTE,
    PENDING,
    SOURCE_LABELS,
    points_text,
    section_numeral,
)

RANKING_SHEET = "考评排名"
RULES_SHEET = "说明"
SCORE_FORMAT = "0.00"
FONT_NAME = "宋体"

# Light fills that stay readable on a black-and-white printer; the word is always in the cell too.
GRADE_FILLS = {
    EXCELLENT: ("C6EFCE", "006100"),  # green
    PASSED: ("DDEBF7", "1F4E79"),  # blue
    FAILED: ("FFC7CE", "9C0006"),  # red
}
# The same hues, saturated enough for chart bars.
GRADE_BAR_COLOURS = {EXCELLENT: "2E9D4E", PASSED: "3A78C2", FAILED: "D0433B"}
PENDING_BAR_COLOUR = "8C8C8C"
HEADER_FILL = "EDEDED"
SECTION_FILL = "F5F5F5"
LOST = "C00000"  # a score below the item's points, a veto, a pending status

THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
ALIGNMENTS = {
    "centre": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
    "right": Alignment(horizontal="right", vertical="center"),
    "title": Alignment(horizontal="center", vertical="center"),
    "bottom": Alignment(horizontal="left", vertical="bottom"),
}
ALIGNMENT_WORDS = {"centre": "居中", "left": "左", "right": "右", "title": "标题", "bottom": "底"}
SIGNATURE_LINE = (
    "考评人：　　　　　　复核人：　　　　　　单位负责人：　　　　　　日期：　　　　年　　月　　日"
)
FORBIDDEN_IN_TITLES = str.maketrans({c: "_" for c in "[]:*?/\\"})
# Each sheet counts its own pages from 1 (useFirstPageNumber), whichever way the workbook is printed; a
# "共 &N 页" would count every sheet's pages when the whole workbook is printed.
FOOTER = "&A　第 &P 页"


@dataclass(frozen=True)
class Look:
    """How a cell looks: one named style of the workbook for each distinct look."""

    size: float = 11
    bold: bool = False
    colour: str | None = None
    fill: str | None = None
    grid: bool = False
    align: str = "centre"
    score: bool = False  # a number shown with 2 decimals, right-aligned

    def style(self, name: str) -> NamedStyle:
        return NamedStyle(
            name=name,
            font=Font(name=FONT_NAME, size=self.size, bold=self.bold, color=self.colour),
            fill=PatternFill("solid", fgColor=self.fill) if self.fill else PatternFill(),
            border=GRID if self.grid else Border(),
            alignment=ALIGNMENTS["right" if self.score else self.align],
            number_format=SCORE_FORMAT if self.score else "General",
        )

    def name(self) -> str:
        """考评 宋体11 粗 框 居中: what a person sees in the spreadsheet's list of cell styles."""
        parts = [f"{FONT_NAME}{self.size:g}", "粗" if self.bold else ""]
        parts += [f"色{self.colour}" if self.colour else "", f"底{self.fill}" if self.fill else ""]
        parts += ["框" if self.grid else "", "分数" if self.score else ALIGNMENT_WORDS[self.align]]
        return "考评 " + " ".join(p for p in parts if p)


class Styles:
    """The workbook's named styles, added on first use; `id` is a style's index for cells written as XML."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._names: dict[Look, str] = {}
        self._ids: dict[Look, int] = {}

    def name(self, look: Look) -> str:
        name = self._names.get(look)
        if name is None:
            name = self._names[look] = look.name()
            self._workbook.add_named_style(look.style(name))
        return name

    def apply(self, cell: Cell, look: Look) -> None:
        cell.style = self.name(look)

    def id(self, look: Look) -> int:
        found = self._ids.get(look)
        if found is None:
            probe = Cell(self._workbook.active)
            probe.style = self.name(look)
            found = self._ids[look] = probe.style_id
        return found


# (unit code, item id) → (score before, score after) of an item changed on objection (申诉改分).
ObjectionChanges = dict[tuple[str, str], tuple[Decimal | None, Decimal | None]]


def write_ranking_workbook(
    outcome: CampaignOutcome, path: Path, *, fingerprint: str = "", changed: ObjectionChanges | None = None
) -> Path:
    """Write the ranking workbook to `path` and return it; `fingerprint`, if any, goes on the rules sheet;
    the unit sheets mark the items `changed` on objection."""
    path = Path(path)
    workbook = Workbook()
    styles = Styles(workbook)
    ranking = workbook.active
    ranking.title = RANKING_SHEET
    last_row = _write_ranking(ranking, outcome, styles)
    _add_chart(ranking, outcome, last_row)
    titles = _unit_sheet_titles(outcome.units)
    rows: dict[str, Callable[[], str]] = {}
    complete = outcome.complete
    for unit in outcome.units:
        sheet = _UnitWorksheet(workbook, titles[unit.code])
        workbook._add_sheet(sheet)
        rows[sheet.title] = _unit_sheet(sheet, outcome, unit, styles, complete, changed or {})
    _write_rules(workbook.create_sheet(RULES_SHEET), outcome, styles, fingerprint)
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        _Writer(workbook, archive, rows).write_data()
    return path


# ─── the ranking sheet ───


def _ranking_headers(outcome: CampaignOutcome) -> list[str]:
    sections = [header_lines(s, HEADER_CHARACTERS) for s in outcome.rubric.sections]
    adjusted = ["加减分"] if outcome.rubric.adjustments else []
    return ["名次", "单位代码", "单位名称", *sections, *adjusted, "总分", "等次", "取消评优"]


SECTION_COLUMN_WIDTH = 15
HEADER_CHARACTERS = 6  # bold 11 pt characters on one line of a 15-wide column, with the cell's margins
CONNECTIVES = set("和与及、，的")


def _words(text: str) -> list[str]:
    """Chinese words, near enough for breaking a heading: two characters each, a connective alone."""
    words: list[str] = []
    run = ""
    for character in text:
        if character in CONNECTIVES:
            words += [run[i : i + 2] for i in range(0, len(run), 2)] + [character]
            run = ""
        else:
            run += character
    return words + [run[i : i + 2] for i in range(0, len(run), 2)]


def header_lines(section: Section, per_line: int) -> str:
    """一、机构建设和执法保障（16分） as 一、机构建设 / 和执法保障 / （16分）: broken between words, the
    points on their own line, so that no column breaks a word or the brackets."""
    lines, line = [], f"{section_numeral(section)}、"
    for word in _words(section.title):
        if line and len(line) + len(word) > per_line:
            lines.append(line)
            line = ""
        line += word
    lines.append(line)
    return "\n".join([*lines, f"（{fmt(section.points)}分）"])


def _write_ranking(sheet: Worksheet, outcome: CampaignOutcome, styles: Styles) -> int:
    """Title, status line, header and one row per unit; returns the last row written."""
    headers = _ranking_headers(outcome)
    width = len(headers)
    _title(sheet, f"{outcome.year}年度全市国土资源执法监察工作目标管理考评排名", width, styles)
    status = sheet.cell(2, 1, _status_line(outcome))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    styles.apply(
        status,
        Look(10, align="left") if outcome.complete else Look(10, bold=True, colour=LOST, align="left"),
    )
    _header_row(sheet, 3, headers, styles)
    lines = max(h.count("\n") + 1 for h in headers)
    sheet.row_dimensions[3].height = lines * 15 + 8  # every line of the tallest heading shows

    complete = outcome.complete
    plain, score, total = Look(grid=True), Look(grid=True, score=True), Look(bold=True, grid=True, score=True)
    vetoed = Look(colour=LOST, grid=True)
    grades = {grade: _grade_look(grade) for grade in GRADE_FILLS}
    pending = Look(grid=True)
    plain_name, score_name, total_name = styles.name(plain), styles.name(score), styles.name(total)
    vetoed_name, pending_name = styles.name(vetoed), styles.name(pending)
    grade_names = {grade: styles.name(look) for grade, look in grades.items()}
    sections = outcome.rubric.sections
    for row, unit in enumerate(outcome.units, start=4):
        grade = unit.grade if complete and unit.grade else PENDING
        cells: list[tuple[object, str]] = [
            (unit.rank if complete else PENDING, plain_name),
            (unit.code, plain_name),
            (unit.name, plain_name),
            *((_number(unit.sections.get(s.number)), score_name) for s in sections),
            *([(_number(unit.adjustments_net), score_name)] if outcome.rubric.adjustments else []),
            (_number(unit.total), total_name),
            (grade, grade_names.get(grade, pending_name)),
            ("、".join(unit.vetoes) or None, vetoed_name if unit.vetoes else plain_name),
        ]
        for column, (value, style) in enumerate(cells, start=1):
            sheet.cell(row, column, value).style = style
        sheet.row_dimensions[row].height = 20

    adjusted = [9] if outcome.rubric.adjustments else []
    widths = [7, 10, 14, *(SECTION_COLUMN_WIDTH for _ in sections), *adjusted, 10, 9, 11]
    _column_widths(sheet, widths)
    sheet.freeze_panes = "D4"
    _print_setup(sheet, landscape=True, title_rows="3:3")
    return 3 + len(outcome.units)


def _status_line(outcome: CampaignOutcome) -> str:
    if not outcome.complete:
        return f"{INCOMPLETE_NOTE}（考评状态：{outcome.state.label}）"
    basis = f"考评依据：{outcome.rubric.title}"
    if outcome.rubric.document_number:
        basis += f"（{outcome.rubric.document_number}）"
    return f"{basis}　　考评状态：{outcome.state.label}　　满分{fmt(outcome.rubric.total)}分"


def _add_chart(sheet: Worksheet, outcome: CampaignOutcome, last_row: int) -> None:
    """Totals per unit in rank order, bars coloured by grade, below the table so it prints with it."""
    if not outcome.units:
        return
    total_column = 4 + len(outcome.rubric.sections) + bool(outcome.rubric.adjustments)
    chart = BarChart()
    chart.type = "col"
    chart.title = f"{outcome.year}年度考评总分"
    chart.y_axis.title = "总分"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = float(outcome.rubric.total)
    chart.y_axis.majorGridlines = None
    chart.y_axis.number_format = "0"
    # openpyxl hides axes unless told otherwise; Excel then shows a chart without labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(sheet, min_col=total_column, min_row=3, max_row=last_row)
    names = Reference(sheet, min_col=3, min_row=4, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    # Unit names are text: a string reference, not the numeric one set_categories() writes.
    chart.series[0].cat = AxDataSource(strRef=StrRef(f=str(names)))
    chart.legend = None
    series = chart.series[0]
    complete = outcome.complete
    for index, unit in enumerate(outcome.units):
        point = DataPoint(idx=index)
        colour = (
            GRADE_BAR_COLOURS.get(unit.grade or "", PENDING_BAR_COLOUR) if complete else PENDING_BAR_COLOUR
        )
        point.graphicalProperties.solidFill = colour
        point.graphicalProperties.line.solidFill = colour
        series.dPt.append(point)
    # Only the value on each bar: LibreOffice otherwise adds the series and category names.
    series.dLbls = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False)
    series.dLbls.numFmt = SCORE_FORMAT
    chart.width, chart.height = 24, 9  # cm: about the table's printed width
    sheet.add_chart(chart, f"B{last_row + 3}")


# ─── one score sheet per unit ───


def _unit_sheet_titles(units: list[UnitOutcome]) -> dict[str, str]:
    """Unit name as the sheet title: legal characters, ≤31 characters, unique."""
    taken = {RANKING_SHEET, RULES_SHEET}  # compared as spreadsheets do, without regard to case
    titles: dict[str, str] = {}
    for unit in units:
        base = (unit.name.translate(FORBIDDEN_IN_TITLES).strip("'") or unit.code)[:31]
        title, counter = base, 2
        while title.casefold() in taken:
            suffix = f"({counter})"
            title, counter = base[: 31 - len(suffix)] + suffix, counter + 1
        taken.add(title.casefold())
        titles[unit.code] = title
    return titles


UNIT_HEADERS = ["条目", "考评内容", "分值", "自评分", "最终得分", "来源", "计分说明 / 扣分原因"]
UNIT_WIDTHS = [6, 44, 7, 8, 9, 12, 34]
COLUMNS = "ABCDEFG"

# A row of a unit sheet: its height and its cells' (value, look), from column A.
Row = tuple[float, list[tuple[object, Look]]]


class _UnitWorksheet(Worksheet):
    """A unit's sheet. Its title is legal and unique already (`_unit_sheet_titles`), so openpyxl's check of
    it against every other sheet's title, quadratic in the number of units, is left out."""

    @property  # type: ignore[override]
    def title(self) -> str:
        return self._unit_title

    @title.setter
    def title(self, value: str) -> None:
        self._unit_title = value


def _unit_sheet(
    sheet: Worksheet,
    outcome: CampaignOutcome,
    unit: UnitOutcome,
    styles: Styles,
    complete: bool,
    changed: ObjectionChanges,
) -> Callable[[], str]:
    """The sheet's frame (merged cells, widths, print setup) and a function that renders its rows."""
    width = len(UNIT_HEADERS)
    items = sum(len(s.items) for s in outcome.rubric.sections)
    adjustments = len(outcome.rubric.adjustments) + 1 if outcome.rubric.adjustments else 0
    totals = 4 + len(outcome.rubric.sections) + items + adjustments
    # The ranges alone: merge_cells() would also make openpyxl cells for them, which these rows are not.
    last = COLUMNS[width - 1]
    for ref in (f"A1:{last}1", f"A2:{last}2", f"A{totals}:B{totals}", f"A{totals + 2}:{last}{totals + 2}"):
        sheet.merged_cells.add(MergedCellRange(sheet, ref))
    _column_widths(sheet, UNIT_WIDTHS)
    sheet.freeze_panes = "A4"
    _print_setup(sheet, landscape=False, title_rows="1:3")
    return lambda: _unit_rows_xml(_unit_rows(outcome, unit, complete, changed), styles)


UNIT_TITLE = Look(16, True, align="title")
UNIT_HEADER = Look(bold=True, align="left")
UNIT_HEADINGS = Look(bold=True, fill=HEADER_FILL, grid=True)
SIGNATURE = Look(align="bottom")


def _unit_rows(
    outcome: CampaignOutcome, unit: UnitOutcome, complete: bool, changed: ObjectionChanges
) -> Iterator[tuple[int, Row]]:
    yield 1, (32, [(f"{outcome.year}年度国土资源执法监察工作目标管理考评评分表", UNIT_TITLE)])
    yield 2, (22, [(_unit_header(unit, complete), UNIT_HEADER)])
    yield 3, (24, [(text, UNIT_HEADINGS) for text in UNIT_HEADERS])
    row = 4
    for section in outcome.rubric.sections:
        yield row, _section_row(section, unit)
        row += 1
        for item in section.items:
            yield row, _item_row(item, unit.items.get(item.id), changed.get((unit.code, item.id)))
            row += 1
    for adjustment_row in _adjustment_rows(outcome, unit):
        yield row, adjustment_row
        row += 1
    yield row, _totals_row(outcome, unit)
    yield row + 2, (36, [(SIGNATURE_LINE, SIGNATURE)])  # room for a pen


def _unit_header(unit: UnitOutcome, complete: bool) -> str:
    parts = [f"被考评单位：{unit.name}（{unit.code}）", f"总分：{unit.total:.2f}"]
    if complete:
        parts += [f"名次：{unit.rank}", f"等次：{unit.grade}"]
    else:
        parts.append(f"名次、等次：待定（{unit.unscored} 项未评）" if unit.unscored else "名次、等次：待定")
    if unit.vetoes:
        parts.append(f"取消评优：{'、'.join(unit.vetoes)}")
    return "　　".join(parts)


SECTION_CELL = Look(bold=True, fill=SECTION_FILL, grid=True)
SECTION_TEXT = Look(bold=True, fill=SECTION_FILL, grid=True, align="left")
SECTION_SCORE = Look(bold=True, fill=SECTION_FILL, grid=True, score=True)
ITEM_CELL = Look(10.5, grid=True)
ITEM_TEXT = Look(10.5, grid=True, align="left")
ITEM_SCORE = Look(10.5, grid=True, score=True)
ITEM_LOST = Look(10.5, colour=LOST, grid=True, score=True)
ITEM_UNSCORED = Look(10.5, bold=True, colour=LOST, grid=True)
TOTAL_CELL = Look(bold=True, grid=True)
TOTAL_SCORE = Look(bold=True, grid=True, score=True)
TOTAL_TEXT = Look(bold=True, grid=True, align="left")


def _section_row(section: Section, unit: UnitOutcome) -> Row:
    self_scores = [unit.items[i.id].self_score for i in section.items if i.id in unit.items]
    self_sum = sum((s for s in self_scores if s is not None), Decimal(0)) if any(self_scores) else None
    return 20, [
        (section_numeral(section), SECTION_CELL),
        (f"{section.title}（{fmt(section.points)}分）", SECTION_TEXT),
        (_number(section.points), SECTION_SCORE),
        (_number(self_sum), SECTION_SCORE),
        (_number(unit.sections.get(section.number)), SECTION_SCORE),
        (None, SECTION_TEXT),
        (None, SECTION_TEXT),
    ]


def _item_row(
    item: Item, result: ItemOutcome | None, objection: tuple[Decimal | None, Decimal | None] | None = None
) -> Row:
    score = result.score if result else None
    own = _number(result.self_score if result else None)
    explanation = _explanation(result)
    source = SOURCE_LABELS.get(result.source if result else None, "未评")
    if objection is not None:
        before, after = (fmt(v) if v is not None else "—" for v in objection)
        source = f"{source}\n申诉改分"
        explanation = f"申诉改分：{before} → {after}\n{explanation}"
    if score is None:
        final: tuple[object, Look] = ("未评", ITEM_UNSCORED)
    else:
        final = (_number(score), ITEM_LOST if score < item.points else ITEM_SCORE)
    height = _wrapped_height([(item.text, UNIT_WIDTHS[1]), (explanation, UNIT_WIDTHS[6])])
    return height, [
        (item.id, ITEM_CELL),
        (item.text, ITEM_TEXT),
        (_number(item.points), ITEM_SCORE),
        (own, ITEM_SCORE if own is not None else ITEM_CELL),
        final,
        (source, ITEM_CELL),
        (explanation, ITEM_TEXT),
    ]


ADJUSTMENT_HEADING = Look(bold=True, fill=SECTION_FILL, grid=True, align="left")
ADJUSTMENT_SCORE = Look(bold=True, fill=SECTION_FILL, grid=True, score=True)


def _adjustment_rows(outcome: CampaignOutcome, unit: UnitOutcome) -> Iterator[Row]:
    """加分和扣分 under the items (where the rubric declares any): a heading, then one row each."""
    if not outcome.rubric.adjustments:
        return
    heading = f"加分和扣分（条目得分合计 {unit.items_total:.2f} 分）"
    yield (
        20,
        [
            (None, ADJUSTMENT_HEADING),
            (heading, ADJUSTMENT_HEADING),
            (None, ADJUSTMENT_HEADING),
            (None, ADJUSTMENT_HEADING),
            (_number(unit.adjustments_net), ADJUSTMENT_SCORE),
            (None, ADJUSTMENT_HEADING),
            (None, ADJUSTMENT_HEADING),
        ],
    )
    for adjustment in outcome.rubric.adjustments:
        counted = unit.adjustments.get(adjustment.id)
        lines = [counted.statement if counted else "无记录"]
        lines += [f"{e.date} {e.basis}" for e in (counted.entries if counted else ())]
        text, explanation = f"{adjustment.kind.label}项：{adjustment.text}", "\n".join(lines)
        yield (
            _wrapped_height([(text, UNIT_WIDTHS[1]), (explanation, UNIT_WIDTHS[6])]),
            [
                (adjustment.id, ITEM_CELL),
                (text, ITEM_TEXT),
                (_number(adjustment.max), ITEM_SCORE),
                (None, ITEM_CELL),
                (_number(counted.score if counted else Decimal(0)), ITEM_SCORE),
                (adjustment.kind.label, ITEM_CELL),
                (explanation, ITEM_TEXT),
            ],
        )


def _explanation(result: ItemOutcome | None) -> str:
    """The rule's sentence and/or the assessor's reason, as one cell."""
    if result is None:
        return ""
    if result.source == "override":
        computed = f"自动计分 {result.computed:.2f} 分" if result.computed is not None else "自动计分"
        lines = [f"{computed}：{result.explanation}" if result.explanation else computed]
        if result.review_note:
            lines.append(f"调整理由：{result.review_note}")
        return "\n".join(lines)
    return "\n".join(part for part in (result.explanation, result.review_note) if part)


def _totals_row(outcome: CampaignOutcome, unit: UnitOutcome) -> Row:
    self_scores = [i.self_score for i in unit.items.values() if i.self_score is not None]
    return 22, [
        ("合计", TOTAL_CELL),
        (None, TOTAL_CELL),  # merged with 合计
        (_number(outcome.rubric.total), TOTAL_SCORE),
        (_number(sum(self_scores, Decimal(0))) if self_scores else None, TOTAL_SCORE),
        (_number(unit.total), TOTAL_SCORE),
        (None, TOTAL_CELL),
        (f"{unit.unscored} 项未评，总分为已评条目之和" if unit.unscored else None, TOTAL_TEXT),
    ]


def _text_xml(text: str) -> str:
    return escape(ILLEGAL_CHARACTERS_RE.sub("", text))


def _unit_rows_xml(rows: Iterator[tuple[int, Row]], styles: Styles) -> str:
    """The rows as SpreadsheetML: numbers as numbers, text inline, each cell with its named style."""
    parts = []
    for number, (height, cells) in rows:
        parts.append(f'<row r="{number}" ht="{height:g}" customHeight="1">')
        for column, (value, look) in zip(COLUMNS, cells, strict=False):
            ref, style = f"{column}{number}", styles.id(look)
            if value is None:
                parts.append(f'<c r="{ref}" s="{style}"/>')
            elif isinstance(value, float):
                parts.append(f'<c r="{ref}" s="{style}" t="n"><v>{value!r}</v></c>')
            else:
                text = _text_xml(str(value))
                parts.append(
                    f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                )
        parts.append("</row>")
    return "".join(parts)


class _Writer(ExcelWriter):
    """openpyxl's writer, with the unit sheets' rows put in from `rows` (sheet title → its rows' XML)."""

    def __init__(self, workbook: Workbook, archive: ZipFile, rows: dict[str, Callable[[], str]]) -> None:
        super().__init__(workbook, archive)
        self._rows = rows
        self._frame: tuple[str, str] | None = None

    def write_worksheet(self, ws: Worksheet) -> None:
        render = self._rows.get(ws.title)
        if render is None:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()
        ws._rels = RelationshipList()
        if self._frame is None:
            # Every unit sheet is set up alike (`_unit_sheet`): one frame serves them all.
            writer = _FrameWriter(ws, out=BytesIO())
            writer.write()
            head, tail = _SHEET_DATA.split(writer.read().decode(), maxsplit=1)
            self._frame = head, tail
        head, tail = self._frame
        self._archive.writestr(ws.path[1:], f"{head}<sheetData>{render()}</sheetData>{tail}")
        self.manifest.append(ws)


_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData></sheetData>")


class _FrameWriter(WorksheetWriter):
    """A unit sheet without its rows (an empty sheetData for them) and with their full extent."""

    def write_dimensions(self) -> None:
        last = max(self.ws.merged_cells.ranges, key=lambda r: r.max_row).max_row
        self.xf.send(SheetDimension(f"A1:{COLUMNS[-1]}{last}").to_tree())

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            pass
        self.xf.send(None)


# ─── the rules sheet ───


def _write_rules(sheet: Worksheet, outcome: CampaignOutcome, styles: Styles, fingerprint: str = "") -> None:
    rubric = outcome.rubric
    vetoes = "、".join(rubric.veto_events) or "问责、数据不实"
    lines = [
        ("考评依据", f"{rubric.title}" + (f"（{rubric.document_number}）" if rubric.document_number else "")),
        ("满分", f"{fmt(rubric.total)}分，共{len(rubric.sections)}个部分{len(rubric.items)}个条目"),
        ("考评程序", "区县（市）国土资源局（分局）自评——市局目标管理考评小组考评——市局党组审定"),
        (
            "优胜单位",
            f"无取消评优情形、总分不低于{points_text(outcome.excellent_min)}分的单位中，"
            f"总分最高的{outcome.excellent_quota}个单位；名额边界总分并列的，一并评为优胜",
        ),
        ("达标单位", f"总分不低于{points_text(outcome.pass_min)}分、未评为优胜的单位"),
        ("不合格单位", f"总分低于{points_text(outcome.pass_min)}分的单位"),
        ("取消评优", f"本年度有{vetoes}情形的单位不得评为优胜；不影响其得分和名次"),
        ("名次", "按总分由高到低排列；总分相同的名次相同，其后名次顺延（如 1、2、2、4）"),
        ("最终得分", "有考评分的取考评分；自动计分条目无考评分的取自动计分；两者皆无的为“未评”"),
        ("来源", "自动计分：按台帐数据计算；考评：考评人评分；考评（调整自动计分）：考评人调整了自动计分"),
        ("计分", "各条目得分保留两位小数（四舍五入），部分得分和总分为条目得分之和"),
    ]
    if rubric.adjustments:
        lines[-1] = (
            "计分",
            "各条目得分保留两位小数（四舍五入），部分得分为条目得分之和；总分为条目得分之和加减分",
        )
        lines += [
            (
                f"{a.label}",
                f"{a.name}：{a.text}（每项{a.kind.verb}{fmt(a.points)}分，最多{a.kind.verb}{fmt(a.max)}分；"
                "考评小组逐条记录依据和佐证材料）",
            )
            for a in rubric.adjustments
        ]
    if fingerprint:
        lines.append(
            ("结果指纹", f"{fingerprint}（审定结果的 SHA-256 前 {len(fingerprint)} 位，与系统结果页核对）")
        )
    _title(sheet, f"{outcome.year}年度考评计分和等次规则", 2, styles)
    for row, (label, text) in enumerate(lines, start=3):
        # The grade rows carry the grade's colour: a legend for the ranking sheet.
        grade = label.removesuffix("单位")
        styles.apply(sheet.cell(row, 1, label), _grade_look(grade) if grade in GRADE_FILLS else TOTAL_CELL)
        styles.apply(sheet.cell(row, 2, text), Look(grid=True, align="left"))
        sheet.row_dimensions[row].height = _wrapped_height([(text, 80)])
    _column_widths(sheet, [14, 80])
    _print_setup(sheet, landscape=False, title_rows=None)


# ─── cells and pages ───


def _number(value: Decimal | None) -> float | None:
    # Cells hold real numbers so that people can sum and sort them; the format shows 2 decimals.
    return None if value is None else float(cents(value))


def _grade_look(grade: str) -> Look:
    fill, text = GRADE_FILLS[grade]
    return Look(bold=True, colour=text, fill=fill, grid=True)


def _title(sheet: Worksheet, text: str, width: int, styles: Styles) -> None:
    cell = sheet.cell(1, 1, text)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    styles.apply(cell, Look(16, bold=True, align="title"))
    sheet.row_dimensions[1].height = 32


def _header_row(sheet: Worksheet, row: int, headers: list[str], styles: Styles) -> None:
    name = styles.name(Look(bold=True, fill=HEADER_FILL, grid=True))
    for column, text in enumerate(headers, start=1):
        sheet.cell(row, column, text).style = name
    sheet.row_dimensions[row].height = 24


def _column_widths(sheet: Worksheet, widths: list[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _wrapped_height(texts: list[tuple[str, float]], line_height: float = 15) -> float:
    """Row height for wrapped text; spreadsheet programs do not grow rows written by openpyxl."""
    lines = 1
    for text, width in texts:
        per_line = max(int(width / 1.9), 1)  # a CJK character takes about two width units
        lines = max(lines, sum(math.ceil(max(len(part), 1) / per_line) for part in text.split("\n")))
    return lines * line_height + 6


def _print_setup(sheet: Worksheet, *, landscape: bool, title_rows: str | None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.7
    sheet.oddFooter.center.text = FOOTER
    sheet.page_setup.firstPageNumber = 1
    sheet.page_setup.useFirstPageNumber = True
    if title_rows:
        sheet.print_title_rows = title_rows
