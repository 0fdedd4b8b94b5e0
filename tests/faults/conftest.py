"""A deployment of its own for the fault tests: a KAOPING_HOME, and its database on the backend of this run
(a SQLite file; or, when the run has DATABASE_URL, a PostgreSQL database of its own on that server), driven
only through `kaoping` processes, which the tests kill. Its content is read back with the database driver.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import pytest

HERE = Path(__file__).resolve().parent
# Set by the system at each write, so different between two runs of the same import: left out of a digest.
# (The audit chain's hashes cover `at`; `kaoping audit verify` checks them instead.)
VOLATILE_COLUMNS = {"at", "hash", "prev_hash", "updated_at", "created_at", "loaded_at", "last_used_at"}


class Deployment:
    """One installation: `kaoping …` run in subprocesses, a snapshot of its database, and its digest."""

    def __init__(self, home: Path, server_url: str | None, name: str, copy_of: "Deployment | None" = None):
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KAOPING_DEBUG")}
        self.env["KAOPING_HOME"] = str(home)
        self.env["KAOPING_PASSWORD"] = "Kaoping-Faults-2017!"
        self.server = dj_database_url.parse(server_url) if server_url else None
        self.name, self.snapshot_name = name, f"{name}_snapshot"
        if self.server is not None:
            self.url = _with_database(server_url, name)
            self.env["DATABASE_URL"] = self.url
            template = f' TEMPLATE "{copy_of.name}"' if copy_of else ""
            self._admin(
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"{template}'
            )
        self.file = home / "kaoping.sqlite3"
        if copy_of is not None and self.server is None:
            with sqlite3.connect(copy_of.file) as source, sqlite3.connect(self.file) as copy:
                source.backup(copy)

    @property
    def vendor(self) -> str:
        return "sqlite" if self.server is None else "postgresql"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "kaoping.cli", *args]

    def kaoping(self, *args: str) -> str:
        """Run one command to its end; its output, or the test fails with its error."""
        result = subprocess.run(
            self.command(*args), capture_output=True, text=True, env=self.env, timeout=120
        )
        assert result.returncode == 0, f"kaoping {' '.join(args)}: {result.stderr}"
        return result.stdout

    def python(self, script: str, *args: str) -> str:
        """Run one of this folder's scripts with the deployment's settings."""
        result = subprocess.run(
            [sys.executable, str(HERE / script), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
        )
        assert result.returncode == 0, f"{script}: {result.stderr}"
        return result.stdout

    # A snapshot and its restoring: every kill starts from the same database, sequences included.
    def snapshot(self) -> None:
        if self.server is None:
            shutil.rmtree(self.home / "snapshot", ignore_errors=True)
            (self.home / "snapshot").mkdir()
            with sqlite3.connect(self.file) as source, sqlite3.connect(self._snapshot_file) as copy:
                source.backup(copy)
        else:
            self._admin(
                f'DROP DATABASE IF EXISTS "{self.snapshot_name}"',
                f'CREATE DATABASE "{self.snapshot_name}" TEMPLATE "{self.name}"',
            )

    def restore(self) -> None:
        if self.server is None:
            for leftover in (self.file, Path(f"{self.file}-wal"), Path(f"{self.file}-shm")):
                leftover.unlink(missing_ok=True)
            shutil.copyfile(self._snapshot_file, self.file)
        else:
            self._admin(
                f'DROP DATABASE "{self.name}" WITH (FORCE)',
                f'CREATE DATABASE "{self.name}" TEMPLATE "{self.snapshot_name}"',
            )

    @property
    def _snapshot_file(self) -> Path:
        return self.home / "snapshot" / "kaoping.sqlite3"

    def digest(self, *, ids: bool = True) -> dict[str, tuple[int, str]]:
        """Every table's row count and a SHA-256 of its rows (system timestamps and hashes left out; without
        `ids`, the row ids too). Opening the SQLite file after a kill is also its crash recovery, as the next
        command's would be."""
        left_out = VOLATILE_COLUMNS if ids else VOLATILE_COLUMNS | {"id", "last_id"}
        tables: dict[str, tuple[int, str]] = {}
        self.settle()
        with self._connect() as database:
            cursor = database.cursor()
            if self.server is not None:  # every table as of one moment, not each as of its own SELECT
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for table in self._tables(cursor):
                columns = [c for c in self._columns(cursor, table) if c not in left_out]
                listed = ", ".join(f'"{c}"' for c in columns) or "1"  # a table of ids and hashes only
                cursor.execute(f'SELECT {listed} FROM "{table}"')  # noqa: S608 (names from the catalogue)
                rows = sorted(repr(row) for row in cursor.fetchall())
                tables[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return tables

    def settle(self, seconds: float = 30) -> None:
        """On PostgreSQL, wait for the server sessions of killed clients to end: a COMMIT the client sent
        just before its kill still completes in the server (the import is then whole, as after), and
        reading while it does would see some tables before it and some after."""
        if self.server is None:
            return
        import psycopg

        deadline = time.monotonic() + seconds
        with psycopg.connect(self.url, autocommit=True) as database:
            while time.monotonic() < deadline:
                others = database.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                ).fetchone()[0]
                if not others:
                    return
                time.sleep(0.05)
        raise AssertionError(f"a server session of {self.name} still runs {seconds} s after its client ended")

    def count(self, table: str) -> int:
        with self._connect() as database:
            cursor = database.cursor()
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (a fixed table name)
            return cursor.fetchone()[0]

    def query(self, sql: str) -> list[tuple]:
        with self._connect() as database:
            cursor = database.cursor()
            cursor.execute(sql)
            return cursor.fetchall()

    def _connect(self):
        if self.server is None:
            return _Closing(sqlite3.connect(self.file))
        import psycopg

        return psycopg.connect(self.url)

    def _tables(self, cursor) -> list[str]:
        if self.server is None:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        else:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        return sorted(row[0] for row in cursor.fetchall())

    def _columns(self, cursor, table: str) -> list[str]:
        if self.server is None:
            cursor.execute(f'PRAGMA table_info("{table}")')
            return [row[1] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = %s ORDER BY ordinal_position",
            (table,),
        )
        return [row[0] for row in cursor.fetchall()]

    def _admin(self, *statements: str) -> None:
        import psycopg

        assert self.server is not None
        maintenance = _with_database(self.env.get("DATABASE_URL", ""), "postgres")
        with psycopg.connect(maintenance, autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)

    def drop(self) -> None:
        if self.server is not None:
            self._admin(
                f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
                f'DROP DATABASE IF EXISTS "{self.snapshot_name}" WITH (FORCE)',
            )


class _Closing:
    """sqlite3's connection as a context manager that also closes it (its own only commits)."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc) -> None:
        self.connection.close()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def initialised(tmp_path_factory) -> Iterator[Deployment]:
    """A database just as `kaoping init` leaves it, copied by each module's deployment (init takes 3 s)."""
    home = tmp_path_factory.mktemp("initialised")
    initialised = Deployment(home, os.environ.get("DATABASE_URL"), f"kaoping_faults_{os.getpid()}_init")
    try:
        initialised.kaoping("init")
        yield initialised
    finally:
        initialised.drop()


@pytest.fixture(scope="module")
def deployment(initialised, tmp_path_factory, request) -> Iterator[Deployment]:
    """A fresh installation of its own (a copy of `initialised`), on the backend of this run."""
    home = tmp_path_factory.mktemp("deployment")
    name = f"kaoping_faults_{os.getpid()}_{request.module.__name__.rsplit('.', 1)[-1]}"
    deployment = Deployment(home, os.environ.get("DATABASE_URL"), name, copy_of=initialised)
    try:
        yield deployment
    finally:
        deployment.drop()
