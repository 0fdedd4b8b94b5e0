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
    return {
        "seconds": statistics.median(seconds),
        "runs": seconds,
        "facts_seconds": facts_seconds,
        "queries": len(captured),
        "units": len(codes),
    }


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
