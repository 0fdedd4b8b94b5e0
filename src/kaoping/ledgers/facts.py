"""Ledgers → facts: one aggregate query per ledger kind for every unit of a campaign year.

The number of queries does not depend on the number of units (tests/ledgers/test_facts.py).
"""

import datetime
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case as Cases
from django.db.models import Count, DateField, F, Func, IntegerField, Q, Sum, Value, When
from django.db.models.functions import ExtractQuarter
from django.utils import timezone

from kaoping.rubrics.schema import Rubric
from kaoping.scoring.facts import UnitFacts

from .models import (
    OVERTURNED,
    Case,
    CaseFileReview,
    Discovery,
    Event,
    Patch,
    Procedure,
    ReportKind,
    Submission,
    Tip,
    Verdict,
    ViolationType,
)


class _DaysAfter(Func):
    """The date `days` after a date column, computed by the database itself (Django's own date arithmetic
    on SQLite calls back into Python for every row: most of the time of the case facts)."""

    arity = 1
    output_field = DateField()
    template = "(%(expressions)s + %(days)d)"  # PostgreSQL: date + integer is a date

    def __init__(self, field: str, days: int):
        super().__init__(F(field), days=days)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s, '+%(days)d days')", **extra
        )


def _in_year(field: str, year: int) -> Q:
    return Q(**{f"{field}__gte": datetime.date(year, 1, 1), f"{field}__lte": datetime.date(year, 12, 31)})


def gather_facts(
    year: int, rubric: Rubric, unit_ids: list[int], *, limit_to_units: bool = False
) -> dict[int, UnitFacts]:
    """The year's facts of these units. With `limit_to_units` the queries read only these units' rows
    (a write recomputing one unit); without, every unit's rows in one scan (a whole year)."""
    facts = {unit_id: UnitFacts(year=year) for unit_id in unit_ids}
    only = Q(unit_id__in=unit_ids) if limit_to_units else Q()
    _event_facts(facts, year, only)
    _submission_facts(facts, year, rubric.monthly_report_due_day, only)
    _case_facts(facts, year, rubric.publish_within_days, only)
    _tip_facts(facts, year, only)
    _casefile_review_facts(facts, year, only)
    _patch_facts(facts, year, only)
    return facts


def _event_facts(facts: dict[int, UnitFacts], year: int, only: Q) -> None:
    rows = (
        Event.objects.filter(only, _in_year("date", year))
        .annotate(quarter=ExtractQuarter("date"))
        .values_list("unit_id", "kind", "quarter")
        .annotate(n=Count("id"))
    )
    for unit_id, kind, quarter, n in rows:
        if unit_id not in facts:
            continue
        unit = facts[unit_id]
        unit.event_counts[kind] = unit.event_counts.get(kind, 0) + n
        unit.event_quarters.setdefault(kind, set()).add(quarter)


def on_time_condition(year: int, due_day: int) -> Q:
    """A monthly report of period Y-MM is on time when submitted on or before the due day of that month."""
    zone = timezone.get_current_timezone()
    condition = Q(pk__in=[])
    for month in range(1, 13):
        due = datetime.datetime(year, month, due_day, tzinfo=zone) + timedelta(days=1)
        condition |= Q(period=f"{year}-{month:02d}", submitted_at__lt=due)
    return condition


def _submission_facts(facts: dict[int, UnitFacts], year: int, due_day: int, only: Q) -> None:
    rows = (
        Submission.objects.filter(only, period__startswith=str(year))
        .values_list("unit_id", "kind")
        .annotate(
            present=Count("id"),
            on_time=Count("id", filter=on_time_condition(year, due_day)),
            months=_months_mask(year),
        )
    )
    for unit_id, kind, present, on_time, months in rows:
        if unit_id in facts:
            facts[unit_id].reports_present[kind] = present
            if kind != ReportKind.ANALYSIS:
                facts[unit_id].reports_on_time[kind] = on_time
                facts[unit_id].reports_months[kind] = months or 0


def _months_mask(year: int) -> Sum:
    """The months present among a unit's reports of one kind, as a bit mask: (unit, kind, period) is
    unique, so the sum of each month's bit is the mask."""
    return Sum(
        Cases(
            *(When(period=f"{year}-{m:02d}", then=Value(1 << (m - 1))) for m in range(1, 13)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def _case_facts(facts: dict[int, UnitFacts], year: int, within_days: int, only: Q) -> None:
    filed = _in_year("filed_on", year)
    exposed = Q(is_major=True, closed_on__isnull=False, is_exposed=True) & _in_year("exposed_on", year)
    effective = Q(procedure=Procedure.GENERAL) & _in_year("effective_on", year)
    published = effective & Q(
        published_on__isnull=False, published_on__lte=_DaysAfter("effective_on", within_days)
    )
    decided = _in_year("decided_on", year)
    rows = (
        Case.objects.filter(only, filed | exposed | effective | decided)
        .values_list("unit_id")
        .annotate(
            filed=Count("id", filter=filed),
            patrol=Count("id", filter=filed & Q(discovery=Discovery.PATROL)),
            public_filings=Count("id", filter=filed & Q(is_major=True, is_public_filing=True)),
            land_exposures=Count("id", filter=exposed & Q(violation_type=ViolationType.LAND)),
            mineral_exposures=Count("id", filter=exposed & Q(violation_type=ViolationType.MINERAL)),
            effective=Count("id", filter=effective),
            published=Count("id", filter=published),
            overturned=Count("id", filter=decided & Q(review_outcome__in=OVERTURNED)),
        )
    )
    for unit_id, *counts in rows:  # values_list keeps the annotation order
        if unit_id not in facts:
            continue
        unit = facts[unit_id]
        (
            unit.cases_filed,
            unit.cases_filed_by_patrol,
            unit.major_public_filings,
            unit.land_exposures,
            unit.mineral_exposures,
            unit.general_decisions_effective,
            unit.general_decisions_published_in_time,
            unit.decisions_overturned,
        ) = counts


def _tip_facts(facts: dict[int, UnitFacts], year: int, only: Q) -> None:
    handled = Q(closed_on__isnull=False, closed_on__lte=F("deadline"), reported_to_brigade=True)
    rows = (
        Tip.objects.filter(only, _in_year("registered_on", year))
        .values_list("unit_id")
        .annotate(registered=Count("id"), handled=Count("id", filter=handled))
    )
    for unit_id, registered, tips_handled in rows:
        if unit_id in facts:
            facts[unit_id].tips_registered, facts[unit_id].tips_handled = registered, tips_handled


def _casefile_review_facts(facts: dict[int, UnitFacts], year: int, only: Q) -> None:
    rows = (
        CaseFileReview.objects.filter(only, _in_year("reviewed_on", year))
        .values_list("unit_id")
        .annotate(reviewed=Count("id"), score_sum=Sum("score"))
    )
    for unit_id, reviewed, score_sum in rows:
        if unit_id in facts:
            facts[unit_id].casefiles_reviewed = reviewed
            facts[unit_id].casefile_score_sum = Decimal(score_sum or 0).quantize(Decimal("0.01"))


def _patch_facts(facts: dict[int, UnitFacts], year: int, only: Q) -> None:
    rows = (
        Patch.objects.filter(only, year=year, verdict=Verdict.ILLEGAL)
        .values_list("unit_id")
        .annotate(
            illegal=Count("id"),
            both_dossiers=Count("id", filter=Q(has_patch_dossier=True, has_case_dossier=True)),
            performed=Count("id", filter=Q(duty_performed=True)),
            investigated=Count("id", filter=Q(investigated=True)),
            rectified=Count("id", filter=Q(rectified=True)),
        )
    )
    for unit_id, *counts in rows:
        if unit_id not in facts:
            continue
        unit = facts[unit_id]
        (
            unit.illegal_patches,
            unit.patches_with_both_dossiers,
            unit.patches_duty_performed,
            unit.patches_investigated,
            unit.patches_rectified,
        ) = counts


# ── What one record contributes to a year's facts ──
# These mirror the filters above: an import may not change an approved year's contribution
# (ledgers/imports.py), while a record's other years stay editable. Keep the two in step.


def _in(day: datetime.date | None, year: int) -> bool:
    return day is not None and day.year == year


def case_contribution(case: Mapping[str, Any] | None, year: int) -> tuple:
    if case is None:
        return ()
    filed, effective = _in(case["filed_on"], year), _in(case["effective_on"], year)
    exposed, decided = _in(case["exposed_on"], year), _in(case["decided_on"], year)
    if not (filed or effective or exposed or decided):
        return ()
    return (
        case["unit_code"],
        (case["discovery"], case["is_major"], case["is_public_filing"]) if filed else None,
        (case["is_major"], case["closed_on"] is not None, case["is_exposed"], case["violation_type"])
        if exposed
        else None,
        (case["procedure"], case["effective_on"], case["published_on"]) if effective else None,
        case["review_outcome"] if decided else None,
    )


def tip_contribution(tip: Mapping[str, Any] | None, year: int) -> tuple:
    if tip is None or not _in(tip["registered_on"], year):
        return ()
    return (tip["unit_code"], tip["deadline"], tip["closed_on"], tip["reported_to_brigade"])


def casefile_review_contribution(review: Mapping[str, Any] | None, year: int) -> tuple:
    if review is None or not _in(review["reviewed_on"], year):
        return ()
    return (review["unit_code"], review["score"])


def submission_contribution(submission: Mapping[str, Any] | None, year: int) -> tuple:
    if submission is None or not submission["period"].startswith(str(year)):
        return ()
    return (submission["submitted_at"],)


def event_contribution(event: Mapping[str, Any] | None, year: int) -> tuple:
    return () if event is None or not _in(event["date"], year) else (event["kind"],)
