"""The command-line door of the import service: `kaoping import` acts as the administrator (any kind, any open
year); `--as USER` with that person's role, refused with the same reason as the page and the API."""

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "kaoping" / "demo" / "data" / "2017"


def kaoping(*args: str, home: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(KAOPING_HOME=str(home), KAOPING_PASSWORD="Kaoping-Test-2017!")
    return subprocess.run(
        [sys.executable, "-m", "kaoping.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def trimmed(tmp_path: Path, kind: str, rows: int) -> Path:
    """The shipped sample of `kind`, cut to its header and first `rows` rows."""
    with (SAMPLE / f"{kind}.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))[: rows + 1]
    path = tmp_path / f"{kind}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    return path


def count(home: Path, table: str) -> int:
    with sqlite3.connect(home / "kaoping.sqlite3") as db:
        return db.execute(f"select count(*) from {table}").fetchone()[0]  # noqa: S608 (a fixed table name)


def test_the_command_line_imports_casefile_reviews_and_a_filler_does_not(tmp_path):
    home = tmp_path / "home"
    assert kaoping("init", home=home).returncode == 0
    assert kaoping("campaign", "create", "--year", "2017", home=home).returncode == 0
    created = kaoping("user", "create", "zy_filler", "--role", "filler", "--unit", "430902", home=home)
    assert created.returncode == 0, created.stderr
    reviews = trimmed(tmp_path, "casefile-reviews", 2)

    refused = kaoping(
        "import", "casefile-reviews", str(reviews), "--year", "2017", "--as", "zy_filler", home=home
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == "错误：案卷评查由考评小组导入：单位不能为本单位的案卷评分"
    assert count(home, "ledgers_casefilereview") == 0

    result = kaoping("import", "casefile-reviews", str(reviews), "--year", "2017", home=home)
    assert result.returncode == 0, result.stderr
    assert "已导入 2 条案卷评查" in result.stdout
    assert count(home, "ledgers_casefilereview") == 2


def test_the_command_line_loads_review_scores_in_any_open_state(tmp_path):
    home = tmp_path / "home"
    assert kaoping("init", home=home).returncode == 0
    assert kaoping("campaign", "create", "--year", "2017", home=home).returncode == 0  # 草稿
    result = kaoping(
        "import", "review-scores", str(trimmed(tmp_path, "review-scores", 2)), "--year", "2017", home=home
    )
    assert result.returncode == 0, result.stderr
    assert "已导入 2 条考评表" in result.stdout
    assert count(home, "assessments_reviewscore") == 2
