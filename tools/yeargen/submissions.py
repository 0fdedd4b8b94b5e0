"""报送记录: the monthly 巡查月报 and 案件月报 (some late or missing, as designed) and the 形势分析."""

from __future__ import annotations

from datetime import date, timedelta

from .cells import Row, iso, office_time
from .unit_year import UnitYear


def submission_rows(unit: UnitYear) -> list[Row]:
    p, rows = unit.profile, []
    for kind, late in (("巡查月报", p.patrol_reports_late), ("案件月报", p.case_reports_late)):
        late_months = set(unit.rng.sample(range(1, 13), late))
        for month in range(1, 13):
            submitted = _monthly_submission(unit, month, month in late_months)
            if submitted:
                rows.append((unit.code, kind, f"{unit.year}-{month:02d}", submitted))
    halves = ("H1", "H2")[: p.analyses]
    for half in halves:
        first = date(unit.year, 7, 1) if half == "H1" else date(unit.year, 12, 15)
        day = unit.day(first, first + timedelta(days=25))
        rows.append((unit.code, "形势分析", f"{unit.year}{half}", f"{iso(day)} {office_time(unit.rng)}"))
    return rows


def _monthly_submission(unit: UnitYear, month: int, late: bool) -> str | None:
    """Due on the rubric's day of its month; a late month is missing a third of the time."""
    rng = unit.rng
    due = date(unit.year, month, unit.due_day)
    if not late:
        day = unit.day(date(unit.year, month, min(8, unit.due_day)), due)
    elif rng.random() < 1 / 3:
        return None
    else:
        day = due + timedelta(days=rng.randrange(1, 25))
    return f"{iso(day)} {office_time(rng)}"
