"""`kaoping backup` / `kaoping restore`: the database and every evidence file in one checked .tar file.

The database goes in as Django's JSON lines (`dumpdata`), the same on SQLite and PostgreSQL, so a backup
of one restores into the other. SQLite is first copied by its online backup API (a consistent snapshot
while the server runs); PostgreSQL is read in one REPEATABLE READ transaction. A restore checks the whole
file (manifest, every size and SHA-256, the schema) before it writes anything.
"""

import datetime
import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import kaoping
from kaoping.errors import KaopingError

FORMAT = "kaoping-backup"
FORMAT_VERSION = 1
MANIFEST, MANIFEST_CHECK, DATABASE = "manifest.json", "manifest.sha256", "database.jsonl"
MEDIA = "media"
SNAPSHOT = "kaoping_backup_snapshot"
CHUNK = 1 << 20


class BackupRefused(KaopingError):
    """A backup file that cannot be restored, or a target that must not be overwritten."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    rows: int
    files: int
    size: int

    def __str__(self) -> str:
        return f"已备份到 {self.path}：数据库 {self.rows} 条记录，佐证材料 {self.files} 个文件，共 {self.size:,} 字节"


@dataclass(frozen=True)
class RestoreReport:
    rows: int
    files: int
    created_at: str

    def __str__(self) -> str:
        return (
            f"已从 {self.created_at} 的备份恢复：数据库 {self.rows} 条记录，佐证材料 {self.files} 个文件；"
            "可运行 kaoping audit verify 校验审计链"
        )


def _digest(path: Path) -> tuple[int, str]:
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            sha.update(block)
            size += len(block)
    return size, sha.hexdigest()


def _code_schema() -> list[list[str]]:
    """Every migration this code knows: the schema a backup must have been taken at."""
    return sorted([app, name] for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _applied(alias: str) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connections[alias]).applied_migrations())


@contextmanager
def _consistent_source() -> Iterator[str]:
    """A database alias whose reads all see one moment of the data."""
    default = connections[DEFAULT_DB_ALIAS]
    if default.vendor != "sqlite":
        with transaction.atomic():
            if default.vendor == "postgresql":
                with default.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield DEFAULT_DB_ALIAS
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "snapshot.sqlite3"
        source = sqlite3.connect(default.settings_dict["NAME"])
        target = sqlite3.connect(copy)
        try:
            source.backup(target)  # the online backup API: consistent while others write
        finally:
            target.close()
            source.close()
        connections.settings[SNAPSHOT] = {**default.settings_dict, "NAME": str(copy)}
        try:
            yield SNAPSHOT
        finally:
            connections[SNAPSHOT].close()
            del connections[SNAPSHOT]
            del connections.settings[SNAPSHOT]


def _media_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    return sorted((f"{MEDIA}/{p.relative_to(root).as_posix()}", p) for p in root.rglob("*") if p.is_file())


def backup_write(*, path: Path) -> BackupReport:
    """Write the database and every evidence file under KAOPING_HOME/media to one .tar (or .tar.gz) file."""
    path = Path(path)
    compressed = path.name.endswith((".tar.gz", ".tgz"))
    if not compressed and path.suffix.lower() != ".tar":
        raise KaopingError(f"备份文件应以 .tar 或 .tar.gz 结尾：{path}")
    if not path.parent.is_dir():
        raise KaopingError(f"输出目录不存在：{path.parent}")
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / DATABASE
        with _consistent_source() as alias:
            schema = _applied(alias)
            call_command("dumpdata", format="jsonl", database=alias, output=str(dump), verbosity=0, all=True)
        members: dict[str, Path] = {DATABASE: dump, **dict(_media_files(Path(settings.MEDIA_ROOT)))}
        digests = {name: _digest(file) for name, file in members.items()}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kaoping_version": kaoping.__version__,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "database_vendor": connections[DEFAULT_DB_ALIAS].vendor,
            "schema": schema,
            "members": {name: {"size": s, "sha256": h} for name, (s, h) in digests.items()},
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz" if compressed else "w", format=tarfile.PAX_FORMAT) as archive:
            for name, data in (
                (MANIFEST, text),
                (MANIFEST_CHECK, hashlib.sha256(text).hexdigest().encode()),
            ):
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
                archive.addfile(info, io.BytesIO(data))
            for name, file in members.items():
                archive.add(file, arcname=name, recursive=False)
        partial.replace(path)  # never a half-written file under the final name
        rows = sum(1 for _ in dump.open("rb"))
    return BackupReport(path=path, rows=rows, files=len(members) - 1, size=path.stat().st_size)


# ─── restore ───


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        text = archive.extractfile(MANIFEST).read()  # type: ignore[union-attr]
        check = archive.extractfile(MANIFEST_CHECK).read().decode().strip()  # type: ignore[union-attr]
    except (KeyError, AttributeError):
        raise BackupRefused("备份文件中没有清单（manifest.json），不是 kaoping 的备份") from None
    if hashlib.sha256(text).hexdigest() != check:
        raise BackupRefused("备份文件的清单（manifest.json）与其校验值不符，文件已被改动")
    manifest = json.loads(text)
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused("不认识的备份格式；请用生成该备份的 kaoping 版本恢复")
    return manifest


def _verify(path: Path) -> dict:
    """Read the whole file once: every member listed, of its size and SHA-256, nothing else in it."""
    if not path.is_file():
        raise BackupRefused(f"找不到备份文件 {path}")
    try:
        with tarfile.open(path, "r:*") as archive:
            manifest = _read_manifest(archive)
            listed = manifest["members"]
            seen = set()
            for info in archive:
                if info.name in (MANIFEST, MANIFEST_CHECK):
                    continue
                if info.name not in listed or not info.isfile() or not _safe_member(info.name):
                    raise BackupRefused(f"备份文件中有清单之外的内容：{info.name}")
                sha, size = hashlib.sha256(), 0
                handle = archive.extractfile(info)
                while block := handle.read(CHUNK):  # type: ignore[union-attr]
                    sha.update(block)
                    size += len(block)
                expected = listed[info.name]
                if size != expected["size"] or sha.hexdigest() != expected["sha256"]:
                    raise BackupRefused(
                        f"备份文件中的 {info.name} 与清单的大小或校验值不符，文件已被改动或损坏"
                    )
                seen.add(info.name)
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as problem:
        raise BackupRefused(f"备份文件不完整或已损坏（{type(problem).__name__}），未恢复任何数据") from None
    missing = sorted(set(listed) - seen)
    if missing:
        raise BackupRefused(f"备份文件不完整：缺少 {len(missing)} 个成员（{missing[0]} 等），未恢复任何数据")
    return manifest


def _schema_check(manifest: dict) -> None:
    theirs, ours = {tuple(m) for m in manifest["schema"]}, {tuple(m) for m in _code_schema()}
    if theirs != ours:
        newer, older = sorted(theirs - ours), sorted(ours - theirs)
        detail = (
            f"备份含本系统没有的 {'.'.join(newer[0])} 等 {len(newer)} 个数据库迁移"
            if newer
            else f"备份缺少 {'.'.join(older[0])} 等 {len(older)} 个数据库迁移"
        )
        raise BackupRefused(
            f"备份的数据库结构版本与本系统不同（{detail}）；请用 kaoping {manifest.get('kaoping_version')} "
            "恢复后再升级"
        )


def _target_has_data() -> str | None:
    """What the target already holds, if anything (a database with rows, or evidence files)."""
    connection = connections[DEFAULT_DB_ALIAS]
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and not Path(name).is_file():
        pass
    elif "campaigns_campaign" in connection.introspection.table_names():
        from django.contrib.auth import get_user_model

        from kaoping.audit.models import AuditEvent
        from kaoping.campaigns.models import Campaign
        from kaoping.org.models import Unit

        for model in (Campaign, Unit, AuditEvent, get_user_model()):
            if model.objects.exists():
                return f"数据库中已有{model._meta.verbose_name}"
    if _media_files(Path(settings.MEDIA_ROOT)):
        return f"{settings.MEDIA_ROOT} 中已有佐证材料"
    return None


def backup_restore(*, path: Path, force: bool = False) -> RestoreReport:
    """Check the whole backup, then replace the database and the evidence files with its content."""
    path = Path(path)
    manifest = _verify(path)
    _schema_check(manifest)
    occupied = _target_has_data()
    if occupied and not force:
        raise BackupRefused(f"目标不是空的（{occupied}），未恢复任何数据；确认要覆盖请加 --force")
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".media-restoring-", dir=media.parent))
    try:
        with tarfile.open(path, "r:*") as archive:
            for info in archive:
                if info.name.startswith(f"{MEDIA}/"):
                    target = incoming / PurePosixPath(info.name).relative_to(MEDIA)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.extractfile(info) as source, target.open("wb") as sink:  # type: ignore[union-attr]
                        shutil.copyfileobj(source, sink, CHUNK)
            dump = incoming / f".{DATABASE}"
            with archive.extractfile(DATABASE) as source, dump.open("wb") as sink:  # type: ignore[union-attr]
                shutil.copyfileobj(source, sink, CHUNK)
        call_command("migrate", verbosity=0, interactive=False)
        with transaction.atomic():
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            call_command("loaddata", str(dump), format="jsonl", verbosity=0)
        rows = sum(1 for _ in dump.open("rb"))
        dump.unlink()
        old = media.with_name(f".media-replaced-{datetime.datetime.now():%Y%m%d%H%M%S}")
        if media.exists():
            media.rename(old)
        incoming.rename(media)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    files = sum(1 for name in manifest["members"] if name.startswith(f"{MEDIA}/"))
    return RestoreReport(rows=rows, files=files, created_at=manifest["created_at"])
