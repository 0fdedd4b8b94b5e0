"""The results of a campaign as the reports, pages, API and CLI read them (no Django models here)."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kaoping.rubrics.schema import Rubric


@dataclass(frozen=True)
class ItemOutcome:
    item_id: str
    score: Decimal | None  # final score; None: 未评
    self_score: Decimal | None
    source: str | None  # "rule" | "review" | "override" | None
    computed: Decimal | None  # the rule's score, when the item is a rule item and the data decide it
    explanation: str  # the rule's explanation ("" for a manual item)
    review_note: str  # the assessor's reason, if any

    @property
    def statement(self) -> str:
        """Where the final score comes from, in one sentence: the rule's, the assessor's, or both."""
        if self.source == "override":
            return f"自动计分：{self.explanation}；考评调整为 {self.score} 分：{self.review_note}"
        if self.source == "review":
            return self.review_note
        return self.explanation


@dataclass
class UnitOutcome:
    code: str
    name: str
    total: Decimal
    rank: int | None
    grade: str | None  # 优胜 / 达标 / 不合格, None while incomplete
    vetoes: list[str]
    sections: dict[str, Decimal]  # section number → score
    items: dict[str, ItemOutcome]  # item id → outcome, in rubric order
    unscored: int = 0


@dataclass
class CampaignOutcome:
    year: int
    state: str  # display name, e.g. 已审定
    rubric: Rubric
    pass_min: Decimal
    excellent_min: Decimal
    excellent_quota: int
    units: list[UnitOutcome] = field(default_factory=list)  # by rank, then code

    @property
    def complete(self) -> bool:
        return all(u.unscored == 0 for u in self.units)

    def by_grade(self, grade: str) -> list[UnitOutcome]:
        return [u for u in self.units if u.grade == grade]

    def section_average(self, number: str) -> Decimal:
        if not self.units:
            return Decimal("0.00")
        return (sum((u.sections[number] for u in self.units), Decimal(0)) / len(self.units)).quantize(
            Decimal("0.01")
        )


def _number(value: Decimal | None) -> float | None:
    # A 2-decimal Decimal converts to the float with the same shortest repr (1.67, 15.0).
    return None if value is None else float(value.quantize(Decimal("0.01")))


def outcome_to_json(outcome: CampaignOutcome) -> dict[str, Any]:
    """The `kaoping results --json` document (formats.md)."""
    complete = outcome.complete
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
                "grade": u.grade if complete else None,
                "vetoes": list(u.vetoes),
                "sections": {number: _number(score) for number, score in u.sections.items()},
                "items": {
                    item_id: {
                        "score": _number(item.score),
                        "self": _number(item.self_score),
                        "source": item.source,
                        "explanation": item.statement,
                    }
                    for item_id, item in u.items.items()
                },
            }
            for u in outcome.units
        ],
    }
