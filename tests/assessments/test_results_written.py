"""Results are written where they change: saving one item recomputes that unit only, in the same
transaction, with a number of queries that does not grow with the units; ranks follow the totals."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.assessments.models import ResultSummary, UnitResult
from kaoping.assessments.results import results_recompute, results_stored
from kaoping.assessments.services import REVIEW, SELF, ScoreEntry, scores_set
from kaoping.assessments.workflow import campaign_create
from kaoping.ledgers.models import Case
from kaoping.org.models import Unit

pytestmark = pytest.mark.django_db


def _add_units(count: int, first: int) -> None:
    for n in range(first, first + count):
        unit = Unit.objects.create(code=f"{500000 + n}", name=f"第{n}县")
        Case.objects.create(
            number=f"{unit.code}-1",
            unit=unit,
            violation_type="土地",
            discovery="动态巡查",
            is_major=True,
            filed_on=datetime.date(2018, 3, 1),
            is_public_filing=True,
            is_exposed=False,
        )


def _save_one(campaign, unit: Unit, score: str) -> list[str]:
    item = campaign.rubric.definition.item("1.2")
    with CaptureQueriesContext(connection) as captured:
        scores_set(
            kind=REVIEW,
            campaign=campaign,
            entries=[ScoreEntry(unit, item, Decimal(score), "机构未比照科室管理")],
            actor=None,
        )
    # Django records an executemany as "N times: INSERT …".
    return [re.sub(r"^\d+ times: ", "", q["sql"]).lstrip() for q in captured.captured_queries]


def _summary(campaign) -> tuple:
    summary = ResultSummary.objects.get(campaign=campaign)
    sums = {n: Decimal(t) for n, t in summary.section_sums.items()}
    return summary.units, summary.unscored, sums, summary.item_unscored


def _items_of_others(campaign, unit: Unit) -> dict:
    return dict(
        UnitResult.objects.filter(campaign=campaign).exclude(unit=unit).values_list("unit_id", "items")
    )


@pytest.mark.parametrize("extra", [0, 40])
def test_saving_one_item_recomputes_that_unit_only(loaded, extra):
    _add_units(2 + extra, first=0)
    campaign = campaign_create(year=2018)
    unit = Unit.objects.get(code="500000")
    others = _items_of_others(campaign, unit)
    # A mark on every other unit's stored row: a recompute of that unit would overwrite it.
    UnitResult.objects.filter(campaign=campaign).exclude(unit=unit).update(unit_name="（未重算）")
    statements = _save_one(campaign, unit, "0.50")
    untouched = UnitResult.objects.filter(campaign=campaign).exclude(unit=unit)
    assert set(untouched.values_list("unit_name", flat=True)) == {"（未重算）"}
    # The unit's result moved at once (no reader recomputes it) …
    stored = next(u for u in results_stored(campaign).units if u.code == unit.code)
    assert stored.items["1.2"].score == Decimal("0.50") and stored.items["1.2"].source == "review"
    # … and no other unit's item entries were read or rewritten.
    assert _items_of_others(campaign, unit) == others
    reads_of_items = [s for s in statements if "assessments_unitresult" in s and '"items"' in s]
    assert all(s.upper().startswith(("INSERT", "CREATE")) for s in reads_of_items), reads_of_items


def test_the_query_count_of_one_save_does_not_grow_with_the_units(loaded):
    counts = []
    for extra in (0, 40):
        _add_units(2 if extra == 0 else extra, first=0 if extra == 0 else 2)
        campaign = campaign_create(year=2018 + extra)
        counts.append(len(_save_one(campaign, Unit.objects.get(code="500000"), "0.50")))
    assert counts[0] == counts[1], counts


def test_ranks_follow_a_save_without_a_full_recompute(loaded):
    campaign = campaign_create(year=2017)
    rubric = campaign.rubric.definition
    # Score every manual item of every unit: full marks, so the year is complete and ranked.
    entries = [
        ScoreEntry(unit, item, item.points, "无评查案卷，按台帐核定" if item.method == "rule" else "")
        for unit in Unit.objects.all()
        for item in rubric.items
        if item.method == "manual" or item.id == "4.3"
    ]
    scores_set(kind=REVIEW, campaign=campaign, entries=entries, actor=None)
    before = {u.code: (u.rank, u.grade) for u in results_stored(campaign).units}
    assert all(rank is not None for rank, _ in before.values())
    zy = Unit.objects.get(code="430902")
    _save_one(campaign, zy, "0.00")  # 资阳区 loses a point: it drops to the bottom
    after = {u.code: (u.rank, u.grade) for u in results_stored(campaign).units}
    summary = _summary(campaign)
    results_recompute(campaign)  # a whole recompute agrees with what the writes left
    assert after == {u.code: (u.rank, u.grade) for u in results_stored(campaign).units}
    assert summary == _summary(campaign) and summary[1] == 0
    assert after["430902"][0] == max(rank for rank, _ in after.values())


def test_the_per_item_unscored_counts_move_with_each_save(loaded):
    campaign = campaign_create(year=2017)
    rubric = campaign.rubric.definition
    units = list(Unit.objects.order_by("code"))

    def counted_from_rows() -> dict[str, int]:
        counts: dict[str, int] = {}
        for ids in UnitResult.objects.filter(campaign=campaign).values_list("unscored_ids", flat=True):
            for item_id in ids:
                counts[item_id] = counts.get(item_id, 0) + 1
        return counts

    first = _summary(campaign)[3]
    assert first == counted_from_rows() and first["1.2"] == len(units)  # a manual item: 未评 everywhere
    # Score item 1.2 of three units, then take one score back to an empty year of another item.
    for unit in units[:3]:
        _save_one(campaign, unit, "0.50")
    scores_set(
        kind=REVIEW,
        campaign=campaign,
        entries=[ScoreEntry(units[0], rubric.item("1.5"), rubric.item("1.5").points, "")],
        actor=None,
    )
    moved = _summary(campaign)[3]
    assert moved == counted_from_rows()
    assert moved["1.2"] == len(units) - 3 and moved["1.5"] == len(units) - 1
    results_recompute(campaign)  # a whole recompute agrees with what the writes left
    assert _summary(campaign)[3] == moved


def test_the_stored_progress_counts_follow_self_and_review_scores(loaded):
    campaign = campaign_create(year=2017)
    rubric = campaign.rubric.definition
    unit = Unit.objects.get(code="430902")

    def stored() -> tuple[int, int]:
        row = UnitResult.objects.get(campaign=campaign, unit=unit)
        return row.self_filled, row.reviewed

    assert stored() == (0, 0)
    entries = [ScoreEntry(unit, rubric.item(i), rubric.item(i).points, "") for i in ("1.1", "1.3", "2.1")]
    scores_set(kind=SELF, campaign=campaign, entries=entries, actor=None)
    _save_one(campaign, unit, "0.50")
    assert stored() == (3, 1)
    scores_set(
        kind=SELF, campaign=campaign, entries=[ScoreEntry(unit, rubric.item("1.1"), None, "")], actor=None
    )
    assert stored() == (2, 1)  # a cleared self score is no longer counted
