"""`kill -9` of a `kaoping import` at each point of its work leaves the database exactly as before the import
or exactly as after it (every table compared, system timestamps aside), and `kaoping audit verify` passes.

The import is a 20,000-row cases file (the demo's 801 cases again, and new ones) into a year with stored
results; a killed process is paused at a named point first (kaoping_paused.py), or killed after a delay.
"""

import csv
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue

import pytest

from .conftest import HERE, Deployment

pytestmark = pytest.mark.faults

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "kaoping" / "demo" / "data" / "2017"
ROWS = 20_000


def cases_file(path: Path, rows: int) -> Path:
    """The demo's cases, then new ones made from them (their own case numbers), `rows` in all."""
    with (SAMPLE / "cases.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *demo = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(demo)
        for n in range(rows - len(demo)):
            row = list(demo[n % len(demo)])
            row[0] = f"{row[0].removesuffix('号')}-{n:05d}号"  # 资阳区国土资罚〔2017〕001-00000号
            writer.writerow(row)
    return path


class Import:
    """One `kaoping import cases` process, its stderr read line by line as it comes."""

    def __init__(self, deployment: Deployment, file: Path, point: str | None = None):
        arguments = ("import", "cases", str(file), "--year", "2017")
        command = (
            [sys.executable, str(HERE / "kaoping_paused.py"), point, *arguments]
            if point
            else deployment.command(*arguments)
        )
        self.process = subprocess.Popen(
            command,
            env=deployment.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: Queue[str | None] = Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, marker: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except Empty:
                raise AssertionError(f"the import did not reach {marker} in {timeout} s") from None
            assert line is not None, f"the import ended before {marker}: {self.seen}"
            self.seen.append(line)
            if line == marker:
                return

    def resume(self) -> None:
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def kill(self) -> bool:
        """SIGKILL; False if the import had already ended by itself."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process.stdin.close()
        self.process.stdout.close()
        assert self.process.returncode in (0, -signal.SIGKILL), self.stderr_now()
        return self.process.returncode == -signal.SIGKILL

    def stderr_now(self) -> list[str]:
        """Every stderr line received so far (the reader thread ends with the process)."""
        while True:
            try:
                line = self.lines.get(timeout=5)
            except Empty:
                return self.seen
            if line is None:
                return self.seen
            self.seen.append(line)


@pytest.fixture(scope="module")
def year(deployment, tmp_path_factory) -> dict:
    """The 2017 year with the demo's cases and events and its stored results (the snapshot every kill
    starts from), the big file, and the database after that file's uninterrupted import."""
    deployment.kaoping("campaign", "create", "--year", "2017")
    for kind in ("cases", "events"):
        deployment.kaoping("import", kind, str(SAMPLE / f"{kind}.csv"), "--year", "2017")
    deployment.snapshot()
    before = deployment.digest()
    file = cases_file(tmp_path_factory.mktemp("files") / "违法案件台帐.csv", ROWS)

    started = time.perf_counter()
    answer = deployment.kaoping("import", "cases", str(file), "--year", "2017")
    seconds = time.perf_counter() - started
    assert answer.strip() == f"已导入 {ROWS} 条违法案件台帐：新增 {ROWS - 801} 条，更新 801 条"
    after = deployment.digest()
    after_without_ids = deployment.digest(ids=False)
    assert after["ledgers_case"][0] == ROWS and before["ledgers_case"][0] == 801
    changed = {table for table in after if after[table] != before[table]}
    # The rows, the audit row and its chain head, and the stored results of the units the file names.
    assert {"ledgers_case", "audit_auditevent", "assessments_unitresult"} <= changed
    verified(deployment)
    return {
        "file": file,
        "before": before,
        "after": after,
        "after_without_ids": after_without_ids,
        "seconds": seconds,
    }


def verified(deployment: Deployment) -> None:
    assert deployment.kaoping("audit", "verify").startswith("审计链完整：已校验 ")


def outcome(deployment: Deployment, year: dict) -> str:
    """'before' or 'after'; anything else fails the test, naming which tables are as after and which not."""
    now = deployment.digest()
    if now == year["before"]:
        return "before"
    if now == year["after"]:
        return "after"
    moved = [t for t in sorted(now) if year["before"].get(t) != year["after"].get(t)]
    as_after = [t for t in moved if now[t] == year["after"].get(t)]
    neither = [t for t in sorted(now) if now[t] not in (year["before"].get(t), year["after"].get(t))]
    raise AssertionError(
        f"the database is neither as before nor as after the import: {as_after} as after, "
        f"{[t for t in moved if t not in as_after]} not, {neither} like neither"
    )


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ("read", "before"),
        ("staged", "before"),
        ("inserted", "before"),
        ("results", "before"),
        ("commit", "before"),
        ("committed", "after"),
    ],
)
def test_an_import_killed_at_a_point_of_its_work_leaves_the_database_as_before_or_after(
    deployment, year, point, expected
):
    deployment.restore()
    running = Import(deployment, year["file"], point)
    running.wait_for(f"@{point}")
    assert running.kill()
    assert outcome(deployment, year) == expected
    verified(deployment)
    timed = [line.split()[1] for line in running.seen if line.startswith("@inserted-done")]
    print(f" {deployment.vendor} {point}: {expected}" + (f", ledger INSERT {timed[0]} s" if timed else ""))


def test_an_import_killed_inside_its_ledger_insert_statement_leaves_the_database_as_before(deployment, year):
    deployment.restore()
    running = Import(deployment, year["file"], "staged")
    running.wait_for("@staged")
    running.resume()
    time.sleep(0.02)  # the INSERT of 20,000 rows takes longer (its duration is printed when it returns)
    assert running.kill()
    assert not [line for line in running.stderr_now() if line.startswith("@inserted-done")]
    assert outcome(deployment, year) == "before"
    verified(deployment)


def test_imports_killed_after_increasing_delays_and_one_after_a_kill_that_runs_to_its_end(deployment, year):
    outcomes = []
    for share in (0.5, 0.65, 0.8):
        deployment.restore()
        running = Import(deployment, year["file"])
        time.sleep(share * year["seconds"])
        killed = running.kill()
        found = outcome(deployment, year)
        assert killed or found == "after"  # an import faster than the first one may have ended already
        outcomes.append(found if killed else "ended before the kill")
        verified(deployment)
    print(f"\n{deployment.vendor}: import {year['seconds']:.2f} s; killed at 50/65/80 %: {outcomes}")
    # After a kill just before COMMIT, the next import of the same file gives what an uninterrupted one
    # gave (but for the row ids on PostgreSQL: a rolled-back transaction does not give its sequence numbers
    # back).
    deployment.restore()
    running = Import(deployment, year["file"], "commit")
    running.wait_for("@commit")
    assert running.kill()
    deployment.kaoping("import", "cases", str(year["file"]), "--year", "2017")
    assert deployment.digest(ids=False) == year["after_without_ids"]
    verified(deployment)


def test_an_import_that_waits_too_long_for_the_sqlite_write_lock_says_so_and_writes_nothing(deployment, year):
    if deployment.vendor != "sqlite":
        pytest.skip("PostgreSQL waits for row locks; only SQLite gives up with 'database is locked'")
    import sqlite3

    deployment.restore()
    holder = sqlite3.connect(deployment.file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, for longer than the import waits
    try:
        result = subprocess.run(
            deployment.command("import", "cases", str(year["file"]), "--year", "2017"),
            env={**deployment.env, "KAOPING_SQLITE_TIMEOUT": "0.5"},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "错误：数据库正忙（另一项写入尚未完成），本次修改未保存；请稍后重试\n"
    assert outcome(deployment, year) == "before"
