"""Cell texts as the import files write them, and the exact draws every ledger shares."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

YES, NO = "是", "否"
Row = tuple[Any, ...]


def yes(flag: bool) -> str:
    return YES if flag else NO


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def deal(rng: random.Random, n: int, share: float) -> list[bool]:
    """Exactly round(n × share) True values in random places: a designed rate without sampling noise."""
    hits = min(n, int(n * share + 0.5))
    flags = [True] * hits + [False] * (n - hits)
    rng.shuffle(flags)
    return flags


def points(value: Decimal) -> str:
    """A score as written in a table: 3, 2.5, 1.83."""
    text = format(value.quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".")


def cents(hundredths: int) -> str:
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def office_time(rng: random.Random) -> str:
    """Mostly office hours; now and then late in the evening (23:59 on the due day is still on time)."""
    if rng.random() < 0.05:
        return f"{rng.randrange(20, 24):02d}:{rng.randrange(60):02d}"
    return f"{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}"
