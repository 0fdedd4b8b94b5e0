"""The ranking workbook and the 通报 of a year whose rubric declares a 加分项: a 加减分 column, the unit's
entries on its score sheet, the rule on the rules sheet, and a line in the notice; none for 2017's rubric."""

import datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from kaoping.assessments.adjustments import adjustment_record
from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.models import State
from kaoping.documents import notice_write, ranking_workbook_write
from kaoping.org.models import Unit

pytestmark = pytest.mark.django_db

BASES = ("湘国土资办函〔2017〕12号 通报表扬", "益政办发〔2017〕30号 推广经验", "第三次表扬")


@pytest.fixture
def commended(bonus_year, evidence_pdf):
    """资阳区 with three J1 entries (3 × 1, at most 2): 94.98 + 2 = 96.98, second."""
    for month, basis in enumerate(BASES, start=6):
        adjustment_record(
            campaign=bonus_year,
            unit=Unit.objects.get(code="430902"),
            adjustment_id="J1",
            date=datetime.date(2017, month, 1),
            basis=basis,
            evidence=evidence_pdf(),
            actor=None,
        )
    return campaign_advance(campaign=bonus_year, to=State.APPROVED)


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_shows_the_adjustments(commended, tmp_path):
    book = load_workbook(ranking_workbook_write(campaign=commended, path=tmp_path / "排名.xlsx"))
    ranking = _rows(book["考评排名"])
    header = ranking[2]
    assert header[9:12] == ["加减分", "总分", "等次"]
    zy = next(row for row in ranking[3:] if row[2] == "资阳区")
    assert (zy[0], zy[9], zy[10]) == (2, 2.0, 96.98)
    hs = next(row for row in ranking[3:] if row[2] == "赫山区")
    assert (hs[9], hs[10]) == (0.0, 97.25)

    sheet = _rows(book["资阳区"])
    heading = next(row for row in sheet if row[1] and str(row[1]).startswith("加分和扣分"))
    assert heading[1] == "加分和扣分（条目得分合计 94.98 分）" and heading[4] == 2.0
    j1 = next(row for row in sheet if row[0] == "J1")
    assert j1[1].startswith("加分项：执法监察工作经验被省国土资源厅") and (j1[2], j1[4], j1[5]) == (
        2.0,
        2.0,
        "加分",
    )
    assert j1[6].splitlines() == [
        "3 项×1 分=3 分，超过上限，按 2 分计加分",
        *(f"2017-{6 + i:02d}-01 {b}" for i, b in enumerate(BASES)),
    ]
    total = next(row for row in sheet if row[0] == "合计")
    assert total[4] == 96.98

    rules = {row[0]: row[1] for row in _rows(book["说明"]) if row[0]}
    assert (
        rules["加分项 J1"].startswith("经验推广和表彰：") and "每项加1分，最多加2分；" in rules["加分项 J1"]
    )
    assert rules["计分"].endswith("总分为条目得分之和加减分")


def test_the_notice_shows_the_adjustments(commended, tmp_path):
    notice = Document(str(notice_write(campaign=commended, path=tmp_path / "通报.docx")))
    text = "\n".join(p.text for p in notice.paragraphs)
    assert (
        "（五）加分和扣分情况：资阳区因湘国土资办函〔2017〕12号 通报表扬、益政办发〔2017〕30号 推广经验、第三次表扬，"
        "按考评细则加分项“经验推广和表彰”加2分（已达上限）。以上加分、扣分已计入总分。"
    ) in text  # (四) is 沅江市's veto
    table = next(t for t in notice.tables if t.rows[0].cells[0].text == "名次")  # the attachment's
    assert [c.text for c in table.rows[0].cells][-3:] == ["加减分", "总分", "等次"]
    zy = next(row for row in table.rows[2:] if row.cells[1].text == "资阳区")
    assert [zy.cells[0].text, zy.cells[-3].text, zy.cells[-2].text] == ["2", "+2.00", "96.98"]


def test_a_year_on_the_2017_rubric_has_no_adjustments_column_or_line(campaign, tmp_path):
    book = load_workbook(ranking_workbook_write(campaign=campaign, path=tmp_path / "排名.xlsx"))
    assert "加减分" not in _rows(book["考评排名"])[2]
    assert not any(row[1] and str(row[1]).startswith("加分和扣分") for row in _rows(book[book.sheetnames[1]]))
    assert not any(str(row[0]).startswith("加分项") for row in _rows(book["说明"]) if row[0])
