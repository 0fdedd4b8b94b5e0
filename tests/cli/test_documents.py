"""`kaoping results --json`, `export notice` and `export ranking` as a person at the command line gets them."""

import datetime
import json
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from kaoping.assessments.results import results_stored, unscored_items
from kaoping.assessments.services import REVIEW, ScoreEntry, scores_set
from kaoping.assessments.workflow import campaign_advance, campaign_settings_update
from kaoping.campaigns.models import State
from kaoping.cli import main
from kaoping.org.models import Unit
from kaoping.scoring.outcome import outcome_to_json

pytestmark = pytest.mark.django_db
NOTE = '证据链"不完整"\n第二行\t制表'


def _score_everything(campaign) -> None:
    """A review score for every 未评 item, one with quotes, a line break and a tab in its reason."""
    rubric = campaign.rubric.definition
    units = {u.name: u for u in Unit.objects.all()}
    entries = []
    for name, item_id in unscored_items(campaign):
        if (name, item_id) == ("资阳区", "1.2"):
            continue
        item = rubric.item(item_id)
        note = "案卷评查未开展，按满分计" if item.method == "rule" else ""
        entries.append(ScoreEntry(unit=units[name], item=item, score=item.points, note=note))
    entries.append(ScoreEntry(unit=units["资阳区"], item=rubric.item("1.2"), score=Decimal(0), note=NOTE))
    scores_set(kind=REVIEW, campaign=campaign, entries=entries, actor=None)


def _headers(path) -> str:
    section = Document(str(path)).sections[0]
    return "".join(p.text for h in (section.header, section.even_page_header) for p in h.paragraphs)


def test_results_json_is_byte_for_byte_the_documented_encoding(campaign, capsys):
    _score_everything(campaign)
    capsys.readouterr()
    assert main(["results", "--year", "2017", "--json"]) == 0
    printed = capsys.readouterr().out
    expected = json.dumps(outcome_to_json(results_stored(campaign)), ensure_ascii=False, indent=2) + "\n"
    assert printed == expected
    unit = next(u for u in json.loads(printed)["units"] if u["name"] == "资阳区")
    assert unit["items"]["1.2"] == {"score": 0.0, "self": None, "source": "review", "explanation": NOTE}


def test_notice_is_a_draft_until_approved_then_dated_and_citing_the_settings(campaign, tmp_path, capsys):
    _score_everything(campaign)
    draft = tmp_path / "草稿.docx"
    assert main(["export", "notice", "--year", "2017", "-o", str(draft)]) == 0
    assert "草稿" in _headers(draft) and "未经市局党组审定" in _headers(draft)

    campaign_settings_update(
        campaign=campaign,
        actor=None,
        basis_number="益国土资发〔2017〕99号",
        notice_date=datetime.date(2017, 12, 30),
    )
    campaign_advance(campaign=campaign, to=State.APPROVED)
    signed = tmp_path / "通报.docx"
    assert main(["export", "notice", "--year", "2017", "-o", str(signed)]) == 0
    assert "已导出通报" in capsys.readouterr().out
    assert "草稿" not in _headers(signed)
    texts = [p.text for p in Document(str(signed)).paragraphs]
    assert "2017年12月30日" in texts
    assert any("（益国土资发〔2017〕99号，以下简称《通知》）" in t for t in texts)


def test_notice_is_dated_the_approval_day_unless_set(campaign, tmp_path):
    _score_everything(campaign)
    campaign = campaign_advance(campaign=campaign, to=State.APPROVED)
    path = tmp_path / "通报.docx"
    assert main(["export", "notice", "--year", "2017", "-o", str(path)]) == 0
    approved = campaign.approved_at.astimezone().date()
    assert f"{approved.year}年{approved.month}月{approved.day}日" in [
        p.text for p in Document(str(path)).paragraphs
    ]


def test_ranking_workbook_unit_sheets_number_their_own_pages(campaign, tmp_path):
    _score_everything(campaign)
    path = tmp_path / "排名.xlsx"
    assert main(["export", "ranking", "--year", "2017", "-o", str(path)]) == 0
    workbook = load_workbook(path)
    assert len(workbook.sheetnames) == 1 + 8 + 1
    for name in workbook.sheetnames:
        sheet = workbook[name]
        # Page 1 on each sheet's first page and its own name in the footer; no "of N" that would count
        # every sheet's pages when the whole workbook is printed.
        assert sheet.page_setup.useFirstPageNumber and int(sheet.page_setup.firstPageNumber) == 1
        assert sheet.oddFooter.center.text == "&A　第 &P 页"
    for name in workbook.sheetnames[1:-1]:
        assert workbook[name].print_title_rows == "$1:$3"  # the header rows on every page
    zy = workbook["资阳区"]
    row = next(r for r in zy.iter_rows() if r[0].value == "1.2")
    assert row[4].value == 0 and row[6].value == NOTE


def test_export_rules_writes_the_years_notice_with_its_rubric(campaign, tmp_path, capsys):
    campaign_settings_update(campaign=campaign, actor=None, excellent_quota=4)
    path = tmp_path / "通知.docx"
    argv = ["export", "rules", "--year", "2017", "-o", str(path), "--date", "2017-05-03"]
    assert main(argv) == 0
    assert "已导出考评通知（含细则）" in capsys.readouterr().out
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "益国土资发〔2017〕22号" in texts  # the rubric's 文号, as the 依据文号 is not set
    assert "2017年5月3日" in texts
    assert any("总分前4名为优胜单位" in t for t in texts)
    assert sum(t[:1].isdigit() and t.endswith("分）") for t in texts) == 35  # every item, with its points


def test_export_rules_refuses_a_date_it_cannot_read(campaign, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["export", "rules", "--year", "2017", "-o", "x.docx", "--date", "5月3日"])
    assert caught.value.code == 2
    assert "“5月3日”不是日期，应写作 2018-06-30" in capsys.readouterr().err
