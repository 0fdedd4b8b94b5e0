"""加分项 and 扣分项 a rubric may declare besides its items: +N (or −N) for each evidence-backed entry the
group records, at most M in all per adjustment. Pure Python: exact Decimal sums of 2-decimal figures.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from .numbers import fmt


class AdjustmentKind(StrEnum):
    """Whether an adjustment adds to the total or takes from it (the rubric's `kind`)."""

    BONUS = "bonus"
    DEDUCTION = "deduction"

    @property
    def label(self) -> str:
        return "加分" if self is AdjustmentKind.BONUS else "扣分"

    @property
    def verb(self) -> str:
        return self.label[0]  # 加 / 扣

    @property
    def sign(self) -> int:
        return 1 if self is AdjustmentKind.BONUS else -1


class AdjustmentRule(Protocol):
    """What scoring reads of a declared adjustment (rubrics.schema.Adjustment is one)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> AdjustmentKind: ...
    @property
    def points(self) -> Decimal: ...
    @property
    def max(self) -> Decimal: ...


@dataclass(frozen=True)
class EntryOutcome:
    """One recorded entry as the results show it."""

    entry_id: int
    date: str  # ISO date
    basis: str  # 依据: what the entry rests on (a commendation, a document number)
    evidence: str  # the evidence file's name


@dataclass(frozen=True)
class AdjustmentOutcome:
    adjustment_id: str
    kind: AdjustmentKind
    entries: tuple[EntryOutcome, ...]
    raw: Decimal  # entries × points, before the cap (unsigned)
    score: Decimal  # what counts in the total, signed: +bonus or −deduction, capped

    @property
    def capped(self) -> bool:
        return self.raw > abs(self.score)

    @property
    def statement(self) -> str:
        """One sentence: how many entries, the points each, the cap where it bites."""
        if not self.entries:
            return "无记录"
        each = f"{len(self.entries)} 项×{fmt(self.raw / len(self.entries))} 分={fmt(self.raw)} 分"
        if self.capped:
            return f"{each}，超过上限，按 {fmt(abs(self.score))} 分计{self.kind.label}"
        return f"{each}，{self.kind.label} {fmt(abs(self.score))} 分"


def adjustment_score(rule: AdjustmentRule, entry_count: int) -> tuple[Decimal, Decimal]:
    """(raw, signed capped score) of `entry_count` entries of one adjustment."""
    raw = rule.points * entry_count
    return raw, min(raw, rule.max) * rule.kind.sign


def adjustments_outcome(
    rules: Sequence[AdjustmentRule], entries: Iterable[tuple[str, EntryOutcome]]
) -> dict[str, AdjustmentOutcome]:
    """Every declared adjustment (in rubric order) with its entries (in date order) and capped score.

    The score depends only on how many entries each adjustment has, never on their order; an entry
    naming an adjustment the rubric does not declare counts for nothing.
    """
    grouped: dict[str, list[EntryOutcome]] = {rule.id: [] for rule in rules}
    for adjustment_id, entry in entries:
        if adjustment_id in grouped:
            grouped[adjustment_id].append(entry)
    outcomes = {}
    for rule in rules:
        listed = tuple(sorted(grouped[rule.id], key=lambda e: (e.date, e.entry_id)))
        raw, score = adjustment_score(rule, len(listed))
        outcomes[rule.id] = AdjustmentOutcome(rule.id, rule.kind, listed, raw, score)
    return outcomes


def adjustments_net(outcomes: Mapping[str, AdjustmentOutcome]) -> Decimal:
    """Bonus minus deductions, as they count in the total."""
    return sum((o.score for o in outcomes.values()), Decimal("0.00"))
