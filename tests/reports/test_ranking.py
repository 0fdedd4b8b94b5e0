"""The ranking workbook as a reader sees it after opening the file again."""

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart.marker import DataPoint
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.reports.ranking import write_ranking_workbook
from kaoping.scoring.outcome import CampaignOutcome

RANK_ORDER = ["赫山区", "资阳区", "南县", "桃江县", "安化县", "益阳高新区", "沅江市", "大通湖区"]
FIRST_UNIT_ROW, LAST_UNIT_ROW = 4, 11
TOTAL_COLUMN, GRADE_COLUMN, VETO_COLUMN = 10, 11, 12  # J, K, L: after 名次, 代码, 名称 and six sections


def _open(outcome: CampaignOutcome, tmp_path: Path) -> Workbook:
    path = write_ranking_workbook(outcome, tmp_path / "考评排名.xlsx")
    assert path == tmp_path / "考评排名.xlsx"
    return load_workbook(path)


def _column(sheet: Worksheet, column: int) -> list[object]:
    return [sheet.cell(row, column).value for row in range(FIRST_UNIT_ROW, LAST_UNIT_ROW + 1)]


def _rows_by_first_cell(sheet: Worksheet) -> dict[str, tuple]:
    return {str(row[0].value): row for row in sheet.iter_rows(min_row=4) if row[0].value is not None}


def _colour(point: DataPoint) -> str:
    colour = point.graphicalProperties.solidFill.srgbClr
    return str(getattr(colour, "val", colour))


@pytest.fixture
def workbook(outcome: CampaignOutcome, tmp_path: Path) -> Workbook:
    return _open(outcome, tmp_path)


def test_sheets_are_the_ranking_one_per_unit_in_rank_order_and_the_rules(workbook: Workbook) -> None:
    assert workbook.sheetnames == ["考评排名", *RANK_ORDER, "说明"]


def test_ranking_sheet_title_header_and_order(workbook: Workbook) -> None:
    sheet = workbook["考评排名"]
    assert sheet["A1"].value == "2017年度全市国土资源执法监察工作目标管理考评排名"
    headers = [cell.value for cell in sheet[3]]
    assert headers == [
        "名次",
        "单位代码",
        "单位名称",
        "一、机构建设\n和执法保障\n（16分）",
        "二、动态巡查\n（14分）",
        "三、案件查处\n（20分）",
        "四、案件质量\n评查\n（10分）",
        "五、土地矿产\n卫片执法检查\n（20分）",
        "六、专项工作\n（20分）",
        "总分",
        "等次",
        "取消评优",
    ]
    assert _column(sheet, 3) == RANK_ORDER
    assert _column(sheet, 1) == [1, 2, 3, 4, 5, 6, 6, 8]  # a tie shares a rank and the next one skips
    assert _column(sheet, 2)[:3] == ["430903", "430902", "430921"]  # codes stay text, leading digits intact
    assert _column(sheet, TOTAL_COLUMN) == [97.0, 95.5, 92.0, 91.83, 90.5, 78.27, 78.27, 51.42]
    assert _column(sheet, GRADE_COLUMN) == ["达标", "优胜", "优胜", "优胜", "达标", "达标", "达标", "不合格"]
    assert _column(sheet, VETO_COLUMN) == ["问责", None, None, None, None, None, None, "数据不实"]
    assert "尚有未评条目" not in str(sheet["A2"].value)


def test_header_row_shows_every_line_of_the_section_names(workbook: Workbook) -> None:
    sheet = workbook["考评排名"]
    headings = [sheet.cell(3, column).value for column in range(4, 10)]
    tallest = max(h.count("\n") + 1 for h in headings)
    assert tallest == 3
    # 11 pt text needs about 14.5 pt a line; the row holds them all.
    assert sheet.row_dimensions[3].height >= tallest * 14.5
    for heading in headings:
        *words, points = heading.split("\n")
        assert points.startswith("（") and points.endswith("分）")
        assert all(len(line) <= 6 for line in words)
    # Broken between words: no line ends in the middle of 土地, 矿产, 卫片, 执法 or 检查.
    assert headings[4].split("\n")[:2] == ["五、土地矿产", "卫片执法检查"]


def test_scores_are_numbers_with_two_decimals_right_aligned(workbook: Workbook) -> None:
    sheet = workbook["考评排名"]
    for row in range(FIRST_UNIT_ROW, LAST_UNIT_ROW + 1):
        for column in range(4, TOTAL_COLUMN + 1):
            cell = sheet.cell(row, column)
            assert cell.data_type == "n", cell.coordinate
            assert cell.number_format == "0.00"
            assert cell.alignment.horizontal == "right"
    # Section scores of 赫山区 as the unit earned them.
    assert [sheet.cell(FIRST_UNIT_ROW, c).value for c in range(4, 10)] == [16, 14, 19, 10, 20, 18]


def test_grade_cells_carry_their_fixed_colours(workbook: Workbook) -> None:
    sheet = workbook["考评排名"]
    fills = {}
    for row in range(FIRST_UNIT_ROW, LAST_UNIT_ROW + 1):
        cell = sheet.cell(row, GRADE_COLUMN)
        fills.setdefault(cell.value, set()).add(cell.fill.fgColor.rgb[-6:])
    assert fills == {"优胜": {"C6EFCE"}, "达标": {"DDEBF7"}, "不合格": {"FFC7CE"}}  # green, blue, red


def test_ranking_sheet_is_ready_to_print(workbook: Workbook) -> None:
    sheet = workbook["考评排名"]
    assert sheet.freeze_panes == "D4"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert int(sheet.page_setup.fitToWidth) == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.column_dimensions["C"].width >= 12  # 益阳高新区 fits


def test_chart_of_totals_in_rank_order(workbook: Workbook) -> None:
    sheet = workbook["考评排名"]
    assert len(sheet._charts) == 1
    chart = sheet._charts[0]
    assert chart.tagname == "barChart"
    assert "".join(r.t for p in chart.title.tx.rich.p for r in p.r) == "2017年度考评总分"
    (series,) = chart.series
    assert series.val.numRef.f == "'考评排名'!$J$4:$J$11"  # 8 data points, the 总分 column
    assert series.cat.strRef.f == "'考评排名'!$C$4:$C$11"  # the unit names, in rank order
    colours = [_colour(point) for point in series.dPt]
    assert len(colours) == 8
    assert colours[1] == "2E9D4E" and colours[0] == "3A78C2" and colours[7] == "D0433B"


def test_unit_sheet_lists_every_item_under_its_section(workbook: Workbook, outcome: CampaignOutcome) -> None:
    sheet = workbook["资阳区"]
    assert sheet["A1"].value == "2017年度国土资源执法监察工作目标管理考评评分表"
    assert sheet["A2"].value.startswith("被考评单位：资阳区（430902）")
    assert "等次：优胜" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == [
        "条目",
        "考评内容",
        "分值",
        "自评分",
        "最终得分",
        "来源",
        "计分说明 / 扣分原因",
    ]
    rows = _rows_by_first_cell(sheet)
    item_ids = [i.id for i in outcome.rubric.items]
    assert [k for k in rows if "." in k] == item_ids
    assert len(item_ids) == 35

    section = rows["一"]
    assert section[1].value == "机构建设和执法保障（16分）"
    assert section[1].font.b and section[4].font.b
    assert section[4].value == 15.0 and section[4].number_format == "0.00"

    text, points, own, final, source, why = (c.value for c in rows["1.1"][1:7])
    assert text.startswith("党组每季度听取执法监察工作情况汇报") and sheet["B5"].alignment.wrap_text
    assert (points, own, final, source) == (3, 3, 3, "自动计分")
    assert why == "4 个季度均听取汇报，得 3×4/4=3 分"

    assert [c.value for c in rows["1.2"][4:7]] == [0, "考评", "执法监察机构未比照局内设科室管理"]
    override = rows["4.3"]
    assert (override[4].value, override[5].value) == (4, "考评（调整自动计分）")
    assert override[6].value.startswith("自动计分 5.40 分：评查案卷 5 宗")
    assert "调整理由：抽查 2 宗案卷证据链不完整" in override[6].value

    totals = rows["合计"]
    assert (totals[2].value, totals[4].value) == (100, 95.5)
    signature = next(r[0].value for r in sheet.iter_rows() if str(r[0].value).startswith("考评人"))
    for who in ("考评人：", "复核人：", "单位负责人：", "日期："):
        assert who in signature


def test_unit_sheet_prints_portrait_with_header_rows(workbook: Workbook) -> None:
    sheet = workbook["大通湖区"]
    assert sheet.page_setup.orientation == "portrait"
    assert int(sheet.page_setup.fitToWidth) == 1
    assert sheet.print_title_rows == "$1:$3"
    assert "取消评优：数据不实" in sheet["A2"].value
    rows = _rows_by_first_cell(sheet)
    assert rows["6.1"][3].value is None  # no self score given for section 六


def test_rules_sheet_states_the_grade_settings(workbook: Workbook) -> None:
    text = "\n".join(str(c.value) for row in workbook["说明"].iter_rows() for c in row if c.value)
    assert "总分不低于90分的单位中，总分最高的3个单位" in text
    assert "总分低于60分的单位" in text
    assert "问责、数据不实" in text


def test_incomplete_campaign_leaves_rank_and_grade_open(
    incomplete_outcome: CampaignOutcome, tmp_path: Path
) -> None:
    workbook = _open(incomplete_outcome, tmp_path)
    sheet = workbook["考评排名"]
    assert "尚有未评条目，名次和等次待定" in sheet["A2"].value
    assert set(_column(sheet, 1)) == {"—"}
    assert set(_column(sheet, GRADE_COLUMN)) == {"—"}
    assert sheet.cell(FIRST_UNIT_ROW + 2, 3).value == "南县"
    assert sheet.cell(FIRST_UNIT_ROW + 2, TOTAL_COLUMN).value == 86.0  # the scored items only
    bars = {_colour(p) for p in sheet._charts[0].series[0].dPt}
    assert bars == {"8C8C8C"}  # no grade colours before there are grades

    rows = _rows_by_first_cell(workbook["南县"])
    assert [c.value for c in rows["4.3"][4:7]] == ["未评", "未评", "本年度无评查案卷，须由考评人评分"]
    assert "待定" in workbook["南县"]["A2"].value


def test_sheet_titles_are_legal_short_and_unique(outcome: CampaignOutcome, tmp_path: Path) -> None:
    outcome.units[0].name = "说明"
    outcome.units[1].name = "赫山/资阳[合并]区"
    long_name = "益阳市某某区国土资源局执法监察大队第一中队及其下属各个基层国土资源所（试点）"
    outcome.units[2].name = outcome.units[3].name = long_name
    names = _open(outcome, tmp_path).sheetnames
    assert names[:5] == ["考评排名", "说明(2)", "赫山_资阳_合并_区", long_name[:31], long_name[:28] + "(2)"]
    assert all(len(n) <= 31 for n in names) and len(set(names)) == len(names)


def test_totals_are_exact_decimals_rounded_for_display(outcome: CampaignOutcome, tmp_path: Path) -> None:
    outcome.units[0].total = Decimal("97.005")  # never happens (sums of cents) but must not print 97.0
    sheet = _open(outcome, tmp_path)["考评排名"]
    assert sheet.cell(FIRST_UNIT_ROW, TOTAL_COLUMN).value == 97.01
