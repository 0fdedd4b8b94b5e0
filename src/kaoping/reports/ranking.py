"""The ranking workbook (考评排名表) a bureau hands out: the ranking, a chart, one score sheet per unit."""

import math
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.rubrics.schema import Item, Section
from kaoping.scoring.grading import EXCELLENT, FAILED, PASSED
from kaoping.scoring.numbers import cents, fmt
from kaoping.scoring.outcome import CampaignOutcome, ItemOutcome, UnitOutcome

from .common import (
    INCOMPLETE_NOTE,
    PENDING,
    SOURCE_LABELS,
    points_text,
    section_heading,
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

THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")
SECTION_FILL = PatternFill("solid", fgColor="F5F5F5")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
SIGNATURE_LINE = (
    "考评人：　　　　　　复核人：　　　　　　单位负责人：　　　　　　日期：　　　　年　　月　　日"
)
FORBIDDEN_IN_TITLES = str.maketrans({c: "_" for c in "[]:*?/\\"})


def write_ranking_workbook(outcome: CampaignOutcome, path: Path, *, fingerprint: str = "") -> Path:
    """Write the ranking workbook to `path` and return it; `fingerprint`, if any, goes on the rules sheet."""
    path = Path(path)
    workbook = Workbook()
    ranking = workbook.active
    ranking.title = RANKING_SHEET
    last_row = _write_ranking(ranking, outcome)
    _add_chart(ranking, outcome, last_row)
    titles = _unit_sheet_titles(outcome.units)
    for unit in outcome.units:
        _write_unit_sheet(workbook.create_sheet(titles[unit.code]), outcome, unit)
    _write_rules(workbook.create_sheet(RULES_SHEET), outcome, fingerprint)
    workbook.save(path)
    return path


# ─── the ranking sheet ───


def _ranking_headers(outcome: CampaignOutcome) -> list[str]:
    # The points on their own line, so a narrow column never breaks inside the brackets.
    sections = [section_heading(s).replace("（", "\n（") for s in outcome.rubric.sections]
    adjusted = ["加减分"] if outcome.rubric.adjustments else []
    return ["名次", "单位代码", "单位名称", *sections, *adjusted, "总分", "等次", "取消评优"]


def _write_ranking(sheet: Worksheet, outcome: CampaignOutcome) -> int:
    """Title, status line, header and one row per unit; returns the last row written."""
    headers = _ranking_headers(outcome)
    width = len(headers)
    _title(sheet, f"{outcome.year}年度全市国土资源执法监察工作目标管理考评排名", width)
    status = sheet.cell(2, 1, _status_line(outcome))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    status.alignment = LEFT
    status.font = Font(
        name=FONT_NAME, size=10, bold=not outcome.complete, color=None if outcome.complete else "C00000"
    )
    _header_row(sheet, 3, headers)
    sheet.row_dimensions[3].height = 45  # section headings wrap onto 2–3 lines

    complete = outcome.complete
    for row, unit in enumerate(outcome.units, start=4):
        values: list[object] = [
            unit.rank if complete else PENDING,
            unit.code,
            unit.name,
            *(_number(unit.sections.get(s.number)) for s in outcome.rubric.sections),
            *([_number(unit.adjustments_net)] if outcome.rubric.adjustments else []),
            _number(unit.total),
            unit.grade if complete and unit.grade else PENDING,
            "、".join(unit.vetoes),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, value)
            cell.border, cell.font, cell.alignment = GRID, Font(name=FONT_NAME, size=11), CENTRE
            if isinstance(value, float):
                _score_cell(cell)
        _grade_cell(sheet.cell(row, width - 1))
        sheet.cell(row, width - 2).font = Font(name=FONT_NAME, size=11, bold=True)
        if unit.vetoes:
            sheet.cell(row, width).font = Font(name=FONT_NAME, size=11, color="C00000")
        sheet.row_dimensions[row].height = 20

    adjusted = [9] if outcome.rubric.adjustments else []
    widths = [7, 10, 14, *(15 for _ in outcome.rubric.sections), *adjusted, 10, 9, 11]
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
    for index, unit in enumerate(outcome.units):
        point = DataPoint(idx=index)
        colour = (
            GRADE_BAR_COLOURS.get(unit.grade or "", PENDING_BAR_COLOUR)
            if outcome.complete
            else PENDING_BAR_COLOUR
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
    taken = {RANKING_SHEET, RULES_SHEET}
    titles: dict[str, str] = {}
    for unit in units:
        base = (unit.name.translate(FORBIDDEN_IN_TITLES).strip("'") or unit.code)[:31]
        title, counter = base, 2
        while title in taken:
            suffix = f"({counter})"
            title, counter = base[: 31 - len(suffix)] + suffix, counter + 1
        taken.add(title)
        titles[unit.code] = title
    return titles


UNIT_HEADERS = ["条目", "考评内容", "分值", "自评分", "最终得分", "来源", "计分说明 / 扣分原因"]
UNIT_WIDTHS = [6, 44, 7, 8, 9, 12, 34]


def _write_unit_sheet(sheet: Worksheet, outcome: CampaignOutcome, unit: UnitOutcome) -> None:
    width = len(UNIT_HEADERS)
    _title(sheet, f"{outcome.year}年度国土资源执法监察工作目标管理考评评分表", width)
    _unit_header(sheet, outcome, unit, width)
    _header_row(sheet, 3, UNIT_HEADERS)
    row = 4
    for section in outcome.rubric.sections:
        _section_row(sheet, row, section, unit)
        row += 1
        for item in section.items:
            _item_row(sheet, row, item, unit.items.get(item.id))
            row += 1
    row = _adjustment_rows(sheet, row, outcome, unit)
    _totals_row(sheet, row, outcome, unit)
    signature = sheet.cell(row + 2, 1, SIGNATURE_LINE)
    sheet.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=width)
    signature.font = Font(name=FONT_NAME, size=11)
    signature.alignment = Alignment(horizontal="left", vertical="bottom")
    sheet.row_dimensions[row + 2].height = 36  # room for a pen
    _column_widths(sheet, UNIT_WIDTHS)
    sheet.freeze_panes = "A4"
    _print_setup(sheet, landscape=False, title_rows="1:3")


def _unit_header(sheet: Worksheet, outcome: CampaignOutcome, unit: UnitOutcome, width: int) -> None:
    parts = [f"被考评单位：{unit.name}（{unit.code}）", f"总分：{unit.total:.2f}"]
    if outcome.complete:
        parts += [f"名次：{unit.rank}", f"等次：{unit.grade}"]
    else:
        parts.append(f"名次、等次：待定（{unit.unscored} 项未评）" if unit.unscored else "名次、等次：待定")
    if unit.vetoes:
        parts.append(f"取消评优：{'、'.join(unit.vetoes)}")
    cell = sheet.cell(2, 1, "　　".join(parts))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    cell.font = Font(name=FONT_NAME, size=11, bold=True)
    cell.alignment = LEFT
    sheet.row_dimensions[2].height = 22


def _section_row(sheet: Worksheet, row: int, section: Section, unit: UnitOutcome) -> None:
    self_scores = [unit.items[i.id].self_score for i in section.items if i.id in unit.items]
    self_sum = sum((s for s in self_scores if s is not None), Decimal(0)) if any(self_scores) else None
    values = [
        section_numeral(section),
        f"{section.title}（{fmt(section.points)}分）",
        _number(section.points),
        _number(self_sum),
        _number(unit.sections.get(section.number)),
        None,
        None,
    ]
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value)
        cell.border, cell.fill = GRID, SECTION_FILL
        cell.font = Font(name=FONT_NAME, size=11, bold=True)
        cell.alignment = CENTRE if column == 1 else LEFT
        if isinstance(value, float):
            _score_cell(cell)
    sheet.row_dimensions[row].height = 20


def _item_row(sheet: Worksheet, row: int, item: Item, result: ItemOutcome | None) -> None:
    score = result.score if result else None
    values = [
        item.id,
        item.text,
        _number(item.points),
        _number(result.self_score if result else None),
        _number(score) if score is not None else "未评",
        SOURCE_LABELS.get(result.source if result else None, "未评"),
        _explanation(result),
    ]
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value)
        cell.border = GRID
        cell.font = Font(name=FONT_NAME, size=10.5)
        cell.alignment = LEFT if column in (2, 7) else CENTRE
        if isinstance(value, float):
            _score_cell(cell)
    if score is None:
        sheet.cell(row, 5).font = Font(name=FONT_NAME, size=10.5, bold=True, color="C00000")
    elif score < item.points:
        sheet.cell(row, 5).font = Font(name=FONT_NAME, size=10.5, color="C00000")
    sheet.row_dimensions[row].height = _wrapped_height(
        [(item.text, UNIT_WIDTHS[1]), (values[6], UNIT_WIDTHS[6])]
    )


def _adjustment_rows(sheet: Worksheet, row: int, outcome: CampaignOutcome, unit: UnitOutcome) -> int:
    """加分和扣分 under the items (where the rubric declares any): one row each with its entries."""
    if not outcome.rubric.adjustments:
        return row
    heading = f"加分和扣分（条目得分合计 {unit.items_total:.2f} 分）"
    values: list[object] = [None, heading, None, None, _number(unit.adjustments_net), None, None]
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value)
        cell.border, cell.fill = GRID, SECTION_FILL
        cell.font = Font(name=FONT_NAME, size=11, bold=True)
        cell.alignment = LEFT
        if isinstance(value, float):
            _score_cell(cell)
    for adjustment in outcome.rubric.adjustments:
        row += 1
        counted = unit.adjustments.get(adjustment.id)
        lines = [counted.statement if counted else "无记录"]
        lines += [f"{e.date} {e.basis}" for e in (counted.entries if counted else ())]
        values = [
            adjustment.id,
            f"{adjustment.kind.label}项：{adjustment.text}",
            _number(adjustment.max),
            None,
            _number(counted.score if counted else Decimal(0)),
            adjustment.kind.label,
            "\n".join(lines),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, value)
            cell.border, cell.font = GRID, Font(name=FONT_NAME, size=10.5)
            cell.alignment = LEFT if column in (2, 7) else CENTRE
            if isinstance(value, float):
                _score_cell(cell)
        sheet.row_dimensions[row].height = _wrapped_height(
            [(str(values[1]), UNIT_WIDTHS[1]), (str(values[6]), UNIT_WIDTHS[6])]
        )
    return row + 1


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


def _totals_row(sheet: Worksheet, row: int, outcome: CampaignOutcome, unit: UnitOutcome) -> None:
    self_scores = [i.self_score for i in unit.items.values() if i.self_score is not None]
    values = [
        "合计",
        None,
        _number(outcome.rubric.total),
        _number(sum(self_scores, Decimal(0))) if self_scores else None,
        _number(unit.total),
        None,
        f"{unit.unscored} 项未评，总分为已评条目之和" if unit.unscored else None,
    ]
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value)
        cell.border = GRID
        cell.font = Font(name=FONT_NAME, size=11, bold=True)
        cell.alignment = LEFT if column == 7 else CENTRE
        if isinstance(value, float):
            _score_cell(cell)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    sheet.row_dimensions[row].height = 22


# ─── the rules sheet ───


def _write_rules(sheet: Worksheet, outcome: CampaignOutcome, fingerprint: str = "") -> None:
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
    _title(sheet, f"{outcome.year}年度考评计分和等次规则", 2)
    for row, (label, text) in enumerate(lines, start=3):
        head, body = sheet.cell(row, 1, label), sheet.cell(row, 2, text)
        head.font, body.font = Font(name=FONT_NAME, size=11, bold=True), Font(name=FONT_NAME, size=11)
        head.alignment, body.alignment = CENTRE, LEFT
        head.border = body.border = GRID
        sheet.row_dimensions[row].height = _wrapped_height([(text, 80)])
        # The grade rows carry the grade's colour: a legend for the ranking sheet.
        _paint_grade(head, label.removesuffix("单位"))
    _column_widths(sheet, [14, 80])
    _print_setup(sheet, landscape=False, title_rows=None)


# ─── cells and pages ───


def _number(value: Decimal | None) -> float | None:
    # Cells hold real numbers so that people can sum and sort them; the format shows 2 decimals.
    return None if value is None else float(cents(value))


def _score_cell(cell: Cell) -> None:
    cell.number_format = SCORE_FORMAT
    cell.alignment = RIGHT


def _grade_cell(cell: Cell) -> None:
    cell.alignment = CENTRE
    cell.border = GRID
    _paint_grade(cell, str(cell.value))


def _paint_grade(cell: Cell, grade: str) -> None:
    colours = GRADE_FILLS.get(grade)
    if colours:
        fill, text = colours
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.font = Font(name=FONT_NAME, size=11, bold=True, color=text)


def _title(sheet: Worksheet, text: str, width: int) -> None:
    cell = sheet.cell(1, 1, text)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell.font = Font(name=FONT_NAME, size=16, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32


def _header_row(sheet: Worksheet, row: int, headers: list[str]) -> None:
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row, column, text)
        cell.font = Font(name=FONT_NAME, size=11, bold=True)
        cell.fill, cell.border, cell.alignment = HEADER_FILL, GRID, CENTRE
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
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    if title_rows:
        sheet.print_title_rows = title_rows
