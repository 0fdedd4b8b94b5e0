"""The audit log is a hash chain: a row edited, deleted or moved behind the application is named by id."""

import threading

import pytest
from django.db import connection, connections, transaction

from kaoping.assessments.services import SELF, ScoreEntry, scores_set
from kaoping.assessments.workflow import campaign_advance
from kaoping.audit.chain import AuditChainBroken, audit_chain_verify
from kaoping.audit.models import AuditEvent, AuditHead
from kaoping.audit.services import audit_record
from kaoping.campaigns.models import State
from kaoping.org.models import Unit


@pytest.fixture
def trail(campaign):
    """campaign_create's row, a state move, a bulk of self scores and single rows: about 40 rows."""
    campaign_advance(campaign=campaign, to=State.SELF_ASSESSMENT)
    rubric = campaign.rubric.definition
    units = list(Unit.objects.order_by("code"))
    entries = [
        ScoreEntry(u, rubric.item(i), rubric.item(i).points, "") for u in units for i in ("1.1", "2.1")
    ]
    scores_set(kind=SELF, campaign=campaign, entries=entries, actor=None)
    for n in range(20):
        audit_record(
            actor=None, action="note", campaign_year=2017, new={"n": n, "text": "说明"}, reason="测试"
        )
    return list(AuditEvent.objects.order_by("id").values_list("id", flat=True))


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _broken_at() -> int | None:
    with pytest.raises(AuditChainBroken) as caught:
        audit_chain_verify()
    return caught.value.event_id


def test_the_chain_verifies_after_a_workflow_and_links_every_row_to_the_one_before(trail):
    report = audit_chain_verify(year=2017)
    assert report.rows == len(trail) and report.year_rows == len(trail) > 30
    rows = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash"))
    assert rows[0][0] == "" and all(rows[n][0] == rows[n - 1][1] for n in range(1, len(rows)))
    assert AuditHead.objects.get().hash == rows[-1][1] == report.head
    assert str(report).startswith(
        f"审计链完整：已校验 {len(trail)} 条记录（其中该年度 {len(trail)} 条），链头指纹 "
    )


def test_ids_follow_each_other_without_gaps(trail):
    assert trail == list(range(trail[0], trail[0] + len(trail)))


def test_an_update_of_one_rows_new_value_names_that_row(trail):
    target = trail[10]
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    _sql(f"UPDATE audit_auditevent SET new = %s{cast} WHERE id = %s", '{"score": "0.00", "note": ""}', target)
    assert _broken_at() == target


def test_a_deleted_row_names_the_row_after_it(trail):
    _sql("DELETE FROM audit_auditevent WHERE id = %s", trail[5])
    assert _broken_at() == trail[6]


def test_two_rows_swapped_name_the_first_of_them(trail):
    a, b = trail[3], trail[8]
    _sql("UPDATE audit_auditevent SET id = -1 WHERE id = %s", a)
    _sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", a, b)
    _sql("UPDATE audit_auditevent SET id = %s WHERE id = -1", b)
    assert _broken_at() == a


def test_the_last_row_deleted_names_the_head(trail):
    _sql("DELETE FROM audit_auditevent WHERE id = %s", trail[-1])
    assert _broken_at() == trail[-1]


def test_a_rewritten_chain_is_caught_by_the_head_an_approval_recorded(trail):
    from kaoping.audit.chain import chain_rows_compute

    anchor = AuditEvent.objects.get(id=trail[-1]).hash
    _sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", "改过", trail[2])
    rows = AuditEvent.objects.order_by("id").values()
    for event_id, prev, digest in list(chain_rows_compute(rows)):  # a forger recomputes every hash
        _sql("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", prev, digest, event_id)
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    AuditHead.objects.update(hash=last)
    audit_chain_verify()  # self-consistent now
    with pytest.raises(AuditChainBroken, match="2017 年度审定时记录的链头"):
        audit_chain_verify(anchors={anchor: 2017})


def test_rows_stay_append_only(trail):
    event = AuditEvent.objects.get(id=trail[0])
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_the_migration_computes_the_same_chain_for_existing_rows(trail):
    import importlib

    from django.apps import apps

    before = list(AuditEvent.objects.order_by("id").values_list("id", "prev_hash", "hash"))
    AuditEvent.objects.update(prev_hash="", hash="")
    AuditHead.objects.all().delete()
    importlib.import_module("kaoping.audit.migrations.0003_hash_chain_compute").chain_existing(apps, None)
    assert list(AuditEvent.objects.order_by("id").values_list("id", "prev_hash", "hash")) == before
    assert audit_chain_verify().rows == len(trail)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(loaded):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock is PostgreSQL's concern")
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for k in range(10):
                with transaction.atomic():
                    audit_record(actor=None, action="note", new={"writer": n, "k": k})
        except BaseException as failure:  # a thread's exception would otherwise vanish
            failures.append(failure)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert audit_chain_verify().rows == AuditEvent.objects.count() >= 80
