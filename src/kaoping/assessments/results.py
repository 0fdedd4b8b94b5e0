"""Stored results: written by the writes that change them, read as they are stored.

A write that changes a unit's ledgers or scores calls `results_update` for that unit in its own transaction:
the unit's facts (one aggregate query per ledger kind, limited to the unit), its items and totals are
recomputed with the scoring core, and the ranks and grades of the year are re-derived from the stored
totals (one small read, one write of the rows whose rank or grade moved). Readers never compute; a
frozen campaign's rows are its approved record and are never rewritten.
"""

from collections import Counter
from collections.abc import Collection
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.db.models.fields.json import KeyTransform

from kaoping.bulk import rows_update, rows_upsert
from kaoping.campaigns.models import Campaign, State
from kaoping.ledgers.facts import gather_facts
from kaoping.org.models import Unit
from kaoping.scoring.adjustments import AdjustmentKind, AdjustmentOutcome, EntryOutcome
from kaoping.scoring.enums import Grade, Source
from kaoping.scoring.facts import UnitFacts
from kaoping.scoring.grading import GradeSettings
from kaoping.scoring.outcome import (
    CampaignOutcome,
    ItemOutcome,
    Standing,
    UnitOutcome,
    standings_decide,
    unit_outcome,
)

from .models import AdjustmentEntry, ResultSummary, ReviewScore, SelfScore, UnitResult

RESULT_FIELDS = (
    "unit",
    "unit_name",
    "total",
    "vetoes",
    "sections",
    "items",
    "unscored",
    "unscored_ids",
    "ledger_counts",
    "self_filled",
    "reviewed",
    "reports_missing_from",
    "rank",
    "grade",
    "adjustments",
)


def _text_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _stored_items(outcome: UnitOutcome) -> dict:
    return {
        item_id: {
            "score": _text_or_none(i.score),
            "self": _text_or_none(i.self_score),
            "source": i.source.value if i.source else None,
            "computed": _text_or_none(i.computed),
            "explanation": i.explanation,
            "review_note": i.review_note,
        }
        for item_id, i in outcome.items.items()
    }


def ledger_counts(facts: UnitFacts) -> dict:
    """The counts the 台帐与报送 page shows for a unit, stored with its result."""
    return {
        "cases": facts.cases_filed,
        "tips": facts.tips_registered,
        "patches": facts.illegal_patches,
        "casefiles": facts.casefiles_reviewed,
        "events": {kind: n for kind, n in facts.event_counts.items() if n},
    }


def ledger_counts_stored(campaign: Campaign, units: list[Unit]) -> dict[int, dict]:
    """unit id → its stored ledger counts; units whose row predates them are counted now (a year
    approved before the counts were stored: its ledgers no longer change)."""
    stored = dict(
        UnitResult.objects.filter(campaign=campaign, unit__in=units).values_list("unit_id", "ledger_counts")
    )
    missing = [unit.pk for unit in units if not stored.get(unit.pk)]
    if missing:
        facts = gather_facts(campaign.year, campaign.rubric.definition, missing, limit_to_units=True)
        stored.update({unit_id: ledger_counts(facts[unit_id]) for unit_id in missing})
    return stored


def _stored_adjustments(outcome: UnitOutcome) -> dict:
    return {
        adjustment_id: {
            "score": str(a.score),
            "raw": str(a.raw),
            "entries": [
                {"id": e.entry_id, "date": e.date, "basis": e.basis, "evidence": e.evidence}
                for e in a.entries
            ],
        }
        for adjustment_id, a in outcome.adjustments.items()
    }


def _adjustment_entries(scope: dict) -> dict[int, list[tuple[str, EntryOutcome]]]:
    """unit id → its recorded 加分 / 扣分 entries (one query for the units in scope)."""
    entries: dict[int, list[tuple[str, EntryOutcome]]] = {}
    for pk, unit_id, adjustment_id, date, basis, evidence in AdjustmentEntry.objects.filter(
        **scope
    ).values_list("pk", "unit_id", "adjustment_id", "date", "basis", "original_name"):
        entry = EntryOutcome(entry_id=pk, date=date.isoformat(), basis=basis, evidence=evidence)
        entries.setdefault(unit_id, []).append((adjustment_id, entry))
    return entries


def results_update(*, campaign: Campaign, unit_ids: Collection[int] | None = None) -> None:
    """Recompute these units' results (every unit when None) and re-derive the year's ranks and grades.

    Call it inside the write's transaction. A frozen campaign is left as approved.
    """
    if campaign.is_frozen:
        return
    rubric = campaign.rubric.definition
    units = Unit.objects.order_by("code")
    if unit_ids is not None:
        if not unit_ids:
            return
        units = units.filter(pk__in=list(unit_ids))
    units = list(units)
    ids = [u.pk for u in units]
    facts = gather_facts(campaign.year, rubric, ids, limit_to_units=unit_ids is not None)
    scope = {"campaign": campaign} if unit_ids is None else {"campaign": campaign, "unit__in": ids}
    self_scores: dict[int, dict[str, Decimal]] = {}
    for unit_id, item_id, score in SelfScore.objects.filter(**scope).values_list(
        "unit_id", "item_id", "score"
    ):
        self_scores.setdefault(unit_id, {})[item_id] = score
    reviews: dict[int, dict[str, tuple[Decimal, str]]] = {}
    for unit_id, item_id, score, note in ReviewScore.objects.filter(**scope).values_list(
        "unit_id", "item_id", "score", "note"
    ):
        reviews.setdefault(unit_id, {})[item_id] = (score, note)
    adjustment_entries = _adjustment_entries(scope) if rubric.adjustments else {}
    before = (
        {}
        if unit_ids is None
        else {
            u: (sec, n, ids)
            for u, sec, n, ids in UnitResult.objects.filter(**scope).values_list(
                "unit_id", "sections", "unscored", "unscored_ids"
            )
        }
    )
    sums: dict[str, Decimal] = {s.number: Decimal(0) for s in rubric.sections}
    item_ids = {item.id for item in rubric.items}
    item_unscored: Counter[str] = Counter()
    unscored, added = 0, 0
    rows = []
    for unit in units:
        outcome = unit_outcome(
            code=unit.code,
            name=unit.name,
            rubric=rubric,
            facts=facts[unit.pk],
            self_scores=self_scores.get(unit.pk, {}),
            reviews=reviews.get(unit.pk, {}),
            adjustment_entries=adjustment_entries.get(unit.pk, ()),
        )
        sections = {number: str(score) for number, score in outcome.sections.items()}
        unscored_ids = [item_id for item_id, item in outcome.items.items() if item.score is None]
        old_sections, old_unscored, old_ids = before.get(unit.pk, ({}, 0, []))
        added += unit.pk not in before
        unscored += outcome.unscored - old_unscored
        item_unscored.update(unscored_ids)
        item_unscored.subtract(old_ids)
        for number in sums:
            sums[number] += outcome.sections[number] - Decimal(old_sections.get(number, 0))
        rows.append(
            (campaign.pk, unit.pk, unit.name, outcome.total, outcome.vetoes, sections)
            + (_stored_items(outcome), outcome.unscored, unscored_ids, ledger_counts(facts[unit.pk]))
            + (
                _count_of(self_scores.get(unit.pk, {}), item_ids),
                _count_of(reviews.get(unit.pk, {}), item_ids),
                facts[unit.pk].monthly_missing_from,
            )
            + (None, "", _stored_adjustments(outcome))
        )
    with transaction.atomic():
        # One statement for any number of units (bulk_create would send a batch per 99 on SQLite).
        summary = ResultSummary(campaign=campaign) if unit_ids is None else result_summary(campaign)
        rows_upsert(UnitResult, ["campaign", *RESULT_FIELDS], ["campaign", "unit"], rows)
        # The year's summary moves by these units' change alone (a whole recompute starts from nothing).
        summary.units += added
        summary.unscored += unscored
        summary.section_sums = {
            n: str(Decimal(summary.section_sums.get(n, 0)) + change) for n, change in sums.items()
        }
        summary.item_unscored = _counts_moved(summary.item_unscored, item_unscored)
        ResultSummary.objects.update_or_create(
            campaign=campaign,
            defaults={
                "units": summary.units,
                "unscored": summary.unscored,
                "section_sums": summary.section_sums,
                "item_unscored": summary.item_unscored,
            },
        )
        standings_update(campaign=campaign, complete=summary.unscored == 0)


def standings_update(*, campaign: Campaign, complete: bool | None = None) -> None:
    """Ranks and grades re-derived from the stored totals; only the rows that change are written. While
    an item of any unit is 未评 there are none: one statement clears those left."""
    if campaign.is_frozen:
        return
    if complete is None:
        complete = result_summary(campaign).unscored == 0
    if not complete:
        UnitResult.objects.filter(campaign=campaign, rank__isnull=False).update(rank=None, grade="")
        return
    stored = list(
        UnitResult.objects.filter(campaign=campaign).values_list(
            "unit_id", "unit__code", "total", "vetoes", "unscored", "rank", "grade"
        )
    )
    settings = GradeSettings(campaign.pass_min, campaign.excellent_min, campaign.excellent_quota)
    decided = standings_decide(
        [
            Standing(code=code, total=total, vetoes=vetoes, unscored=n)
            for _, code, total, vetoes, n, _, _ in stored
        ],
        settings,
    )
    changed = []
    for unit_id, code, *_, rank, grade in stored:
        new_rank, new_grade = decided[code]
        new_grade_text = new_grade.value if new_grade else ""
        if (rank, grade) != (new_rank, new_grade_text):
            changed.append((campaign.pk, unit_id, new_rank, new_grade_text))
    if changed:
        rows_update(UnitResult, ["campaign", "unit"], ["rank", "grade"], changed)


def _count_of(scores: dict[str, object], item_ids: set[str]) -> int:
    return sum(1 for item_id in scores if item_id in item_ids)


def _counts_moved(counts: dict[str, int], change: Counter[str]) -> dict[str, int]:
    moved = Counter(counts)
    moved.update(change)
    return {item_id: n for item_id, n in sorted(moved.items()) if n > 0}


def _summary_from_rows(campaign: Campaign) -> None:
    """The summary computed from every stored row (a year approved before summaries existed)."""
    sums: dict[str, Decimal] = {s.number: Decimal(0) for s in campaign.rubric.definition.sections}
    count = unscored = 0
    item_unscored: Counter[str] = Counter()
    for sections, n, ids in UnitResult.objects.filter(campaign=campaign).values_list(
        "sections", "unscored", "unscored_ids"
    ):
        count, unscored = count + 1, unscored + n
        item_unscored.update(ids)
        for number in sums:
            sums[number] += Decimal(sections[number])
    ResultSummary.objects.update_or_create(
        campaign=campaign,
        defaults={
            "units": count,
            "unscored": unscored,
            "section_sums": {n: str(t) for n, t in sums.items()},
            "item_unscored": _counts_moved({}, item_unscored),
        },
    )


def result_summary(campaign: Campaign) -> ResultSummary:
    """The stored summary of the year's results (kept by the writes; written once for a year approved
    before summaries existed)."""
    summary = ResultSummary.objects.filter(campaign=campaign).first()
    if summary is None:
        with transaction.atomic():
            _summary_from_rows(campaign)
        summary = ResultSummary.objects.get(campaign=campaign)
    return summary


def results_update_open_years(
    *, unit_ids: Collection[int] | None, years: Collection[int] | None = None
) -> None:
    """After a ledger write: these units' results in every open campaign (or those of `years`)."""
    campaigns = Campaign.objects.select_related("rubric").exclude(state__in=[s for s in State if s.is_frozen])
    if years is not None:
        campaigns = campaigns.filter(year__in=list(years))
    for campaign in campaigns:
        results_update(campaign=campaign, unit_ids=unit_ids)


def results_stored(
    campaign: Campaign, unit_codes: list[str] | None = None, *, with_items: bool = True
) -> CampaignOutcome:
    """The stored results (optionally of some units only), by rank then code; no computation."""
    rubric = campaign.rubric.definition
    query = UnitResult.objects.filter(campaign=campaign).select_related("unit")
    if unit_codes is not None:
        query = query.filter(unit__code__in=unit_codes)
    if not with_items:
        query = query.defer("items")
    outcome = CampaignOutcome(
        year=campaign.year,
        state=State(campaign.state),
        rubric=rubric,
        pass_min=campaign.pass_min,
        excellent_min=campaign.excellent_min,
        excellent_quota=campaign.excellent_quota,
    )
    # By rank, then code (formats.md); while ranks are pending (未评 items), by code.
    for result in query.order_by(F("rank").asc(nulls_first=True), "unit__code"):
        outcome.units.append(_unit_from_row(result, rubric, with_items))
    return outcome


# Stored scores repeat (3.00, 2.00, …): each text is made a Decimal once per process; a read of 2,850
# units' 100,000 items is then mostly dictionary look-ups.
_DECIMALS: dict[str, Decimal] = {}
_SOURCES = {source.value: source for source in Source}


def _decimal_cached(value: str | None) -> Decimal | None:
    if value is None:
        return None
    found = _DECIMALS.get(value)
    if found is None:
        found = Decimal(value)
        if len(_DECIMALS) < 10_000:  # 2-decimal scores of at most 100 points: far fewer
            _DECIMALS[value] = found
    return found


def _unit_from_row(result: UnitResult, rubric, with_items: bool) -> UnitOutcome:
    return UnitOutcome(
        code=result.unit.code,
        name=result.unit_name or result.unit.name,
        total=result.total,
        rank=result.rank,
        grade=Grade(result.grade) if result.grade else None,
        vetoes=list(result.vetoes),
        sections={s.number: Decimal(result.sections[s.number]) for s in rubric.sections},
        items={item.id: _item_from_entry(item.id, result.items[item.id]) for item in rubric.items}
        if with_items
        else {},  # in rubric order: a JSON column need not keep its keys' order (PostgreSQL jsonb)
        unscored=result.unscored,
        adjustments=_adjustments_from_row(result, rubric),
    )


def item_outcomes_stored(
    campaign: Campaign, pairs: Collection[tuple[int, str]]
) -> dict[tuple[int, str], ItemOutcome]:
    """(unit id, item id) → the stored outcome of these items: each unit's row is read for the items
    asked for only (a JSON path per item), not its 35 entries."""
    wanted: dict[int, set[str]] = {}
    for unit_id, item_id in pairs:
        wanted.setdefault(unit_id, set()).add(item_id)
    item_ids = sorted({item_id for _, item_id in pairs})
    found: dict[tuple[int, str], ItemOutcome] = {}
    if not item_ids:
        return found
    paths = [KeyTransform(item_id, "items") for item_id in item_ids]
    rows = UnitResult.objects.filter(campaign=campaign, unit__in=list(wanted)).values_list("unit_id", *paths)
    for unit_id, *entries in rows:
        for item_id, data in zip(item_ids, entries, strict=True):
            if data is not None and item_id in wanted[unit_id]:
                found[unit_id, item_id] = _item_from_entry(item_id, data)
    return found


def _item_from_entry(item_id: str, data: dict) -> ItemOutcome:
    return ItemOutcome(
        item_id,
        _decimal_cached(data["score"]),
        _decimal_cached(data["self"]),
        _SOURCES[data["source"]] if data["source"] else None,
        _decimal_cached(data["computed"]),
        data["explanation"],
        data["review_note"],
    )


def _adjustments_from_row(result: UnitResult, rubric) -> dict[str, AdjustmentOutcome]:
    stored = result.adjustments or {}
    outcomes = {}
    for adjustment in rubric.adjustments:
        data = stored.get(adjustment.id, {"score": "0.00", "raw": "0.00", "entries": []})
        entries = tuple(
            EntryOutcome(entry_id=e["id"], date=e["date"], basis=e["basis"], evidence=e["evidence"])
            for e in data["entries"]
        )
        outcomes[adjustment.id] = AdjustmentOutcome(
            adjustment.id,
            AdjustmentKind(adjustment.kind),
            entries,
            Decimal(data["raw"]),
            Decimal(data["score"]),
        )
    return outcomes


def results_ranking(campaign: Campaign) -> CampaignOutcome:
    """Totals, sections, ranks and grades of every unit, without the per-item outcomes."""
    return results_stored(campaign, with_items=False)


def unit_result_stored(campaign: Campaign, unit: Unit) -> UnitOutcome | None:
    """One unit's stored outcome with its items (None before its first computation)."""
    row = UnitResult.objects.filter(campaign=campaign, unit=unit).select_related("unit").first()
    return _unit_from_row(row, campaign.rubric.definition, True) if row else None


def unscored_items(campaign: Campaign) -> list[tuple[str, str]]:
    """(unit name, item id) of every 未评 item of the year, from the stored rows that have any."""
    return [
        (name, item_id)
        for name, ids in UnitResult.objects.filter(campaign=campaign, unscored__gt=0)
        .order_by("unit__code")
        .values_list("unit_name", "unscored_ids")
        for item_id in ids
    ]


def unscored_pairs(campaign: Campaign) -> dict[int, list[str]]:
    """unit id → its 未评 item ids, for the units that have any (a small read even for 2,850 units)."""
    return dict(
        UnitResult.objects.filter(campaign=campaign, unscored__gt=0).values_list("unit_id", "unscored_ids")
    )


def results_recompute(campaign: Campaign) -> None:
    """Every unit of the year in one pass (init after an upgrade, the benchmark)."""
    with transaction.atomic():
        results_update(campaign=campaign)


def ranking_query(campaign: Campaign, search: str = ""):
    """The stored results in standing order (rank; while ranks are pending, total), without item
    entries, filtered by a unit's name, code or grade: the database pages and counts it."""
    query = (
        UnitResult.objects.filter(campaign=campaign)
        .defer("items")
        .select_related("unit")
        .order_by(F("rank").asc(nulls_last=True), "-total", "unit__code")
    )
    search = search.strip()
    if search:
        query = query.filter(
            Q(unit_name__contains=search) | Q(unit__code__startswith=search) | Q(grade=search)
        )
    return query


def outcome_of_rows(campaign: Campaign, rows) -> CampaignOutcome:
    """A CampaignOutcome holding these stored rows (a page of the ranking), totals only."""
    rubric = campaign.rubric.definition
    return CampaignOutcome(
        year=campaign.year,
        state=State(campaign.state),
        rubric=rubric,
        pass_min=campaign.pass_min,
        excellent_min=campaign.excellent_min,
        excellent_quota=campaign.excellent_quota,
        units=[_unit_from_row(row, rubric, False) for row in rows],
    )
