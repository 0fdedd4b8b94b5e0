"""One unit's year: its profile, its own seeded generator, and the dates every ledger draws from."""

from __future__ import annotations

import random
from datetime import date, timedelta

from kaoping.rubrics.schema import Rubric

from .profiles import Profile


class UnitYear:
    """What one unit's ledgers of one year are drawn from; the ledger modules draw in a fixed order."""

    def __init__(
        self,
        code: str,
        name: str,
        year: int,
        seed: int,
        profile: Profile,
        rubric: Rubric,
        carryover: bool = True,
    ):
        self.code, self.name, self.year, self.profile = code, name, year, profile
        # The rubric's deadlines, so that on time and late mean what scoring counts.
        self.due_day, self.publish_within_days = rubric.monthly_report_due_day, rubric.publish_within_days
        # Records dated in the previous year (cases filed then, tips registered then) count in that year;
        # without carryover, a year can be generated next to an existing one without touching it.
        self.carryover = carryover
        self.rng = random.Random(f"{seed}/{year}/{code}")
        self.start, self.end = date(year, 1, 1), date(year, 12, 31)
        # The ledgers are exported early in January: later dates are not known yet (left empty).
        self.as_of = date(year + 1, 1, 10)
        self.decided_case_numbers: list[str] = []
        self.casefile_reviews_count = 0

    def day(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def known(self, day: date | None) -> date | None:
        return day if day is not None and day <= self.as_of else None
