"""What the pages say: headings, names and figures a person reads, checked against the data behind them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaoping.assessments.findings import event_record
from kaoping.assessments.results import results_stored
from kaoping.assessments.services import REVIEW, ScoreEntry, scores_set
from kaoping.assessments.workflow import campaign_advance, campaign_create
from kaoping.campaigns.models import State
from kaoping.importing import file_import
from kaoping.ledgers.models import Case, CaseFileReview, Event, Patch, Tip
from kaoping.org.models import Unit

from .conftest import SAMPLE, YEAR, ZY


@pytest.mark.django_db
def test_admin_carries_the_system_name(client_for):
    for client, url in ((client_for("anonymous"), "/admin/login/"), (client_for("admin"), "/admin/")):
        text = client.get(url).content.decode()
        assert "益阳市国土资源执法监察目标管理考评系统 — 管理" in text, url
        assert "Django" not in text, url


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.mark.django_db
def test_dashboard_ranking_is_a_preview_until_approved(year_review, client_for):
    group = client_for("group")
    assert "<h2>排名预览（未审定）</h2>" in group.get("/").content.decode()
    campaign_advance(campaign=year_review, to=State.APPROVED)
    text = group.get("/").content.decode()
    assert "<h2>排名</h2>" in text and "排名预览" not in text
    campaign_advance(campaign=year_review, to=State.PUBLISHED)
    assert "<h2>排名</h2>" in group.get("/").content.decode()


@pytest.mark.django_db
def test_ranking_table_shows_whole_section_names(year_published, client_for):
    text = client_for("party").get(reverse("results")).content.decode()
    head = _section(text, '<table class="data" id="ranking-table"', "</thead>")
    for title in ("机构建设和执法保障", "土地矿产卫片执法检查"):
        assert f"{title}<br>" in head
    assert 'title="1. 机构建设和执法保障（16.00 分）"' in head
    assert "…" not in head and "..." not in head


def score_every_unscored_item(campaign) -> None:
    """Score every 未评 item of the year at its maximum, as an assessor would."""
    rubric = campaign.rubric.definition
    units = {u.code: u for u in Unit.objects.all()}
    entries = [
        ScoreEntry(units[u.code], rubric.item(item_id), rubric.item(item_id).points, "补录")
        for u in results_stored(campaign).units
        for item_id, outcome in u.items.items()
        if outcome.score is None
    ]
    scores_set(kind=REVIEW, campaign=campaign, entries=entries, actor=None)


def _history(client, year: int) -> tuple[str, list]:
    client.get(reverse("year_choose"), {"year": year})
    response = client.get(reverse("results"))
    history = response.context["history"]
    return response.content.decode(), history["chart"]["years"] if history else []


@pytest.mark.django_db
def test_history_compares_only_finished_years(year_published, client_for):
    later = campaign_advance(campaign=campaign_create(year=2018), to=State.REVIEW)
    file_import(kind="review-scores", path=SAMPLE / "review-scores.csv", year=2018)
    group = client_for("group")
    text, years = _history(group, 2018)
    assert years == [] and "历年比较" not in text  # 2018 has 未评 items: its totals mean nothing yet
    assert _history(group, 2017)[1] == []
    score_every_unscored_item(later)
    text, years = _history(group, 2018)
    assert years == ["2017", "2018（未审定）"]
    assert "2018 年总分<br><span" in text and "（未审定）" in text
    assert _history(group, 2017)[1] == []  # an open year is compared only on its own page
    campaign_advance(campaign=later, to=State.APPROVED)
    assert _history(group, 2017)[1] == ["2017", "2018"]
    sheet = group.get(reverse("unit_result", args=[ZY]))
    assert [c["year"] for c in sheet.context["history"]["years"]] == [2017, 2018]


LEDGER_TABLES = ("ledgers_case", "ledgers_tip", "ledgers_patch", "ledgers_casefilereview", "ledgers_event")


def _queries_per_ledger(client, url: str) -> tuple[str, dict[str, int]]:
    with CaptureQueriesContext(connection) as queries:
        text = client.get(url).content.decode()
    return text, {t: sum(f'"{t}"' in q["sql"] for q in queries.captured_queries) for t in LEDGER_TABLES}


@pytest.mark.django_db
def test_the_group_ledger_table_follows_a_new_record(year_open, client_for):
    group, unit = client_for("group"), Unit.objects.get(code=ZY)

    def events_shown() -> int:
        table = _section(
            group.get(reverse("ledgers")).content.decode(), 'id="ledger-summary-table"', "</table>"
        )
        row = re.search(rf"<td>{unit.name}</td>(.*?)</tr>", table)
        assert row is not None
        return int(re.findall(r'<td class="num"[^>]*>(\d+)</td>', row[1])[-1])

    before = events_shown()
    assert before == Event.objects.filter(date__year=YEAR, unit=unit).count()
    event_record(
        campaign=year_open,
        unit=unit,
        kind="约谈",
        date=datetime.date(YEAR, 6, 1),
        reason="约谈局长",
        actor=None,
    )
    assert events_shown() == before + 1  # written with the record, read as stored


@pytest.mark.django_db
def test_ledger_page_sums_up_what_was_imported(year_open, client_for):
    text, per_table = _queries_per_ledger(client_for("filler"), reverse("ledgers"))
    assert per_table == dict.fromkeys(LEDGER_TABLES, 1)  # one aggregate query per kind
    summary = " ".join(re.sub(r"<[^>]+>", " ", _section(text, 'id="ledger-summary"', "</table>")).split())
    mine = {"unit__code": ZY}
    cases = Case.objects.filter(filed_on__year=YEAR, **mine).count()
    tips = Tip.objects.filter(registered_on__year=YEAR, **mine).count()
    patches = Patch.objects.filter(year=YEAR, verdict="违法", **mine).count()
    reviews = CaseFileReview.objects.filter(reviewed_on__year=YEAR, **mine).count()
    events = Event.objects.filter(date__year=YEAR, **mine).count()
    assert min(cases, tips, patches, reviews, events) > 0
    for shown in (
        f"违法案件台帐 本年立案 {cases} 件",
        f"举报线索 本年登记 {tips} 条",
        f"卫片图斑 本年违法图斑 {patches} 个",
        f"案卷评查 本年评查 {reviews} 卷",
        f"工作事项 本年事项 {events} 项 党组听取汇报",
    ):
        assert shown in summary
    assert "赫山区" not in text
    assert "形势分析：2017年上半年（2017-07-05 报送）、2017年下半年（2017-12-17 报送）" in text
    assert "2017H1" not in text


@pytest.mark.django_db
def test_group_ledger_page_sums_up_every_unit(year_open, client_for):
    text, per_table = _queries_per_ledger(client_for("group"), reverse("ledgers"))
    assert per_table == dict.fromkeys(LEDGER_TABLES, 0)  # the counts stored with the results
    table = _section(text, 'id="ledger-summary-table"', "</table>")
    for unit in Unit.objects.all():
        cases = Case.objects.filter(filed_on__year=YEAR, unit=unit).count()
        assert f'<td>{unit.name}</td><td class="num">{cases}</td>' in table
