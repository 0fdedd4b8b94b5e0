"""`kaoping ARGS…` that stops at one named point of an import, for the kill tests (test-only, nothing of it
is in the application): `python kaoping_paused.py POINT ARGS…`.

At the point it writes `@POINT` on stderr and waits for a line on stdin (then goes on), so the test can
send SIGKILL while the import is exactly there:

    read       the file read, nothing validated or written
    staged     every row in the import's staging table, just before the INSERT into the ledger table
    inserted   the ledger rows inserted (not committed), before the audit row and the results
    results    during the results' recomputation: the units' results written, the summary not yet
    commit     everything written, just before COMMIT
    committed  just after COMMIT, before the command prints its answer

After the ledger INSERT it writes `@inserted-done SECONDS` (the statement's duration) in any case.
"""

import os
import sys
import time

POINTS = ("read", "staged", "inserted", "results", "commit", "committed")
LEDGER_INSERT = 'INSERT INTO "ledgers_case" ('
RESULTS_INSERT = 'INSERT INTO "assessments_unitresult" ('


def pause(point: str, wanted: str) -> None:
    if point == wanted:
        print(f"@{point}", file=sys.stderr, flush=True)
        sys.stdin.readline()


def install(wanted: str) -> None:
    import django
    from django.db import connection
    from django.db.backends.base.base import BaseDatabaseWrapper

    django.setup()
    import kaoping.importing

    seen: set[str] = set()
    read_table = kaoping.importing.read_table

    def reading(*args, **kwargs):
        table = read_table(*args, **kwargs)
        pause("read", wanted)
        return table

    def statements(execute, sql, params, many, context):
        if sql.startswith(LEDGER_INSERT) and "SELECT" in sql:
            pause("staged", wanted)
            started = time.perf_counter()
            result = execute(sql, params, many, context)
            print(f"@inserted-done {time.perf_counter() - started:.3f}", file=sys.stderr, flush=True)
            seen.add("inserted")
            pause("inserted", wanted)
            return result
        result = execute(sql, params, many, context)
        if sql.startswith(RESULTS_INSERT) and "inserted" in seen and "results" not in seen:
            seen.add("results")
            pause("results", wanted)
        return result

    commit = BaseDatabaseWrapper.commit

    def committing(self):
        if "inserted" not in seen:
            return commit(self)
        pause("commit", wanted)
        commit(self)
        pause("committed", wanted)

    kaoping.importing.read_table = reading
    connection.execute_wrappers.append(statements)
    BaseDatabaseWrapper.commit = committing


if __name__ == "__main__":
    point, *arguments = sys.argv[1:]
    assert point in POINTS, f"unknown point {point}; one of {POINTS}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.settings")
    install(point)
    from kaoping.cli import main

    sys.exit(main(arguments))
