"""案卷评查: city-level case-file reviews in the autumn, of case files decided this year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .cells import Row, iso, points
from .unit_year import UnitYear


def casefile_review_rows(unit: UnitYear) -> list[Row]:
    """Drawn after the cases: it reviews some of the case files they decided."""
    p, rng = unit.profile, unit.rng
    numbers = unit.decided_case_numbers
    chosen = sorted(rng.sample(range(len(numbers)), min(p.casefile_reviews, len(numbers))))
    rows = []
    for i in chosen:
        # Half points only; three uniforms summed give a bell of ±9 around the unit's mean.
        noise = (rng.random() + rng.random() + rng.random() - 1.5) * 12
        score = Decimal(int(max(60.0, min(100.0, p.casefile_mean + noise)) * 2)) / 2
        day = unit.day(date(unit.year, 10, 15), date(unit.year, 12, 15))
        rows.append((numbers[i], unit.code, iso(day), points(score)))
    unit.casefile_reviews_count = len(rows)
    return rows
