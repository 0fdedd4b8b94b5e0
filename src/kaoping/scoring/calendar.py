"""Working days, for the 公示 window: Monday to Friday (the State Council's yearly holiday schedule is not
known offline; a city whose window spans a holiday sets more days)."""

import datetime


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the day the window opens does not count); `start`
    itself when days is 0."""
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day
