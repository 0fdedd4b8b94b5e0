"""Figures as the pages show them: always two decimals, a lost point as −0.50, grades with their colour."""

from decimal import Decimal

from django import template

from kaoping.reports.common import SOURCE_LABELS, veto_reason
from kaoping.scoring.grading import EXCELLENT, FAILED, PASSED
from kaoping.scoring.numbers import fmt2, signed2

register = template.Library()

GRADE_CLASSES = {EXCELLENT: "grade-excellent", PASSED: "grade-passed", FAILED: "grade-failed"}


@register.filter
def score(value: Decimal | str | None) -> str:
    """2.50; an absent score is an em dash."""
    if value is None or value == "":
        return "—"
    return fmt2(Decimal(value))


@register.filter
def signed(value: Decimal | str | None) -> str:
    """A 加分 or 扣分 with its sign: +2.00, −1.00, 0.00."""
    if value is None or value == "":
        return "—"
    return signed2(Decimal(value))


@register.filter
def score_input(value: Decimal | str | None) -> str:
    """The value of a score input: 2.50, or empty."""
    return "" if value is None or value == "" else fmt2(Decimal(value))


@register.filter
def lost(final: Decimal | None, points: Decimal) -> str:
    """−0.50 for points lost below the maximum; empty when nothing was lost or nothing is scored."""
    if final is None or final >= points:
        return ""
    return "−" + fmt2(points - final)


@register.filter
def grade_class(grade: str | None) -> str:
    return GRADE_CLASSES.get(grade or "", "grade-pending")


@register.filter
def source_label(source: str | None) -> str:
    return SOURCE_LABELS.get(source, "未评")


@register.filter
def vetoes_text(vetoes: list[str]) -> str:
    return veto_reason(vetoes)


@register.filter
def get(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(part: int, whole: int) -> str:
    return "—" if not whole else f"{part * 100 / whole:.0f}%"


@register.filter
def dom_id(value: str) -> str:
    """An item id (1.1) as part of an HTML id (1_1)."""
    return str(value).replace(".", "_")


@register.filter
def period_label(period: str) -> str:
    """A half-year period as people write it: 2018H1 → 2018年上半年; other periods unchanged."""
    year, half = period[:4], period[4:]
    return {"H1": f"{year}年上半年", "H2": f"{year}年下半年"}.get(half, period)
