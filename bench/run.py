"""The scale benchmark (issue 4): one city, one province, the whole country, each on a fresh database.

    .venv/bin/python bench/run.py                       # 8, 122 and 2,850 units; writes bench/RESULTS.md
    .venv/bin/python bench/run.py --sizes 8,122         # other sizes
    .venv/bin/python bench/run.py --smoke               # 8 units, quick; exit 1 if any step fails (CI)

For each size, the deterministic generator writes a synthetic year (csv; the cases file also as xlsx, as
users upload it). For each database (SQLite in a temporary KAOPING_HOME, and the scratch PostgreSQL
database kaoping_bench), the real `kaoping` command loads it, then each step runs in a process of its
own: import, recompute (against a DuckDB reference computing the same facts, which must agree),
`results --json`, `export ranking`, and the results and review-queue pages under gunicorn with wrk.
"""

import argparse
import contextlib
import dataclasses
import datetime
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import reference
import web
from report import Step, Target, exponent, write_results

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
YEAR, SEED = 2017, 1
POSTGRES = os.environ.get("KAOPING_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/")
POSTGRES_DB = "kaoping_bench"
LEDGERS = ("submissions", "tips", "patches", "events", "casefile-reviews", "self-scores", "review-scores")
NEEDS_YEAR = {"patches", "self-scores", "review-scores"}
PASSWORD = "Bench-kaoping-2017"
GROUP = ("bench-group", ["--role", "group"])
ASSESSOR = ("bench-assessor", ["--role", "assessor", "--department", "zfjc"])
FILLER = ("bench-filler", ["--role", "filler", "--unit", "430902"])
PAGES = {  # page → (path, user, role and scope): issue 8's pages
    "dashboard (group)": ("/", *GROUP),
    "results page": ("/results/", *GROUP),
    "a unit's result": ("/results/430902/", *GROUP),
    "review queue": ("/review/", *ASSESSOR),
    "review queue, filtered": ("/review/?status=reviewed&item=1.5", *ASSESSOR),
    "self-assessment (filler)": ("/self/", *FILLER),
    "台帐与报送 (group)": ("/ledgers/", *GROUP),
    "follow-up": ("/followup/", *GROUP),
}
CLIENTS = 20
# Targets at the largest size (issue 4).
RECOMPUTE_MAX_S, DUCKDB_MAX_RATIO, IMPORT_MIN_ROWS_S = 10.0, 5.0, 30_000
PAGE_P95_MAX_MS, RSS_MAX_MB, GROWTH_MAX_K = 200.0, 1536.0, 1.1
OUTPUT_MAX_S = {"export ranking": 10.0, "export notice": 5.0, "results --json": 1.0}  # issue 8


class StepFailed(Exception):
    pass


@dataclass
class Data:
    size: int
    csv: Path  # every kind as csv
    cases_xlsx: Path


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path):
        self.args, self.workdir = args, workdir
        self.steps: list[Step] = []
        self.problems: list[str] = []
        self.loads: list[float] = []  # 1-minute load average before each size
        kaoping = Path(sys.executable).with_name("kaoping")
        self.kaoping = [str(kaoping)] if kaoping.exists() else [sys.executable, "-m", "kaoping.cli"]

    def record(self, step: Step) -> Step:
        self.steps.append(step)
        rate = f", {step.rows_per_second:,.0f} rows/s" if step.rows_per_second else ""
        rss = f", {step.rss_mb:,.0f} MB" if step.rss_mb is not None else ""
        extra = "".join(f", {k} {v}" for k, v in step.extra.items() if k != "runs")
        print(f"  {step.backend:<10} {step.name:<28} {step.seconds:8.2f} s{rate}{rss}{extra}", flush=True)
        return step

    def problem(self, text: str) -> None:
        self.problems.append(text)
        print(f"  !! {text}", flush=True)

    def find(self, size: int, backend: str, name: str) -> Step | None:
        return next((s for s in self.steps if (s.size, s.backend, s.name) == (size, backend, name)), None)


# ─── processes ───


def run_child(argv: list[str], env: dict[str, str], stdout: Path | None = None) -> tuple[float, float, str]:
    """Run one step in a child process: (wall seconds, its own peak RSS in MB, its stdout unless `stdout`)."""
    with tempfile.TemporaryFile() as captured, tempfile.TemporaryFile() as err:
        out = stdout.open("wb") if stdout else captured
        try:
            start = time.perf_counter()
            child = subprocess.Popen(argv, env=env, stdout=out, stderr=err, cwd=ROOT)
            _, status, usage = os.wait4(child.pid, 0)  # the rusage of this child alone
            seconds = time.perf_counter() - start
        finally:
            if stdout:
                out.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise StepFailed(
                f"{shlex.join(argv[-4:])} exited {child.returncode}: {err.read().decode()[-2000:]}"
            )
        captured.seek(0)
        text = captured.read().decode()
    return seconds, usage.ru_maxrss / 1024, text  # ru_maxrss is in KiB on Linux


# ─── data and databases ───


def generate(size: int, workdir: Path) -> Data:
    """The generator's year for this size (kept in the work directory, so --workdir reuses it)."""
    base = workdir / f"data-{size}"
    data = Data(size, base / "csv", base / "xlsx" / "cases.xlsx")
    generator = [sys.executable, "-m", "yeargen", "--units", str(size), "--year", str(YEAR)]
    generator += ["--seed", str(SEED)]
    if not (data.csv / "review-scores.csv").exists():
        run_child([*generator, "--format", "csv", "-o", str(data.csv)], tools_env())
    if not data.cases_xlsx.exists():
        run_child(
            [*generator, "--format", "xlsx", "--kinds", "cases", "-o", str(data.cases_xlsx.parent)],
            tools_env(),
        )
    return data


def tools_env() -> dict[str, str]:
    """This environment with tools/ on the path: the generator, and the rubric it generated for."""
    env = os.environ.copy()
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "tools"), env.get("PYTHONPATH")) if p)
    return env


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES.rstrip("/") + "/postgres", connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: not available here
        return f"PostgreSQL unavailable at {POSTGRES} ({type(exc).__name__}: {str(exc).strip()[:200]})"


def fresh_postgres() -> str:
    import psycopg

    with psycopg.connect(POSTGRES.rstrip("/") + "/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {POSTGRES_DB}")
    return POSTGRES.rstrip("/") + f"/{POSTGRES_DB}"


def drop_postgres() -> None:
    import psycopg

    with psycopg.connect(POSTGRES.rstrip("/") + "/postgres", autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")


def database_env(backend: str, size: int, workdir: Path) -> dict[str, str]:
    home = Path(tempfile.mkdtemp(prefix=f"{backend}-{size}-", dir=workdir))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KAOPING_DEBUG")}
    env.update(KAOPING_HOME=str(home), DJANGO_SETTINGS_MODULE="kaoping.settings")
    if backend == "postgresql":
        env["DATABASE_URL"] = fresh_postgres()
    return env


# ─── steps ───


def imported_rows(output: str) -> int:
    match = re.search(r"已导入 (\d+) 条", output)
    if match is None:
        raise StepFailed(f"no row count in: {output.strip()[:200]}")
    return int(match[1])


def load_year(bench: Bench, data: Data, backend: str, env: dict[str, str]) -> None:
    """Init, units, campaign, then every ledger through `kaoping import`; the cases xlsx is the measured one."""
    k = bench.kaoping
    run_child([*k, "init"], env)
    seconds, rss, out = run_child([*k, "import", "units", str(data.csv / "units.csv")], env)
    bench.record(Step(data.size, backend, "import units (csv)", seconds, rss, imported_rows(out)))
    run_child([*k, "campaign", "create", "--year", str(YEAR)], env)
    seconds, rss, out = run_child([*k, "import", "cases", str(data.cases_xlsx), "--year", str(YEAR)], env)
    bench.record(Step(data.size, backend, "import cases (xlsx)", seconds, rss, imported_rows(out)))
    for kind in LEDGERS:
        argv = [*k, "import", kind, str(data.csv / f"{kind}.csv")]
        argv += ["--year", str(YEAR)] if kind in NEEDS_YEAR else []
        seconds, rss, out = run_child(argv, env)
        bench.record(Step(data.size, backend, f"import {kind} (csv)", seconds, rss, imported_rows(out)))
    run_child([*k, "campaign", "advance", "--year", str(YEAR), "--to", "review"], env)


def measure_read(bench: Bench, data: Data) -> None:
    seconds, rss, out = run_child(
        [sys.executable, "bench/child.py", "read-xlsx", str(data.cases_xlsx)], os.environ.copy()
    )
    bench.record(
        Step(data.size, "openpyxl", "read cases (xlsx, read-only)", seconds, rss, json.loads(out)["rows"])
    )


def measure_reference(bench: Bench, data: Data) -> dict[str, dict] | None:
    """DuckDB's facts, to compare with kaoping's; None when DuckDB is not installed."""
    if importlib.util.find_spec("duckdb") is None:
        bench.problem("duckdb is not installed (pip install -e '.[bench]'): no reference, no facts check")
        return None
    facts_path = bench.workdir / f"facts-duckdb-{data.size}.json"
    argv = [sys.executable, "bench/child.py", "reference", "--csv", str(data.csv), "--year", str(YEAR)]
    _, rss, out = run_child([*argv, "--facts", str(facts_path)], tools_env())
    result = json.loads(out)
    bench.record(Step(data.size, "duckdb", "facts (reference)", result["seconds"], rss, result["units"]))
    return json.loads(facts_path.read_text())


def measure_recompute(
    bench: Bench, data: Data, backend: str, env: dict[str, str], expected: dict | None
) -> None:
    facts_path = bench.workdir / f"facts-{backend}-{data.size}.json"
    repeat = "1" if bench.args.smoke else "3"
    argv = [sys.executable, "bench/child.py", "recompute", "--year", str(YEAR), "--repeat", repeat]
    seconds, rss, out = run_child([*argv, "--facts", str(facts_path)], env)
    result = json.loads(out)
    extra = {
        "queries": result["queries"],
        "facts s": round(result["facts_seconds"], 2),
        "runs": result["runs"],
        "one save ms": round(result["save_seconds"] * 1000, 1),
        "one save queries": result["save_queries"],
        "one save: other units rewritten": result["save_other_rows"],
    }
    step = Step(data.size, backend, "recompute", result["seconds"], rss, result["units"], extra)
    reference_step = bench.find(data.size, "duckdb", "facts (reference)")
    if reference_step is not None:
        step.extra["× DuckDB"] = round(step.seconds / reference_step.seconds, 1)
    bench.record(step)
    if expected is not None:
        wrong = reference.differences(expected, json.loads(facts_path.read_text()))
        if wrong:
            bench.problem(f"{backend} {data.size}: kaoping's facts differ from DuckDB's: " + "; ".join(wrong))
        else:
            step.extra["facts = DuckDB"] = "yes"


def measure_outputs(bench: Bench, data: Data, backend: str, env: dict[str, str]) -> None:
    k, out_dir = bench.kaoping, bench.workdir / f"out-{backend}-{data.size}"
    out_dir.mkdir(exist_ok=True)
    json_path = out_dir / "results.json"
    seconds, rss, _ = run_child([*k, "results", "--year", str(YEAR), "--json"], env, stdout=json_path)
    units = len(json.loads(json_path.read_text(encoding="utf-8"))["units"])
    bench.record(
        Step(
            data.size,
            backend,
            "results --json",
            seconds,
            rss,
            units,
            {"MB": round(json_path.stat().st_size / 2**20, 1)},
        )
    )
    ranking = out_dir / "ranking.xlsx"
    seconds, rss, _ = run_child([*k, "export", "ranking", "--year", str(YEAR), "-o", str(ranking)], env)
    bench.record(
        Step(
            data.size,
            backend,
            "export ranking",
            seconds,
            rss,
            units,
            {"MB": round(ranking.stat().st_size / 2**20, 1)},
        )
    )

    notice = out_dir / "notice.docx"
    seconds, rss, _ = run_child([*k, "export", "notice", "--year", str(YEAR), "-o", str(notice)], env)
    bench.record(
        Step(data.size, backend, "export notice", seconds, rss, units, {"KB": notice.stat().st_size // 1024})
    )


def measure_web(bench: Bench, data: Data, backend: str, env: dict[str, str]) -> None:
    k = bench.kaoping
    for username, role in {username: role for _, username, role in PAGES.values()}.items():
        run_child([*k, "user", "create", username, *role, "--password", PASSWORD], env)
    load = not bench.args.smoke
    if load and not web.wrk_available():
        bench.problem("wrk is not installed (apt-get install -y wrk): web pages measured by one request only")
        load = False
    with web.serve(k, env, bench.workdir / f"serve-{backend}-{data.size}.log") as base:
        for page, (path, username, _) in PAGES.items():
            cookie = web.login(base, username, PASSWORD)
            status, seconds, size = web.fetch_once(base, path, cookie)
            if status != 200:
                bench.problem(f"{page} {path} answered {status}: skipped (is the page there yet?)")
                continue
            if not load:
                bench.record(Step(data.size, backend, page, seconds, None, None, {"KB": size // 1024}))
                continue
            result = web.load(base, path, cookie, clients=CLIENTS, seconds=bench.args.web_seconds)
            if result["bad_status"] or result["socket_errors"]:
                bench.problem(
                    f"{page}: {result['bad_status']} bad answers, {result['socket_errors']} socket errors"
                )
            if result["p95_ms"] is None:
                extra = {"p95 ms": f"> {bench.args.web_seconds * 1000}", "req/s": 0, "KB": size // 1024}
                seconds = float(bench.args.web_seconds)
            else:
                extra = {
                    "p50 ms": round(result["p50_ms"]),
                    "p95 ms": round(result["p95_ms"]),
                    "req/s": round(result["rps"], 1),
                    "KB": size // 1024,
                }
                seconds = result["p95_ms"] / 1000
            bench.record(Step(data.size, backend, page, seconds, None, result["requests"], extra))
        measure_saves(bench, data, backend, base, load)
        # A self score is saved while the year is in 自评中: one step back, then forward again.
        run_child([*k, "campaign", "advance", "--year", str(YEAR), "--to", "自评中"], env)
        run_child([sys.executable, "-c", DEADLINE_AHEAD], env)  # the generated year's deadline is past
        try:
            measure_saves(bench, data, backend, base, load, self_score=True)
        finally:
            run_child([*k, "campaign", "advance", "--year", str(YEAR), "--to", "review"], env)


SAVE_PATH = "/review/430902/1.5/save/"  # 1.5 is owned by 支队 (the bench's 考评员)
SELF_SAVE_PATH = "/self/430902/1.5/save/"  # the bench's 填报员 is 资阳区's
DEADLINE_AHEAD = f"""
import datetime, django
django.setup()
from kaoping.assessments.workflow import campaign_settings_update
from kaoping.campaigns.models import Campaign
campaign_settings_update(
    campaign=Campaign.objects.get(year={YEAR}),
    actor=None,
    self_deadline=datetime.date.today() + datetime.timedelta(days=30),
)
"""


def measure_saves(
    bench: Bench, data: Data, backend: str, base: str, load: bool, *, self_score: bool = False
) -> None:
    """Inline saves (a review score, or a self score) while 20 clients read the group's dashboard
    (issue 8: p95 ≤ 100 ms)."""
    person = FILLER[0] if self_score else ASSESSOR[0]
    saver = web.login(base, person, PASSWORD)
    reader = web.login(base, GROUP[0], PASSWORD)
    count = 10 if bench.args.smoke else 60
    readers = None
    if load:
        readers = threading.Thread(
            target=web.load,
            args=(base, "/", reader),
            kwargs={"clients": CLIENTS, "seconds": max(bench.args.web_seconds, 10)},
            daemon=True,
        )
        readers.start()
        time.sleep(1)
    path, note = (SELF_SAVE_PATH, "note") if self_score else (SAVE_PATH, "reason")
    result = web.save_timings(base, saver, path, count=count, note=note)
    if readers is not None:
        readers.join()
    kind = "self" if self_score else "review"
    if set(result["statuses"]) != {200}:
        bench.problem(f"inline {kind} save answered {result['statuses']}")
    extra = {"p50 ms": round(result["p50_ms"]), "p95 ms": round(result["p95_ms"]), "saves": count}
    name = f"inline {kind} save (under read load)" if load else f"inline {kind} save"
    bench.record(Step(data.size, backend, name, result["p95_ms"] / 1000, None, count, extra))


def measure_size(bench: Bench, size: int, backends: list[str]) -> None:
    load = os.getloadavg()[0]
    bench.loads.append(load)
    print(f"── {size} units (load average {load:.2f})", flush=True)
    if load > 0.5 * (os.cpu_count() or 1):
        print("  !! the machine is busy: other processes share the CPUs, times will be longer", flush=True)
    data = generate(size, bench.workdir)
    measure_read(bench, data)
    expected = measure_reference(bench, data)
    for backend in backends:
        env = database_env(backend, size, bench.workdir)
        try:
            load_year(bench, data, backend, env)
            measure_recompute(bench, data, backend, env, expected)
            measure_outputs(bench, data, backend, env)
            measure_web(bench, data, backend, env)
        except (StepFailed, RuntimeError, OSError, subprocess.CalledProcessError) as failure:
            bench.problem(f"{backend} {size}: {failure}")
        finally:
            if backend == "postgresql":
                drop_postgres()


# ─── figures ───


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    import sqlite3
    from importlib.metadata import PackageNotFoundError, version

    versions = f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    for package in ("Django", "duckdb", "python-calamine", "gunicorn"):
        with contextlib.suppress(PackageNotFoundError):
            versions += f", {package} {version(package)}"
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": commit or "unknown",
        "machine": f"{os.cpu_count()} CPUs (nproc), {memory_kb / 2**20:.1f} GiB memory, {cpu}",
        "software": versions,
    }


def targets(bench: Bench, size: int, backends: list[str]) -> list[Target]:
    found: list[Target] = []

    def seconds_of(backend: str, name: str) -> float | None:
        step = bench.find(size, backend, name)
        return step.seconds if step else None

    for backend in backends:
        recompute = seconds_of(backend, "recompute")
        duck = seconds_of("duckdb", "facts (reference)")
        found.append(
            Target(
                f"recompute, {backend}",
                "—" if recompute is None else f"{recompute:.2f} s",
                f"≤ {RECOMPUTE_MAX_S:g} s",
                None if recompute is None else recompute <= RECOMPUTE_MAX_S,
                "" if recompute is None else f"{recompute - RECOMPUTE_MAX_S:.2f} s",
            )
        )
        ratio = recompute / duck if recompute and duck else None
        found.append(
            Target(
                f"recompute / DuckDB facts, {backend}",
                "—" if ratio is None else f"{ratio:.1f}× (DuckDB {duck:.3f} s)",
                f"≤ {DUCKDB_MAX_RATIO:g}×",
                None if ratio is None else ratio <= DUCKDB_MAX_RATIO,
                "" if ratio is None else f"{ratio / DUCKDB_MAX_RATIO:.1f}×",
            )
        )
    for backend in backends:
        step = bench.find(size, backend, "recompute")
        if step is not None and "one save ms" in step.extra:
            ms, others = step.extra["one save ms"], step.extra["one save: other units rewritten"]
            found.append(
                Target(
                    f"one review-score save (service), {backend}",
                    f"{ms:.1f} ms, {step.extra['one save queries']} queries, {others} other units rewritten",
                    "≤ 100 ms, no other unit recomputed",
                    ms <= 100 and others == 0,
                    "" if ms <= 100 else f"{ms - 100:.1f} ms",
                )
            )
    for backend, kind in ((b, k) for b in backends for k in ("review", "self")):
        step = bench.find(size, backend, f"inline {kind} save (under read load)") or bench.find(
            size, backend, f"inline {kind} save"
        )
        if step is not None:
            p95 = step.extra["p95 ms"]
            found.append(
                Target(
                    f"{step.name}, {backend}",
                    f"p95 {p95} ms (p50 {step.extra['p50 ms']} ms, {step.extra['saves']} saves)",
                    "p95 ≤ 100 ms",
                    p95 <= 100,
                    "" if p95 <= 100 else f"{p95 / 100:.1f}×",
                )
            )
    for backend in backends:
        step = bench.find(size, backend, "import cases (xlsx)")
        rate = step.rows_per_second if step else None
        read = bench.find(size, "openpyxl", "read cases (xlsx, read-only)")
        versus = (
            f"; import / openpyxl read-only read = {step.seconds / read.seconds:.2f} ({read.seconds:.1f} s)"
            if step and read
            else ""
        )
        found.append(
            Target(
                f"import cases, {backend}",
                "—"
                if rate is None
                else f"{rate:,.0f} rows/s ({step.rows:,} rows, {step.seconds:.1f} s{versus})",
                f"≥ {IMPORT_MIN_ROWS_S:,} rows/s",
                None if rate is None else rate >= IMPORT_MIN_ROWS_S,
                "" if rate is None else f"{IMPORT_MIN_ROWS_S / rate:.1f}× too slow",
            )
        )
    for backend in backends:
        for name, limit in OUTPUT_MAX_S.items():
            step = bench.find(size, backend, name)
            if step is not None:
                found.append(
                    Target(
                        f"{name}, {backend}",
                        f"{step.seconds:.2f} s",
                        f"≤ {limit:g} s",
                        step.seconds <= limit,
                        f"{step.seconds / limit:.1f}×",
                    )
                )
    for backend in backends:
        for page in PAGES:
            step = bench.find(size, backend, page)
            p95 = step.extra.get("p95 ms") if step else None
            if p95 is None:
                figure, met, by = "—", None, ""
            elif isinstance(p95, str):  # no request answered within the run
                figure, met, by = f"no answer within {bench.args.web_seconds} s", False, "> 100×"
            else:
                figure = f"p50 {step.extra['p50 ms']} ms, p95 {p95} ms, {step.extra['req/s']} req/s"
                met, by = p95 <= PAGE_P95_MAX_MS, f"{p95 / PAGE_P95_MAX_MS:.1f}×"
            found.append(
                Target(
                    f"{page} at {CLIENTS} clients, {backend}",
                    figure,
                    f"p95 ≤ {PAGE_P95_MAX_MS:g} ms",
                    met,
                    by,
                )
            )
    measured = [s for s in bench.steps if s.size == size and s.rss_mb is not None]
    if measured:
        worst = max(measured, key=lambda s: s.rss_mb or 0)
        found.append(
            Target(
                "peak RSS of any step",
                f"{worst.rss_mb:,.0f} MB ({worst.backend} {worst.name})",
                f"≤ {RSS_MAX_MB:,.0f} MB",
                worst.rss_mb <= RSS_MAX_MB,
                f"{worst.rss_mb - RSS_MAX_MB:,.0f} MB",
            )
        )
    return found


def growth(bench: Bench, sizes: list[int], backends: list[str]) -> tuple[list[Target], list[str]]:
    """k over every size (the target), and the slope between the two largest sizes, where the work
    dominates the fixed cost of starting a process (which flattens the fit at 8 units)."""
    header = " | ".join(f"{s:,} units" for s in sizes)
    lines = [
        f"| step | backend | {header} | k (fit) | k (last two) |",
        "|---|---|" + "---:|" * (len(sizes) + 2),
    ]
    found = []
    for name in ("recompute", "import cases (xlsx)"):
        for backend in backends:
            steps = [bench.find(size, backend, name) for size in sizes]
            if any(s is None for s in steps):
                continue
            seconds = [s.seconds for s in steps]
            k, last = exponent(sizes, seconds), exponent(sizes[-2:], seconds[-2:])
            shown = " | ".join(f"{t:.2f} s" for t in seconds)
            lines.append(f"| {name} | {backend} | {shown} | {_k(k)} | {_k(last)} |")
            if k is not None:
                found.append(
                    Target(
                        f"growth exponent, {name}, {backend}",
                        f"k = {k:.2f} (last two sizes: {_k(last)})",
                        f"≤ {GROWTH_MAX_K}",
                        k <= GROWTH_MAX_K,
                        f"{k - GROWTH_MAX_K:.2f}",
                    )
                )
    counts = ", ".join(
        f"{size:,} units: "
        + "/".join(str(s.extra["queries"]) for b in backends if (s := bench.find(size, b, "recompute")))
        for size in sizes
    )
    lines += ["", f"SQL queries of one recompute ({'/'.join(backends)}): {counts}."]
    return found, lines


def _k(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="8,122,2850", help="numbers of units, comma-separated")
    parser.add_argument(
        "--smoke", action="store_true", help="8 units, quickly; only checks that every step runs"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--web-seconds", type=int, default=15, help="wrk duration per page")
    parser.add_argument("--workdir", type=Path, help="keep generated data and databases here (reused)")
    parser.add_argument(
        "--out", type=Path, help=f"results file (default {RESULTS.relative_to(ROOT)}; none with --smoke)"
    )
    args = parser.parse_args()
    sizes = [8] if args.smoke else sorted(int(s) for s in args.sizes.split(","))
    command = ".venv/bin/python bench/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    backends = ["sqlite"]
    why_not = "--no-postgres" if args.no_postgres else postgres_problem()
    if why_not is None:
        backends.append("postgresql")
    else:
        print(f"PostgreSQL not measured: {why_not}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kaoping-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, workdir.resolve())
    figures = machine()  # before the run: the commit measured is the one checked out now
    started = time.perf_counter()
    for size in sizes:
        measure_size(bench, size, backends)
    largest = sizes[-1]
    found = []
    for size in sizes[:-1]:  # the pages and saves have targets at every size (issue 8)
        found += [
            dataclasses.replace(t, label=f"{size:,} units: {t.label}")
            for t in targets(bench, size, backends)
            if "clients" in t.label or t.label.startswith("inline")
        ]
    found += [
        dataclasses.replace(t, label=f"{largest:,} units: {t.label}")
        for t in targets(bench, largest, backends)
    ]
    growth_targets, growth_lines = growth(bench, sizes, backends)
    found += growth_targets
    print(f"\n── targets (every size up to {largest:,} units) ({time.perf_counter() - started:.0f} s in all)")
    for t in found:
        print(
            f"  {t.label:<52} {t.figure:<60} {t.goal:<18} {'met' if t.met else 'MISSED' if t.met is False else '—'}"
        )
    print("\n".join(growth_lines))
    out = args.out or (None if args.smoke else RESULTS)
    if out is not None:
        figures["load average (1 min) before each size"] = ", ".join(f"{x:.2f}" for x in bench.loads)
        write_results(
            out,
            command=command,
            machine=figures,
            targets=found,
            growth=growth_lines,
            steps=bench.steps,
            problems=bench.problems,
        )
        print(f"written: {out}")
    if args.workdir is None and not bench.problems:
        shutil.rmtree(workdir, ignore_errors=True)  # kept when something failed, for its logs
    if bench.problems:
        print(
            f"{len(bench.problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in bench.problems),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
