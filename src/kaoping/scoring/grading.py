"""Final item scores, unit totals, grades and ranks (scoring.md: Arithmetic, Vetoes, Grades)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .enums import Grade, Source
from .rules import Computed

EXCELLENT, PASSED, FAILED = Grade.EXCELLENT, Grade.PASSED, Grade.FAILED


@dataclass(frozen=True)
class ItemFinal:
    score: Decimal | None  # None: 未评
    source: Source | None
    explanation: str


def final_item(computed: Computed | None, review: Decimal | None) -> ItemFinal:
    """The review score where one is entered, else a computed score, else 未评."""
    explanation = computed.explanation if computed else ""
    if review is not None:
        source = Source.OVERRIDE if computed is not None and computed.score is not None else Source.REVIEW
        return ItemFinal(review, source, explanation)
    if computed is not None and computed.score is not None:
        return ItemFinal(computed.score, Source.RULE, explanation)
    return ItemFinal(None, None, explanation)


@dataclass(frozen=True)
class GradeSettings:
    pass_min: Decimal = Decimal(60)
    excellent_min: Decimal = Decimal(90)
    excellent_quota: int = 3


@dataclass
class UnitStanding:
    code: str
    total: Decimal
    vetoes: Sequence[str] = field(default_factory=tuple)
    rank: int | None = None
    grade: Grade | None = None


def section_totals(
    item_scores: Mapping[str, Decimal | None], section_of: Mapping[str, str]
) -> dict[str, Decimal]:
    """Sums of the rounded item scores per section; a 未评 item counts as nothing."""
    totals: dict[str, Decimal] = {section: Decimal("0.00") for section in dict.fromkeys(section_of.values())}
    for item_id, score in item_scores.items():
        if score is not None:
            totals[section_of[item_id]] += score
    return totals


def rank_and_grade(standings: Iterable[UnitStanding], settings: GradeSettings) -> list[UnitStanding]:
    """Competition ranking (1, 2, 2, 4) by total, then grades; returns the units in rank order, then code."""
    ordered = sorted(standings, key=lambda s: (-s.total, s.code))
    previous_total, previous_rank = None, 0
    for position, standing in enumerate(ordered, start=1):
        if standing.total != previous_total:
            previous_rank, previous_total = position, standing.total
        standing.rank = previous_rank

    eligible = [s for s in ordered if not s.vetoes and s.total >= settings.excellent_min]
    excellent: set[str] = set()
    if eligible and settings.excellent_quota > 0:
        # A tie at the quota's edge admits every tied unit.
        edge = eligible[min(settings.excellent_quota, len(eligible)) - 1].total
        excellent = {s.code for s in eligible if s.total >= edge}
    for standing in ordered:
        if standing.total < settings.pass_min:
            standing.grade = FAILED
        elif standing.code in excellent:
            standing.grade = EXCELLENT
        else:
            standing.grade = PASSED
    return ordered
