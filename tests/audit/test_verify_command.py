"""`kaoping audit verify` on the demo database: Chinese, one line, exit 1 naming the row; the approval's
fingerprints on the workbook and the notice."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from kaoping.audit.chain import canonical_json


def kaoping(*args: str, home: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["KAOPING_HOME"] = str(home)
    command = [sys.executable, "-m", "kaoping.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("demo")
    ok(kaoping("demo", "-o", str(home / "out"), home=home))
    return home


@pytest.fixture
def home(demo_home, tmp_path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(demo_home, copy)
    return copy


def _sql(home: Path, statement: str, *params) -> None:
    with sqlite3.connect(home / "kaoping.sqlite3") as database:
        database.execute(statement, params)


def _ids(home: Path) -> list[int]:
    with sqlite3.connect(home / "kaoping.sqlite3") as database:
        return [row[0] for row in database.execute("SELECT id FROM audit_auditevent ORDER BY id")]


def test_verify_prints_one_chinese_line_with_the_count_and_the_head(home):
    count = len(_ids(home))
    out = ok(kaoping("audit", "verify", "--year", "2017", home=home)).strip()
    assert out.startswith(f"审计链完整：已校验 {count} 条记录（其中该年度 ") and "链头指纹 " in out
    assert len(out.splitlines()) == 1 and len(out.rsplit(" ", 1)[1]) == 12


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (
            lambda home, ids: _sql(home, "UPDATE audit_auditevent SET new = ? WHERE id = ?", '"99"', ids[40]),
            40,
        ),
        (lambda home, ids: _sql(home, "DELETE FROM audit_auditevent WHERE id = ?", ids[40]), 41),
    ],
    ids=["edited", "deleted"],
)
def test_a_row_changed_behind_the_application_is_named_in_chinese_without_a_traceback(home, tamper, named):
    ids = _ids(home)
    tamper(home, ids)
    result = kaoping("audit", "verify", home=home)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"错误：审计链校验失败：记录 id={ids[named]} ")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_year_is_named(home):
    result = kaoping("audit", "verify", "--year", "2031", home=home)
    assert result.returncode == 1 and result.stderr.strip() == "错误：没有 2031 年度的考评"


def test_approval_records_the_head_and_the_fingerprint_of_the_results_the_documents_show(home, tmp_path):
    with sqlite3.connect(home / "kaoping.sqlite3") as database:
        head, fingerprint = database.execute(
            "SELECT audit_head, results_fingerprint FROM campaigns_campaign WHERE year = 2017"
        ).fetchone()
        moves = database.execute(
            "SELECT hash, new FROM audit_auditevent WHERE action = 'campaign_state' AND campaign_year = 2017"
        ).fetchall()
    # The move that approved the year (the demo goes on to 已通报 in the same step) heads the chain then.
    assert json.loads(dict(moves)[head]) in ("已审定", "已通报")
    results = json.loads(ok(kaoping("results", "--year", "2017", "--json", home=home)))
    assert fingerprint == hashlib.sha256(canonical_json(results).encode()).hexdigest()
    ok(kaoping("export", "ranking", "--year", "2017", "-o", str(tmp_path / "r.xlsx"), home=home))
    rules = load_workbook(tmp_path / "r.xlsx")["说明"]
    assert any(str(c.value).startswith(fingerprint[:12]) for row in rules.iter_rows() for c in row if c.value)
    ok(kaoping("export", "notice", "--year", "2017", "-o", str(tmp_path / "n.docx"), home=home))
    notice = Document(tmp_path / "n.docx")
    imprint = notice.tables[-1]  # the 版记, at the foot of the last page
    text = "\n".join(c.text for row in imprint.rows for c in row.cells)
    assert f"结果指纹：{fingerprint[:12]}" in text
