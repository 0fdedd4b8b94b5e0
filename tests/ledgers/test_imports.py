"""Imports as formats.md specifies: every row error named, nothing written unless the whole file is valid."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from kaoping.errors import KaopingError, RowErrors
from kaoping.importing import KINDS, file_import
from kaoping.ledgers.models import Case, Event, Patch, Submission
from kaoping.org.models import Unit
from sheets import header, row

CASE_HEADERS = header("cases")
# formats.md, verbatim: the headers of each kind, key first. Tests elsewhere build files from the specs.
FORMATS_MD_HEADERS = {
    "units": "单位代码, 单位名称",
    "cases": "案件编号, 单位代码, 违法类型, 发现方式, 是否重大案件, 立案日期, 是否公开立案, 处罚程序, "
    "处罚决定日期, 生效日期, 网上公布日期, 结案日期, 是否公开曝光, 曝光日期, 复议诉讼结果",
    "submissions": "单位代码, 报表类型, 所属期, 提交时间",
    "tips": "线索编号, 单位代码, 登记日期, 办理期限, 办结日期, 是否上报支队",
    "patches": "图斑编号, 单位代码, 判定结果, 监测面积, 耕地面积, 是否履职到位, 是否查处到位, 是否整改到位, "
    "是否形成卫片卷宗, 是否形成查处案卷",
    "events": "单位代码, 类型, 日期, 说明",
    "casefile-reviews": "案卷编号, 单位代码, 评查日期, 评查得分",
    "self-scores": "单位代码, 条目, 得分, 说明",
    "review-scores": "单位代码, 条目, 得分, 说明",
}


def case_row(number="ZY-001", unit="430902", filed="2017-03-01", **changes):
    values = {
        "案件编号": number,
        "单位代码": unit,
        "违法类型": "土地",
        "发现方式": "动态巡查",
        "是否重大案件": "否",
        "立案日期": filed,
        "是否公开立案": "否",
        "处罚程序": "一般",
        "处罚决定日期": "2017-04-01",
        "生效日期": "2017-04-10",
        "网上公布日期": "2017-04-20",
        "是否公开曝光": "否",
        "复议诉讼结果": "无",
    }
    return row("cases", **{**values, **changes})


def test_every_kind_has_exactly_the_headers_of_formats_md():
    assert {kind: header(kind) for kind in KINDS} == {
        kind: headers.split(", ") for kind, headers in FORMATS_MD_HEADERS.items()
    }


def test_a_valid_csv_is_imported_and_a_corrected_one_replaces_it(campaign, write_csv):
    path = write_csv("cases.csv", [CASE_HEADERS, case_row(), case_row("ZY-002", 结案日期="2017-06-01")])
    report = file_import(kind="cases", path=path, year=2017)
    assert str(report) == "已导入 2 条违法案件台帐：新增 2 条，更新 0 条"
    path = write_csv("cases.csv", [CASE_HEADERS, case_row(违法类型="矿产")])
    assert (
        str(file_import(kind="cases", path=path, year=2017))
        == "已导入 1 条违法案件台帐：新增 0 条，更新 1 条"
    )
    assert Case.objects.count() == 2
    assert Case.objects.get(number="ZY-001").violation_type == "矿产"


def test_the_units_file_adds_new_units_and_renames_known_ones(loaded, write_csv):
    rows = [header("units"), ["430902", "资阳区（新）"], ["110101", "东城区"]]
    assert (
        str(file_import(kind="units", path=write_csv("units.csv", rows), year=None))
        == "已导入 2 条被考评单位：新增 1 条，更新 1 条"
    )
    assert dict(Unit.objects.filter(code__in=["430902", "110101"]).values_list("code", "name")) == {
        "430902": "资阳区（新）",
        "110101": "东城区",
    }


def test_every_bad_row_is_reported_and_nothing_is_written(campaign, write_csv):
    rows = [
        CASE_HEADERS,
        case_row(),
        case_row("ZY-002", 立案日期="2017-13-01"),
        case_row("ZY-003", 违法类型="林地"),
        case_row("ZY-004", unit="430999"),
        case_row("ZY-001"),
        case_row("ZY-006", 处罚决定日期="2017-02-01"),
        case_row("ZY-007", 是否重大案件="Y"),
    ]
    with pytest.raises(RowErrors) as caught:
        file_import(kind="cases", path=write_csv("cases.csv", rows), year=2017)
    errors = caught.value.errors
    assert errors == [
        "第 3 行 [立案日期]: “2017-13-01”不是有效日期（该月没有这一天）",
        "第 4 行 [违法类型]: “林地”不在可选值中（土地、矿产）",
        "第 5 行 [单位代码]: 单位代码 430999 不存在；请核对，或先导入被考评单位（units）",
        "第 6 行 [案件编号]: 与第 2 行重复（案件编号相同）",
        "第 7 行 [处罚决定日期]: 2017-02-01 早于立案日期 2017-03-01",
        "第 8 行 [是否重大案件]: “Y”不是“是”或“否”",
    ]
    assert Case.objects.count() == 0


def test_headers_are_checked_by_name(campaign, write_csv):
    headers = [h for h in CASE_HEADERS if h != "曝光日期"] + ["备注"]
    with pytest.raises(RowErrors) as caught:
        file_import(kind="cases", path=write_csv("cases.csv", [headers, case_row()[:-1]]), year=2017)
    assert caught.value.errors == [
        "第 1 行: 多余的列 备注；违法案件台帐只有这些列：" + "、".join(CASE_HEADERS),
        "第 1 行: 缺少列 曝光日期；请对照违法案件台帐模板的列名（网页“台帐与报送”的模板链接，或 kaoping template cases）",
    ]


def test_bom_trailing_spaces_column_order_and_empty_rows(campaign, write_csv):
    headers = [
        " 图斑编号 ",
        "判定结果",
        "单位代码",
        "监测面积",
        "耕地面积",
        "是否履职到位",
        "是否查处到位",
        "是否整改到位",
        "是否形成卫片卷宗",
        "是否形成查处案卷",
    ]
    rows = [headers, ["TB-1", "违法", "430903", "12.5", "3", "是", "是", "否", "是", "是"], [""] * 10, []]
    file_import(kind="patches", path=write_csv("patches.csv", rows, bom=True), year=2017)
    patch = Patch.objects.get()
    assert (patch.code, patch.year, patch.unit.code, patch.monitored_area) == (
        "TB-1",
        2017,
        "430903",
        Decimal("12.50"),
    )


def test_xlsx_with_date_cells_text_dates_and_numbers(campaign, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header("submissions"))
    sheet.append([430902, "巡查月报", "2017-01", datetime.datetime(2017, 1, 20, 23, 59)])
    sheet.append(["430902", "巡查月报", "2017-02", "2017/2/21 08:00"])
    sheet.append(["430902", "形势分析", "2017h1", "2017年7月5日"])
    sheet.append([None, None, None, None])
    path = tmp_path / "submissions.xlsx"
    workbook.save(path)
    assert file_import(kind="submissions", path=path, year=2017).rows == 3
    periods = dict(Submission.objects.values_list("period", "submitted_at"))
    assert set(periods) == {"2017-01", "2017-02", "2017H1"}
    assert periods["2017-01"].astimezone(datetime.timezone(datetime.timedelta(hours=8))).hour == 23


def test_a_number_where_a_date_belongs_is_an_error_not_a_guess(campaign, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header("events"))
    sheet.append(["430902", "业务培训", 42800, "全员培训"])
    path = tmp_path / "events.xlsx"
    workbook.save(path)
    with pytest.raises(RowErrors) as caught:
        file_import(kind="events", path=path, year=2017)
    assert caught.value.errors == [
        "第 2 行 [日期]: “42800”是数字而不是日期；请把单元格设为日期格式或写作 2017-05-03"
    ]
    assert Event.objects.count() == 0


def test_unsupported_and_non_utf8_files(campaign, tmp_path):
    legacy = tmp_path / "cases.csv"
    legacy.write_bytes(",".join(CASE_HEADERS).encode("utf-16"))
    with pytest.raises(KaopingError, match="不是 UTF-8 编码"):
        file_import(kind="cases", path=legacy, year=2017)
    with pytest.raises(KaopingError, match="不支持的文件类型“.xls”"):
        file_import(kind="cases", path=tmp_path / "cases.xls", year=2017)
    with pytest.raises(KaopingError, match="未知的导入类型“case”"):
        file_import(kind="case", path=legacy, year=2017)


def test_review_scores_need_reasons_below_the_maximum(campaign, write_csv):
    rows = [
        header("review-scores"),
        ["430902", "2.1", "2.5", ""],
        ["430902", "2.2", "3.5", "超出"],
        ["430902", "9.9", "1", "x"],
        ["430902", "2.3", "2", ""],
    ]
    with pytest.raises(RowErrors) as caught:
        file_import(kind="review-scores", path=write_csv("review.csv", rows), year=2017)
    assert caught.value.errors == [
        "第 2 行 [说明]: 2.1 考评分低于满分 3.00，必须写明扣分原因",
        "第 3 行 [得分]: 2.2 的分值为 3.00，考评分 3.50 超出 0–3.00",
        "第 4 行 [条目]: “9.9”不是 yiyang-2017 细则的条目；条目编号如 1.1 … 6.4",
        "第 5 行 [说明]: 2.3 为自动计分条目，人工考评分会替代自动计分，必须写明原因",
    ]


def test_score_imports_need_a_campaign(loaded, write_csv):
    path = write_csv("self.csv", [header("self-scores"), ["430902", "1.1", "3", ""]])
    with pytest.raises(KaopingError, match="没有 2018 年度的考评"):
        file_import(kind="self-scores", path=path, year=2018)


def test_a_unit_cannot_record_findings_about_itself(campaign, write_csv):
    from kaoping.org.services import user_create

    filler = user_create(
        username="zy-tb", password="x", role="filler", unit_code="430902", check_password=False
    )
    rows = [
        header("events"),
        ["430902", "业务培训", "2017-04-01", "培训"],
        ["430902", "问责", "2017-05-01", "自报"],
    ]
    with pytest.raises(RowErrors) as caught:
        file_import(
            kind="events",
            path=write_csv("events.csv", rows),
            year=2017,
            actor=filler,
        )
    assert caught.value.errors == ["第 3 行 [类型]: “问责”由考评小组记录，区县不能自行导入"]


def test_areas_with_more_than_two_decimals_or_implausible_sizes_are_errors(campaign, write_csv):
    rows = [
        header("patches"),
        ["TB-1", "430902", "违法", "1.234", "0", "是", "是", "是", "是", "是"],
        ["TB-2", "430902", "违法", "1e12", "0", "是", "是", "是", "是", "是"],
    ]
    with pytest.raises(RowErrors) as caught:
        file_import(kind="patches", path=write_csv("p.csv", rows), year=2017)
    assert caught.value.errors == [
        "第 2 行 [监测面积]: 面积 1.234 最多保留 2 位小数",
        "第 3 行 [监测面积]: 面积 1E+12 亩过大，请核对单位是否为亩",
    ]


def test_data_beyond_the_headers_and_full_width_codes_are_errors(campaign, write_csv):
    rows = [
        header("events"),
        ["430902", "业务培训", "2017-04-01", "培训", "多出来的"],
        ["４３０９０２", "业务培训", "2017-04-02", "培训"],
    ]
    with pytest.raises(RowErrors) as caught:
        file_import(kind="events", path=write_csv("e.csv", rows), year=2017)
    assert caught.value.errors == [
        "第 2 行: 第 5 列起有数据但没有列名；请删除这些数据或补上列名",
        "第 3 行 [单位代码]: “４３０９０２”不是六位数字的单位代码",
    ]
