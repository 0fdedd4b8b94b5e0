"""Writing many rows at once without a model instance per row: INSERT … ON CONFLICT (key) DO UPDATE, plain
INSERT, and UPDATE … FROM; a database utility with no domain rule, used by the ledgers, the scores and the audit log.

Django's bulk_create(update_conflicts=True) builds a model instance per row and, on SQLite, sends at most
999 parameters per statement (62 cases): for a national cases file (300,000 rows) that was 60 of its 70
seconds. Here the validated values go into a temporary table (executemany on SQLite, COPY on PostgreSQL)
and from there into the ledger in one INSERT … SELECT … ON CONFLICT. (Row by row, an upsert that may
change a foreign key column is more than twice as slow on SQLite with foreign keys enforced.)
"""

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, NamedTuple

from django.db import DatabaseError, connection, models, transaction

CHUNK_ROWS = 10_000  # rows per executemany on SQLite: memory stays flat whatever the file
# After this many rows written at once, PostgreSQL re-reads the table's statistics once the transaction
# commits: its planner otherwise plans the pages' queries for the table as it was (a sequential scan of
# 100,000 self scores to draw 50 rows), until autovacuum's ANALYZE comes, if it is on at all.
ANALYZE_MIN_ROWS = 1_000


class Upserted(NamedTuple):
    """What a write did: rows whose key was new, and rows that replaced a stored one."""

    created: int
    updated: int

    @property
    def rows(self) -> int:
        return self.created + self.updated


class _Statement:
    """The columns of one upsert and the SQL around them."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], unique: Sequence[str]):
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        # Fields the file does not set (none today) take their model default, as bulk_create gave them.
        missing = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
        self.defaults = tuple(f.get_default() for f in missing)
        self.fields = given + missing
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in self.fields)
        key_columns = [quote(meta.get_field(name).column) for name in unique]
        key = ", ".join(key_columns)
        self.match = " AND ".join(f"t.{c} = s.{c}" for c in key_columns)
        updates = [quote(f.column) for f in self.fields if f.name not in unique]
        action = (
            f"DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in updates)}" if updates else "DO NOTHING"
        )
        self.conflict = f"ON CONFLICT ({key}) {action}"

    def stored_count(self, staging: str) -> str:
        """The staged rows whose key is already stored (keys are distinct, so each counts once)."""
        stored = f"SELECT 1 FROM {self.table} AS t WHERE {self.match}"
        return f"SELECT COUNT(*) FROM {staging} AS s WHERE EXISTS ({stored})"

    def adapters(self) -> list[tuple[int, Callable[[Any], Any]]]:
        """(position, function) for the values the driver would not store as Django's own writes do: JSON,
        and on SQLite aware datetimes (to naive UTC). Dates and decimals the drivers take as they are
        (Django registers the same conversions with sqlite3; psycopg has its own)."""
        ops, found = connection.ops, []
        for position, field in enumerate(self.fields):
            if isinstance(field, models.JSONField):
                found.append((position, lambda v, e=field.encoder: ops.adapt_json_value(v, e)))
            elif isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
                found.append((position, _repeated(ops.adapt_datetimefield_value)))
        return found


def _repeated(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`adapt`, remembering its last answer: a bulk write stamps every row with the same time."""
    last: list[Any] = [object(), None]

    def adapted(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return adapted


def rows_upsert(
    model: type[models.Model], fields: Sequence[str], unique: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Upserted:
    """Store the rows (values in the order of `fields`), replacing a stored row with the same `unique`
    fields. The rows must have distinct keys (validation sees to it). Returns how many were new and how
    many replaced a stored row (counted from the staging table in the same transaction: one query)."""
    statement = _Statement(model, fields, unique)
    counted = _Counted(rows, statement.defaults)
    staging = connection.ops.quote_name(f"staging_{model._meta.db_table}")
    columns, table = statement.columns, statement.table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {columns} FROM {table} WHERE 1 = 0")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
                for values in _adapted(counted, statement.adapters()):
                    copy.write_row(values)
        else:
            placeholders = ", ".join(["%s"] * len(statement.fields))
            sql = f"INSERT INTO {staging} ({columns}) VALUES ({placeholders})"
            source = _adapted(counted, statement.adapters())
            while chunk := list(islice(source, CHUNK_ROWS)):
                cursor.executemany(sql, chunk)
        cursor.execute(statement.stored_count(staging))
        updated = cursor.fetchone()[0]
        # WHERE true: SQLite would otherwise read ON CONFLICT as part of the SELECT's join.
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} WHERE true {statement.conflict}"
        )
        cursor.execute(f"DROP TABLE {staging}")
    _analyze_after_commit(model, counted.count)
    return Upserted(created=counted.count - updated, updated=updated)


def _adapted(
    rows: Iterable[Sequence[Any]], adapters: list[tuple[int, Callable[[Any], Any]]]
) -> Iterator[Sequence[Any]]:
    if not adapters:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for position, adapt in adapters:
            values[position] = adapt(values[position])
        yield values


class _Counted:
    """The rows with the defaults appended, counted as they are read."""

    def __init__(self, rows: Iterable[Sequence[Any]], defaults: tuple):
        self.rows, self.defaults, self.count = rows, defaults, 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.count += 1
            yield (*row, *self.defaults) if self.defaults else row


def rows_insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert new rows (values in the order of `fields`; fields not given take their model default),
    without a model instance per row: executemany on SQLite, COPY on PostgreSQL. Returns the count."""
    statement = _Statement(model, fields, ())
    counted = _Counted(rows, statement.defaults)
    columns, table = statement.columns, statement.table
    with transaction.atomic(), connection.cursor() as cursor:
        source = _adapted(counted, statement.adapters())
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in source:
                    copy.write_row(values)
        else:
            placeholders = ", ".join(["%s"] * len(statement.fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            while chunk := list(islice(source, CHUNK_ROWS)):
                cursor.executemany(sql, chunk)
    _analyze_after_commit(model, counted.count)
    return counted.count


def rows_update(
    model: type[models.Model], key: Sequence[str], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Set `fields` of the stored rows named by `key` (values in the order key + fields), in one
    UPDATE … FROM a staging table whatever the number of rows (SQLite ≥ 3.33 and PostgreSQL)."""
    meta, quote, ops = model._meta, connection.ops.quote_name, connection.ops
    given = [meta.get_field(name) for name in (*key, *fields)]
    adapters = []  # as Django's own writes store them: aware datetimes naive UTC on SQLite, JSON as text
    for position, field in enumerate(given):
        if isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
            adapters.append((position, ops.adapt_datetimefield_value))
        elif isinstance(field, models.JSONField):
            adapters.append((position, lambda v, e=field.encoder: ops.adapt_json_value(v, e)))
    rows = list(_adapted(rows, adapters))
    if not rows:
        return 0
    columns = [field.column for field in given]
    table = quote(meta.db_table)
    staging = quote(f"staging_update_{meta.db_table}")
    listed = ", ".join(quote(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    assignments = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in columns[len(key) :])
    match = " AND ".join(f"{table}.{quote(c)} = s.{quote(c)}" for c in columns[: len(key)])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {listed} FROM {table} WHERE 1 = 0")
        cursor.executemany(f"INSERT INTO {staging} ({listed}) VALUES ({placeholders})", rows)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM {staging} AS s WHERE {match}")
        cursor.execute(f"DROP TABLE {staging}")
    _analyze_after_commit(model, len(rows))
    return len(rows)


def _analyze_after_commit(model: type[models.Model], rows: int) -> None:
    if connection.vendor != "postgresql" or rows < ANALYZE_MIN_ROWS:
        return
    table = connection.ops.quote_name(model._meta.db_table)

    def analyze() -> None:  # the rows are committed: statistics are worth having, not worth failing for
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")

    transaction.on_commit(analyze)
