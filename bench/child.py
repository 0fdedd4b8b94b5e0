"""Steps the benchmark runs each in a child process of its own, so that each has its own peak memory.

    python bench/child.py recompute --year 2017 --repeat 3 --facts FILE   (the database from the environment)
    python bench/child.py read-xlsx FILE                                   (openpyxl read-only, for the ratio)
    python bench/child.py reference --csv DIR --year 2017 --facts FILE    (DuckDB's facts, load excluded)

Each prints one JSON object on stdout.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import reference


def recompute(year: int, repeat: int, facts_path: Path) -> dict:
    """Time `results_recompute` (facts + scores + grades + ranks + the stored rows) as users run it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kaoping.assessments.results import results_recompute
    from kaoping.campaigns.models import Campaign
    from kaoping.ledgers.facts import gather_facts
    from kaoping.org.models import Unit

    def campaign() -> Campaign:
        return Campaign.objects.select_related("rubric").get(year=year)

    codes = dict(Unit.objects.values_list("id", "code"))
    start = time.perf_counter()
    facts = gather_facts(year, campaign().rubric.definition, list(codes))
    facts_seconds = time.perf_counter() - start
    facts_path.write_text(
        json.dumps({codes[unit_id]: reference.facts_json(f) for unit_id, f in facts.items()})
    )
    seconds = []
    for _ in range(repeat):
        fresh = campaign()
        start = time.perf_counter()
        results_recompute(fresh)
        seconds.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        results_recompute(campaign())
    save = one_save(campaign())
    return {
        **save,
        "seconds": statistics.median(seconds),
        "runs": seconds,
        "facts_seconds": facts_seconds,
        "queries": len(captured),
        "units": len(codes),
    }


def one_save(campaign, repeat: int = 5) -> dict:
    """One review score saved as the queue saves it: the write recomputes that unit and re-derives the
    ranks in its transaction. Median of `repeat` saves, their SQL queries, and how many stored results
    the save rewrote besides its unit's own (0: other units are not recomputed)."""
    from decimal import Decimal

    from django.db import connection
    from django.db.models import OuterRef, Subquery
    from django.test.utils import CaptureQueriesContext

    from kaoping.assessments.models import UnitResult
    from kaoping.assessments.services import REVIEW, ScoreEntry, scores_set
    from kaoping.org.models import Unit

    unit = Unit.objects.order_by("code").first()
    item = campaign.rubric.definition.item("1.2")
    mark = "（未重算）"
    UnitResult.objects.filter(campaign=campaign).exclude(unit=unit).update(unit_name=mark)
    seconds, queries = [], 0
    for n in range(repeat):
        entry = ScoreEntry(unit, item, Decimal("0.50") if n % 2 else Decimal("0.25"), "基准测试：一次保存")
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            scores_set(kind=REVIEW, campaign=campaign, entries=[entry], actor=None)
            seconds.append(time.perf_counter() - start)
        queries = len(captured)
    others = UnitResult.objects.filter(campaign=campaign).exclude(unit=unit).exclude(unit_name=mark).count()
    names = Unit.objects.filter(pk=OuterRef("unit_id")).values("name")[:1]
    UnitResult.objects.filter(campaign=campaign, unit_name=mark).update(unit_name=Subquery(names))
    return {"save_seconds": statistics.median(seconds), "save_queries": queries, "save_other_rows": others}


def read_xlsx(path: Path) -> dict:
    """Merely read every cell of the file with openpyxl in read-only mode."""
    from openpyxl import load_workbook

    start = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return {"seconds": time.perf_counter() - start, "rows": rows - 1}


def duckdb_facts(csv_dir: Path, year: int, facts_path: Path) -> dict:
    """DuckDB's facts from the same rows: loading is not timed; the best of 3 runs is."""
    from kaoping.rubrics.schema import load_rubric_file
    from yeargen import RUBRIC_FILE  # tools/ is on the path (run.py puts it there)

    rubric = load_rubric_file(RUBRIC_FILE)
    con = reference.load(csv_dir)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        facts = reference.facts(con, year, rubric.monthly_report_due_day, rubric.publish_within_days)
        runs.append(time.perf_counter() - start)
    con.close()
    facts_path.write_text(json.dumps({code: reference.facts_json(f) for code, f in facts.items()}))
    return {"seconds": min(runs), "runs": runs, "units": len(facts)}


def main() -> int:
    parser = argparse.ArgumentParser()
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("recompute")
    step.add_argument("--year", type=int, required=True)
    step.add_argument("--repeat", type=int, default=3)
    step.add_argument("--facts", type=Path, required=True)
    step = steps.add_parser("read-xlsx")
    step.add_argument("file", type=Path)
    step = steps.add_parser("reference")
    step.add_argument("--csv", type=Path, required=True)
    step.add_argument("--year", type=int, required=True)
    step.add_argument("--facts", type=Path, required=True)
    args = parser.parse_args()
    if args.step == "recompute":
        result = recompute(args.year, args.repeat, args.facts)
    elif args.step == "reference":
        result = duckdb_facts(args.csv, args.year, args.facts)
    else:
        result = read_xlsx(args.file)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
