"""Decimal points: exact arithmetic, clamped and rounded half-up to cents, never binary floats."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def to_points(value: Fraction | Decimal | int, maximum: Decimal) -> Decimal:
    """Clamp an exact value to [0, maximum] and round it half-up to 2 decimals."""
    exact = Fraction(value) if not isinstance(value, Fraction) else value
    exact = min(max(exact, Fraction(0)), Fraction(maximum))
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def cents(value: Decimal | int | str) -> Decimal:
    """A stored or entered score as a 2-decimal Decimal."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | Fraction | int) -> str:
    """A figure as people write it in an explanation: 2, 1.5, 0.67 (no trailing zeros)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt2(value: Decimal) -> str:
    """A score with exactly 2 decimals."""
    return format(cents(value), "f")


def percent(part: int, whole: int) -> str:
    """A share as a percentage with up to 2 decimals: 66.67%."""
    return fmt(Fraction(part * 100, whole)) + "%"


def share_below(part: int, whole: int) -> str:
    """A share beside a threshold, rounded down so it never shows as met when it is not: 59.99%."""
    exact = Decimal(part * 100) / Decimal(whole)
    text = format(exact.quantize(CENT, rounding=ROUND_DOWN), "f").rstrip("0").rstrip(".")
    return text + "%"


def threshold_percent(share: Decimal) -> str:
    """A threshold proportion as written in the notice: 0.60 → 60%, 0.955 → 95.5%."""
    return format((share * 100).normalize(), "f") + "%"


def signed2(value: Decimal) -> str:
    """A 加分 or 扣分 with its sign and 2 decimals, as the pages show a lost point: +2.00, −1.50, 0.00."""
    text = fmt2(abs(value))
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text
