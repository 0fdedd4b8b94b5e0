"""The figures of a run: the growth exponent, the table against the targets, and bench/RESULTS.md."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ANALYSIS = Path(__file__).with_name("analysis.md")


@dataclass
class Step:
    """One measured step: wall time and peak RSS of the process that ran it."""

    size: int  # units
    backend: str  # sqlite, postgresql, duckdb, openpyxl
    name: str
    seconds: float
    rss_mb: float | None = None
    rows: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float | None:
        """For reading and importing steps only."""
        if not (self.rows and self.seconds and self.name.startswith(("import", "read"))):
            return None
        return self.rows / self.seconds


@dataclass
class Target:
    label: str
    figure: str  # as printed
    goal: str
    met: bool | None  # None: not measured
    by: str = ""  # how far from the goal, when missed


def exponent(sizes: Sequence[float], seconds: Sequence[float]) -> float | None:
    """k of time ∝ size^k, least squares on log-log; None with fewer than two sizes."""
    points = [(math.log(s), math.log(t)) for s, t in zip(sizes, seconds, strict=True) if s > 0 and t > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def mark(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[met]


def _number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def steps_table(steps: Sequence[Step]) -> list[str]:
    lines = [
        "| units | backend | step | seconds | rows | rows/s | peak RSS (MB) | notes |",
        "|---:|---|---|---:|---:|---:|---:|---|",
    ]
    for s in steps:
        notes = ", ".join(f"{k} {v}" for k, v in s.extra.items() if k not in ("runs",))
        lines.append(
            f"| {s.size:,} | {s.backend} | {s.name} | {_number(s.seconds)} | "
            f"{'' if s.rows is None else f'{s.rows:,}'} | {_number(s.rows_per_second, 0)} | "
            f"{_number(s.rss_mb, 0)} | {notes} |"
        )
    return lines


def targets_table(targets: Sequence[Target]) -> list[str]:
    lines = ["| target | measured | goal | status |", "|---|---|---|---|"]
    for t in targets:
        status = mark(t.met) + (f" (by {t.by})" if t.met is False and t.by else "")
        lines.append(f"| {t.label} | {t.figure} | {t.goal} | {status} |")
    return lines


def write_results(
    path: Path,
    *,
    command: str,
    machine: dict[str, str],
    targets: Sequence[Target],
    growth: Sequence[str],
    steps: Sequence[Step],
    problems: Sequence[str],
) -> None:
    lines = [
        "# Scale benchmark results",
        "",
        "Written by `bench/run.py` (do not edit by hand; the analysis at the end comes from `bench/analysis.md`).",
        "",
        f"- command: `{command}`",
        *[f"- {name}: {value}" for name, value in machine.items()],
        "",
        "## Targets (pages and saves at every size; the rest at the largest)",
        "",
        *targets_table(targets),
        "",
        "## Growth (time ∝ units^k, least squares on log-log)",
        "",
        *growth,
        "",
        "## Every step",
        "",
        "Wall time of the whole process (a CLI step includes starting Python and Django); peak RSS of that",
        "process (`wait4`). Recompute: median of 3 warm runs of `results_recompute` in one process.",
        "",
        *steps_table(steps),
        "",
    ]
    if problems:
        lines += ["## Problems in this run", "", *[f"- {p}" for p in problems], ""]
    if ANALYSIS.exists():
        lines += [ANALYSIS.read_text(encoding="utf-8").rstrip(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
