"""One synthetic year: every unit's rows of every kind, drawn in a fixed order and written as they come."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kaoping.rubrics.schema import Rubric, load_rubric_file

from .casefile_reviews import casefile_review_rows
from .cases import case_rows
from .cells import Row
from .events import event_rows
from .patches import patch_rows
from .profiles import profile_for
from .scores import score_rows
from .specs import RUBRIC_FILE, import_columns
from .submissions import submission_rows
from .tips import tip_rows
from .unit_year import UnitYear
from .units import unit_list
from .writers import FORMATS, Sink, open_sink

# Order matters: case-file reviews pick from the cases, and the draws follow one fixed sequence,
# so every kind is drawn even when only some are written.
LEDGERS: dict[str, Callable[[UnitYear], list[Row]]] = {
    "units": lambda unit: [(unit.code, unit.name)],
    "cases": case_rows,
    "submissions": submission_rows,
    "tips": tip_rows,
    "patches": patch_rows,
    "events": event_rows,
    "casefile-reviews": casefile_review_rows,
}
LEDGER_KINDS = tuple(LEDGERS)
SCORE_KINDS = ("self-scores", "review-scores")
KINDS = LEDGER_KINDS + SCORE_KINDS


def generate_year(
    out_dir: Path,
    *,
    year: int = 2017,
    units: int = 8,
    seed: int = 2017,
    fmt: str = "csv",
    scores: bool = True,
    carryover: bool = True,
    only: Sequence[str] | None = None,
    rubric_file: Path = RUBRIC_FILE,
) -> dict[str, Path]:
    """Write one synthetic year's import files into out_dir; return {kind: path}.

    scores=False leaves out the self and review scores; carryover=False leaves out the records dated in
    the previous year (a few cases and tips), for a year generated next to one already imported.
    only=("cases",) writes those kinds only, with the same rows as a full generation."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}")
    unknown = set(only or ()) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds: {', '.join(sorted(unknown))}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    kinds = LEDGER_KINDS + (SCORE_KINDS if scores else ())
    if only is not None:
        kinds = tuple(kind for kind in kinds if kind in only)
    columns = import_columns()
    paths = {kind: out_dir / f"{kind}.{fmt}" for kind in kinds}
    sinks = {kind: open_sink(fmt, paths[kind], columns[kind]) for kind in kinds}
    rubric = load_rubric_file(rubric_file)
    try:
        for code, name in unit_list(units):
            unit = UnitYear(code, name, year, seed, profile_for(code, year, seed), rubric, carryover)
            _write_unit(sinks, unit, rubric if set(SCORE_KINDS) & set(kinds) else None)
    finally:
        for sink in sinks.values():
            sink.close()
    return paths


def _write_unit(sinks: dict[str, Sink], unit: UnitYear, rubric: Rubric | None) -> None:
    for kind, rows in LEDGERS.items():
        drawn = rows(unit)
        if kind in sinks:
            sinks[kind].write(drawn)
    if rubric is not None:
        self_rows, review_rows = score_rows(unit, rubric)
        for kind, drawn in zip(SCORE_KINDS, (self_rows, review_rows), strict=True):
            if kind in sinks:
                sinks[kind].write(drawn)
