"""kaoping backup / restore: one checked file; a refused restore writes nothing; SQLite ↔ PostgreSQL."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256)) * 40
ATTACH = f"""
import io, django
django.setup()
from kaoping.assessments.evidence import evidence_attach
from kaoping.campaigns.models import Campaign
from kaoping.org.models import Unit
campaign = Campaign.objects.get(year=2018)
data = {EVIDENCE!r}
evidence_attach(campaign=campaign, unit=Unit.objects.get(code="430902"), item=campaign.rubric.definition.item("1.5"),
                name="机构设置批文.pdf", size=len(data), content=io.BytesIO(data), actor=None)
"""


def kaoping(*args: str, home: Path, database_url: str | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(KAOPING_HOME=str(home), DJANGO_SETTINGS_MODULE="kaoping.settings")
    if database_url:
        environment["DATABASE_URL"] = database_url
    command = (
        [sys.executable, "-c", args[1]] if args[0] == "-c" else [sys.executable, "-m", "kaoping.cli", *args]
    )
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def evidence_files(home: Path) -> dict[str, bytes]:
    media = home / "media"
    return {p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """The demo (2017 published, 2018 open with its 加分 entry's evidence) on SQLite with one more evidence
    file, and its backup."""
    home = tmp_path_factory.mktemp("source")
    ok(kaoping("demo", "-o", str(home / "out"), home=home))
    ok(kaoping("-c", ATTACH, home=home))
    files = evidence_files(home)
    assert len(files) == 3 and "adjustments/2018/430902/J1/推广通知.pdf" in files
    assert "objections/2017/430902/2.6/节假日巡查记录.pdf" in files  # the demo's objection evidence
    ok(kaoping("backup", "-o", str(home / "backup.tar"), home=home))
    return home


@pytest.fixture
def archive(source, tmp_path) -> Path:
    copy = tmp_path / "backup.tar"
    shutil.copy(source / "backup.tar", copy)
    return copy


def assert_same_year(source: Path, target: Path, database_url: str | None = None) -> None:
    for year in ("2017", "2018"):
        assert ok(kaoping("results", "--year", year, "--json", home=target, database_url=database_url)) == ok(
            kaoping("results", "--year", year, "--json", home=source)
        )
    theirs = ok(kaoping("audit", "verify", home=source)).strip()
    ours = ok(kaoping("audit", "verify", home=target, database_url=database_url)).strip()
    assert ours == theirs and ours.startswith("审计链完整：已校验 ")
    assert evidence_files(target) == evidence_files(source)


def test_the_backup_holds_a_manifest_of_every_member_with_size_and_checksum(archive):
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = [m.name for m in tar.getmembers()]
        for name, entry in manifest["members"].items():
            data = tar.extractfile(name).read()
            assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
    assert names[:3] == ["manifest.json", "manifest.sha256", "database.jsonl"]
    assert [n for n in names if n.startswith("media/")] == [
        n for n in manifest["members"] if n != "database.jsonl"
    ]
    assert ["audit", "0003_hash_chain_compute"] in manifest["schema"]
    assert manifest["kaoping_version"] and manifest["created_at"] and manifest["database_vendor"] == "sqlite"


def test_a_round_trip_into_a_fresh_home_gives_the_same_results_audit_trail_and_evidence(
    source, archive, tmp_path
):
    target = tmp_path / "fresh"
    out = ok(kaoping("restore", str(archive), home=target))
    assert out.startswith("已从 ") and "佐证材料 3 个文件" in out
    assert_same_year(source, target)


def test_a_truncated_backup_is_refused_and_nothing_is_written(archive, tmp_path):
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    target = tmp_path / "fresh"
    result = kaoping("restore", str(archive), home=target)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("错误：备份文件") and "未恢复任何数据" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("member", ["database.jsonl", "media", "manifest.json"])
def test_one_byte_changed_anywhere_in_a_member_is_refused(archive, tmp_path, member):
    with tarfile.open(archive) as tar:
        info = next(m for m in tar.getmembers() if m.name.startswith(member))
    data = bytearray(archive.read_bytes())
    data[info.offset_data + info.size // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    target = tmp_path / "fresh"
    result = kaoping("restore", str(archive), home=target)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "已被改动" in result.stderr
    assert not target.exists()


def test_a_backup_of_another_schema_is_refused(archive, tmp_path):
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    rewritten = tmp_path / "other.tar"
    with tarfile.open(rewritten, "w") as tar:
        for info, data in members:
            if info.name == "manifest.json":
                manifest = json.loads(data)
                manifest["schema"].append(["audit", "0099_future"])
                data = json.dumps(manifest).encode()
                check = hashlib.sha256(data).hexdigest().encode()
            if info.name == "manifest.sha256":
                data = check
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    result = kaoping("restore", str(rewritten), home=tmp_path / "fresh")
    assert result.returncode == 1
    assert (
        "数据库结构版本与本系统不同（备份含本系统没有的 audit.0099_future 等 1 个数据库迁移）"
        in result.stderr
    )


def test_a_non_empty_target_is_refused_without_force_and_replaced_with_it(source, archive, tmp_path):
    target = tmp_path / "used"
    ok(kaoping("init", home=target))
    ok(kaoping("campaign", "create", "--year", "2030", home=target))
    database = (target / "kaoping.sqlite3").read_bytes()
    result = kaoping("restore", str(archive), home=target)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "错误：目标不是空的（数据库中已有考评年度），未恢复任何数据；确认要覆盖请加 --force"
    )
    assert (target / "kaoping.sqlite3").read_bytes() == database
    ok(kaoping("restore", str(archive), "--force", home=target))
    assert_same_year(source, target)
    assert kaoping("results", "--year", "2030", home=target).returncode == 1


def _psql(*sql: str) -> subprocess.CompletedProcess:
    args = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qAt"]
    for statement in sql:
        args += ["-c", statement]
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


@pytest.fixture
def scratch_postgres():
    if shutil.which("psql") is None or _psql("SELECT 1").returncode != 0:
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"kp_restore_{uuid.uuid4().hex[:8]}"
    assert _psql(f"CREATE DATABASE {name}").returncode == 0
    yield f"{PG_SERVER}/{name}"
    _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_sqlite_backup_moves_to_postgresql_and_back(source, archive, tmp_path, scratch_postgres):
    on_postgres = tmp_path / "pg-home"
    ok(kaoping("restore", str(archive), home=on_postgres, database_url=scratch_postgres))
    assert_same_year(source, on_postgres, scratch_postgres)
    # The moved deployment keeps writing onto the same chain, and its own backup comes back to SQLite.
    ok(kaoping("campaign", "create", "--year", "2019", home=on_postgres, database_url=scratch_postgres))
    ok(kaoping("backup", "-o", str(tmp_path / "pg.tar"), home=on_postgres, database_url=scratch_postgres))
    back = tmp_path / "back"
    ok(kaoping("restore", str(tmp_path / "pg.tar"), home=back))
    assert ok(kaoping("audit", "verify", home=back)) == ok(
        kaoping("audit", "verify", home=on_postgres, database_url=scratch_postgres)
    )
    assert evidence_files(back) == evidence_files(source)
