"""举报线索: tips registered in the year, the designed share handled by the deadline and reported."""

from __future__ import annotations

from datetime import date, timedelta

from .cells import Row, deal, iso, yes
from .unit_year import UnitYear


def tip_rows(unit: UnitYear) -> list[Row]:
    p, rng, rows = unit.profile, unit.rng, []
    handled = deal(rng, p.tips, p.tips_handled_share)
    registered = sorted(unit.day(unit.start, unit.end) for _ in range(p.tips))
    for seq, (day, ok) in enumerate(zip(registered, handled, strict=True), start=1):
        rows.append(_tip(unit, f"JB{unit.code}-{unit.year}-{seq:04d}", day, ok))
    # A couple registered late in the previous year: they count there, not here.
    for seq in range(1, 1 + (rng.randrange(0, 3) if unit.carryover else 0)):
        day = unit.day(date(unit.year - 1, 12, 1), date(unit.year - 1, 12, 31))
        rows.append(_tip(unit, f"JB{unit.code}-{unit.year - 1}-{900 + seq:04d}", day, True))
    return rows


def _tip(unit: UnitYear, number: str, registered: date, handled: bool) -> Row:
    rng = unit.rng
    deadline = registered + timedelta(days=rng.choice((15, 30, 30, 30, 60)))
    reported = True
    if handled:
        last = min(deadline, unit.as_of)
        closed: date | None = unit.day(registered, last)
    else:
        failure = rng.randrange(3)
        if failure == 0:  # closed late
            closed = unit.known(deadline + timedelta(days=rng.randrange(1, 40)))
        elif failure == 1:  # still open
            closed = None
        else:  # closed in time but never reported to the brigade
            closed, reported = unit.day(registered, min(deadline, unit.as_of)), False
    return (number, unit.code, iso(registered), iso(deadline), iso(closed), yes(reported))
