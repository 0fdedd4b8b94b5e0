"""The whole result of an assessment year: item finals, section totals, vetoes, the unscored count, ranks,
grades and completeness. Pure Python: the Django layer gathers facts and stores what these functions return.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from .adjustments import AdjustmentOutcome, AdjustmentRule, EntryOutcome, adjustments_net, adjustments_outcome
from .enums import CampaignState, Grade, Source
from .facts import UnitFacts
from .grading import GradeSettings, UnitStanding, final_item, rank_and_grade, section_totals
from .rules import Computed


class RubricItem(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def section(self) -> str: ...
    def compute(self, facts: UnitFacts) -> Computed | None: ...


class RubricSection(Protocol):
    @property
    def number(self) -> str: ...


class RubricLike(Protocol):
    """What the scoring core reads of a rubric (rubrics.schema.Rubric is one)."""

    @property
    def id(self) -> str: ...
    @property
    def items(self) -> Sequence[RubricItem]: ...
    @property
    def sections(self) -> Sequence[RubricSection]: ...
    @property
    def veto_events(self) -> Sequence[str]: ...
    @property
    def adjustments(self) -> Sequence[AdjustmentRule]: ...


@dataclass(frozen=True)
class ItemOutcome:
    item_id: str
    score: Decimal | None  # final score; None: 未评
    self_score: Decimal | None
    source: Source | None
    computed: Decimal | None  # the rule's score, when the item is a rule item and the data decide it
    explanation: str  # the rule's explanation ("" for a manual item)
    review_note: str  # the assessor's reason, if any

    @property
    def statement(self) -> str:
        """Where the final score comes from, in one sentence: the rule's, the assessor's, or both."""
        if self.source == Source.OVERRIDE:
            return f"自动计分：{self.explanation}；考评调整为 {self.score} 分：{self.review_note}"
        if self.source == Source.REVIEW:
            return self.review_note
        return self.explanation


@dataclass
class UnitOutcome:
    code: str
    name: str
    total: Decimal
    rank: int | None
    grade: Grade | None  # None while incomplete
    vetoes: list[str]
    sections: dict[str, Decimal]  # section number → score
    items: dict[str, ItemOutcome]  # item id → outcome, in rubric order ({} where only totals were read)
    unscored: int = 0
    # adjustment id → its entries and capped score, in rubric order ({} where the rubric declares none)
    adjustments: dict[str, AdjustmentOutcome] = field(default_factory=dict)

    @property
    def items_total(self) -> Decimal:
        """The sum of the sections, before 加分 and 扣分."""
        return sum(self.sections.values(), Decimal("0.00"))

    @property
    def adjustments_net(self) -> Decimal:
        return adjustments_net(self.adjustments)


@dataclass
class CampaignOutcome:
    year: int
    state: CampaignState
    rubric: Any  # a rubrics.schema.Rubric (the reports read its texts)
    pass_min: Decimal
    excellent_min: Decimal
    excellent_quota: int
    units: list[UnitOutcome] = field(default_factory=list)  # by rank, then code

    @property
    def complete(self) -> bool:
        return all(u.unscored == 0 for u in self.units)

    def by_grade(self, grade: Grade) -> list[UnitOutcome]:
        return [u for u in self.units if u.grade == grade]

    def section_average(self, number: str) -> Decimal:
        if not self.units:
            return Decimal("0.00")
        return (sum((u.sections[number] for u in self.units), Decimal(0)) / len(self.units)).quantize(
            Decimal("0.01")
        )


def unit_outcome(
    *,
    code: str,
    name: str,
    rubric: RubricLike,
    facts: UnitFacts,
    self_scores: Mapping[str, Decimal],
    reviews: Mapping[str, tuple[Decimal, str]],
    adjustment_entries: Iterable[tuple[str, EntryOutcome]] = (),
) -> UnitOutcome:
    """One unit's items, sections, adjustments, total, vetoes and unscored count (scoring.md: Arithmetic,
    Vetoes): the total is the sections' sum plus the capped 加分 less the capped 扣分."""
    items: dict[str, ItemOutcome] = {}
    for item in rubric.items:
        computed = item.compute(facts)
        review_score, review_note = reviews.get(item.id, (None, ""))
        final = final_item(computed, review_score)
        items[item.id] = ItemOutcome(
            item_id=item.id,
            score=final.score,
            self_score=self_scores.get(item.id),
            source=Source(final.source) if final.source else None,
            computed=computed.score if computed else None,
            explanation=final.explanation,
            review_note=review_note,
        )
    section_of = {item.id: item.section for item in rubric.items}
    sections = section_totals({i: o.score for i, o in items.items()}, section_of)
    adjustments = adjustments_outcome(rubric.adjustments, adjustment_entries)
    return UnitOutcome(
        code=code,
        name=name,
        total=sum(sections.values(), Decimal("0.00")) + adjustments_net(adjustments),
        rank=None,
        grade=None,
        vetoes=[kind for kind in rubric.veto_events if facts.event_counts.get(kind, 0)],
        sections=sections,
        items=items,
        unscored=sum(1 for o in items.values() if o.score is None),
        adjustments=adjustments,
    )


@dataclass(frozen=True)
class Standing:
    """What ranking needs of a unit, and what it decides."""

    code: str
    total: Decimal
    vetoes: Sequence[str]
    unscored: int


def standings_decide(
    units: Sequence[Standing], settings: GradeSettings
) -> dict[str, tuple[int | None, Grade | None]]:
    """Rank and grade of every unit by code; none at all while any item of any unit is 未评."""
    if any(u.unscored for u in units):
        return {u.code: (None, None) for u in units}
    ranked = rank_and_grade(
        [UnitStanding(code=u.code, total=u.total, vetoes=tuple(u.vetoes)) for u in units], settings
    )
    return {s.code: (s.rank, Grade(s.grade) if s.grade else None) for s in ranked}


_FLOATS: dict[Decimal, float] = {}  # scores repeat: each converted once (2,850 units × 35 items × 3)
_CENT = Decimal("0.01")


def _number(value: Decimal | None) -> float | None:
    # A 2-decimal Decimal converts to the float with the same shortest repr (1.67, 15.0).
    if value is None:
        return None
    found = _FLOATS.get(value)
    if found is None:
        found = float(value.quantize(_CENT))
        if len(_FLOATS) < 10_000:
            _FLOATS[value] = found
    return found


def _adjustments_json(unit: UnitOutcome) -> dict[str, Any]:
    """The keys a rubric with 加分项 / 扣分项 adds to a unit (absent otherwise, so that a year without any
    keeps its document, and its approved fingerprint, as it was)."""
    return {
        "items_total": _number(unit.items_total),
        "adjustments": {
            adjustment_id: {
                "kind": a.kind.value,
                "score": _number(a.score),
                "capped": a.capped,
                "entries": [{"date": e.date, "basis": e.basis} for e in a.entries],
            }
            for adjustment_id, a in unit.adjustments.items()
        },
    }


def outcome_to_json(outcome: CampaignOutcome) -> dict[str, Any]:
    """The `kaoping results --json` document (formats.md, with the adjustments keys where declared)."""
    complete = outcome.complete
    declared = bool(outcome.rubric.adjustments)
    return {
        "year": outcome.year,
        "rubric": outcome.rubric.id,
        "complete": complete,
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "total": _number(u.total),
                "rank": u.rank if complete else None,
                "grade": u.grade.value if complete and u.grade else None,
                "vetoes": list(u.vetoes),
                "sections": {number: _number(score) for number, score in u.sections.items()},
                "items": {
                    item_id: {
                        "score": _number(item.score),
                        "self": _number(item.self_score),
                        "source": item.source.value if item.source else None,
                        "explanation": item.statement,
                    }
                    for item_id, item in u.items.items()
                },
                **(_adjustments_json(u) if declared else {}),
            }
            for u in outcome.units
        ],
    }
