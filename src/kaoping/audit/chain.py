"""The hash chain over the audit log: each row's hash covers its own content and the previous row's hash.

One function appends (single rows and bulk lists alike) under a lock on the one-row AuditHead, so
concurrent writers cannot fork the chain; one function walks it. The canonical form is plain JSON, so
SQLite and PostgreSQL compute the same hash for the same row.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kaoping.bulk import rows_insert
from kaoping.errors import KaopingError

from .models import AuditEvent, AuditHead

CONTENT_FIELDS = (
    "id",
    "at",
    "actor_label",
    "action",
    "campaign_year",
    "unit_code",
    "item_id",
    "old",
    "new",
    "reason",
)
INSERTED_FIELDS = (*CONTENT_FIELDS, "actor", "prev_hash", "hash")
HEAD_ID = 1
FINGERPRINT_LENGTH = 12


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text; Decimals and dates as strings."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _utc(at: datetime.datetime) -> str:
    # Milliseconds: Django's JSON serialiser (backup, dumpdata) keeps no more, and a restore must verify.
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def event_hash(content: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 of one row's content (CONTENT_FIELDS) and the previous row's hash."""
    payload = {**content, "at": _utc(content["at"]), "prev_hash": prev_hash}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _stored(value: Any) -> Any:
    # What a JSON column gives back (tuples become lists, Decimals would be refused by the column anyway).
    if value is None or isinstance(value, str) or _flat_text(value):
        return value  # already as stored: a score's {"score": "1.00", "note": …} (a sheet has 100,000)
    return json.loads(canonical_json(value))


def _flat_text(value: Any) -> bool:
    return type(value) is dict and all(
        type(k) is str and (v is None or type(v) is str) for k, v in value.items()
    )


def _head_locked() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is None:  # a database emptied behind the migration (a flushed test database)
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        try:
            with (
                transaction.atomic()
            ):  # concurrent first writers: one creates the head, the others wait on it
                AuditHead.objects.create(
                    pk=HEAD_ID, last_id=last[0] if last else 0, hash=last[1] if last else ""
                )
        except IntegrityError:
            pass
        head = AuditHead.objects.select_for_update().get(pk=HEAD_ID)
    return head


@dataclass
class AuditRow:
    """An audit row to append, without a model instance: what a bulk write (a sheet of scores) builds
    per row; audit_append sets id, at, prev_hash and hash as on an AuditEvent."""

    actor_id: int | None
    actor_label: str
    action: str
    campaign_year: int | None = None
    unit_code: str = ""
    item_id: str = ""
    old: Any = None
    new: Any = None
    reason: str = ""
    id: int | None = None
    at: datetime.datetime | None = None
    prev_hash: str = ""
    hash: str = ""


def audit_append(events: Sequence[AuditEvent | AuditRow]) -> list[AuditEvent | AuditRow]:
    """Append unsaved AuditEvents (or AuditRows) to the chain, in order; the one way rows enter the audit log."""
    if not events:
        return []
    with transaction.atomic():
        head = _head_locked()
        now = timezone.now()
        last_id, prev = head.last_id, head.hash
        for event in events:
            last_id += 1
            event.id = last_id
            event.at = event.at or now
            event.old, event.new = _stored(event.old), _stored(event.new)
            event.prev_hash = prev
            event.hash = prev = event_hash({f: getattr(event, f) for f in CONTENT_FIELDS}, prev)
        # One INSERT per 10,000 rows (COPY on PostgreSQL), not a model compiled per row: an imported sheet of
        # 100,000 scores writes 100,000 audit rows.
        rows_insert(
            AuditEvent,
            INSERTED_FIELDS,
            (
                (*(getattr(event, f) for f in CONTENT_FIELDS), event.actor_id, event.prev_hash, event.hash)
                for event in events
            ),
        )
        head.last_id, head.hash = last_id, prev
        head.save(update_fields=["last_id", "hash"])
    return list(events)


def chain_rows_compute(rows: Iterable[dict[str, Any]]) -> Iterable[tuple[int, str, str]]:
    """(id, prev_hash, hash) of rows given in id order: for the migration that chains existing rows."""
    prev = ""
    for row in rows:
        digest = event_hash({f: row[f] for f in CONTENT_FIELDS}, prev)
        yield row["id"], prev, digest
        prev = digest


class AuditChainBroken(KaopingError):
    """The audit log does not match its chain; `event_id` names the first row that does not."""

    def __init__(self, message: str, event_id: int | None):
        super().__init__(message)
        self.event_id = event_id


@dataclass(frozen=True)
class ChainReport:
    rows: int
    year_rows: int | None
    head: str

    def __str__(self) -> str:
        year = f"（其中该年度 {self.year_rows} 条）" if self.year_rows is not None else ""
        fingerprint = self.head[:FINGERPRINT_LENGTH] or "（空）"
        return f"审计链完整：已校验 {self.rows} 条记录{year}，链头指纹 {fingerprint}"


def audit_chain_verify(*, year: int | None = None, anchors: dict[str, int] | None = None) -> ChainReport:
    """Walk the whole chain in id order; raise AuditChainBroken at the first row that does not match.

    A chain cannot be checked in part: with `year`, every row is checked and that year's rows are counted.
    `anchors` (hash → year, the heads recorded on approval) must each be a row of the chain.
    """
    head = AuditHead.objects.filter(pk=HEAD_ID).values_list("last_id", "hash").first() or (0, "")
    anchors = dict(anchors or {})
    fields = (*CONTENT_FIELDS, "prev_hash", "hash")
    rows = year_rows = 0
    prev, last_id = "", 0
    for values in AuditEvent.objects.order_by("id").values_list(*fields).iterator(chunk_size=2000):
        row = dict(zip(fields, values, strict=True))
        if row["prev_hash"] != prev:
            raise AuditChainBroken(
                f"审计链校验失败：记录 id={row['id']} 与前一条记录的链接不符"
                "（其前的记录被删除、改动或调换过顺序）",
                row["id"],
            )
        if event_hash({f: row[f] for f in CONTENT_FIELDS}, prev) != row["hash"]:
            raise AuditChainBroken(
                f"审计链校验失败：记录 id={row['id']} 的内容与其哈希不符（记录被改动或调换过）", row["id"]
            )
        prev, last_id = row["hash"], row["id"]
        anchors.pop(prev, None)
        rows += 1
        year_rows += row["campaign_year"] == year
    if last_id < head[0]:
        raise AuditChainBroken(
            f"审计链校验失败：链头记录 id={head[0]} 不存在（最后 {head[0] - last_id} 条记录可能被删除）",
            head[0],
        )
    final = AuditHead.objects.filter(pk=HEAD_ID).values_list("last_id", flat=True).first() or 0
    if last_id > final:  # rows appended while walking raise the head too; these came from outside
        raise AuditChainBroken(
            f"审计链校验失败：记录 id={final + 1} 不在链头之内（不是由系统写入的）", final + 1
        )
    for anchor, anchor_year in sorted(anchors.items(), key=lambda a: a[1]):
        raise AuditChainBroken(
            f"审计链校验失败：{anchor_year} 年度审定时记录的链头 {anchor[:FINGERPRINT_LENGTH]} 不在链中"
            "（审定前的记录被改动过）",
            None,
        )
    return ChainReport(rows=rows, year_rows=year_rows if year is not None else None, head=prev)
