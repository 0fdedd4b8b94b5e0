"""佐证材料: files a unit attaches to an item. Checked by name, size and content before anything is stored."""

from pathlib import PurePath
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import File
from django.db import transaction

from kaoping.audit.services import audit_record
from kaoping.campaigns.models import Campaign
from kaoping.campaigns.services import campaign_ensure_writable
from kaoping.errors import KaopingError, Refused
from kaoping.org.models import Unit
from kaoping.rubrics.schema import Item

from .models import Evidence
from .services import ScoreEntry, self_edit_check

_PDF, _PNG, _JPEG, _GIF, _BMP = b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"BM"
_TIFF = (b"II*\x00", b"MM\x00*")
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFD = _ZIP  # OFD (GB/T 33190) is a zip package too

# extension → the signatures its content may start with, and its MIME type for serving.
EVIDENCE_TYPES: dict[str, tuple[tuple[bytes, ...], str]] = {
    ".pdf": ((_PDF,), "application/pdf"),
    ".jpg": ((_JPEG,), "image/jpeg"),
    ".jpeg": ((_JPEG,), "image/jpeg"),
    ".png": ((_PNG,), "image/png"),
    ".gif": ((_GIF,), "image/gif"),
    ".bmp": ((_BMP,), "image/bmp"),
    ".tif": (_TIFF, "image/tiff"),
    ".tiff": (_TIFF, "image/tiff"),
    ".doc": ((_OLE,), "application/msword"),
    ".xls": ((_OLE,), "application/vnd.ms-excel"),
    ".ppt": ((_OLE,), "application/vnd.ms-powerpoint"),
    ".docx": ((_ZIP,), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ((_ZIP,), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ((_ZIP,), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".wps": ((_OLE, _ZIP), "application/vnd.ms-works"),
    ".ofd": ((_OFD,), "application/ofd"),
}
# Shown in the browser rather than downloaded.
INLINE_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".gif"}


def evidence_extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def evidence_problem(name: str, size: int, head: bytes) -> str | None:
    """Why this file cannot be evidence, or None."""
    allowed = "、".join(sorted({e.lstrip(".").upper() for e in EVIDENCE_TYPES}))
    extension = evidence_extension(name)
    if extension not in EVIDENCE_TYPES:
        return f"“{name}”的文件类型不允许；佐证材料只能是 {allowed} 文件"
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        return f"“{name}”大小为 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB"
    if size == 0:
        return f"“{name}”是空文件"
    signatures, _ = EVIDENCE_TYPES[extension]
    if not any(head.startswith(s) for s in signatures):
        return f"“{name}”的内容与扩展名 {extension} 不符，请上传原始文件"
    return None


def safe_file_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip() or "file"
    return "".join(c for c in base if c.isprintable() and c not in '<>:"/\\|?*')[:200]


def evidence_attach(
    *,
    campaign: Campaign,
    unit: Unit,
    item: Item,
    name: str,
    size: int,
    content: BinaryIO,
    actor: AbstractBaseUser | None,
) -> Evidence:
    """Store one evidence file for a unit's item, under the same rules as its self score."""
    head = content.read(16)
    content.seek(0)
    problem = evidence_problem(name, size, head)
    if problem:
        raise KaopingError(problem)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        campaign_ensure_writable(locked)
        self_edit_check(locked, ScoreEntry(unit, item, None, ""), actor)
        evidence = Evidence(
            campaign=locked,
            unit=unit,
            item_id=item.id,
            original_name=safe_file_name(name),
            size=size,
            uploaded_by=actor,
        )
        evidence.file.save(safe_file_name(name), File(content), save=False)
        evidence.save()
        audit_record(
            actor=actor,
            action="evidence_attach",
            campaign_year=locked.year,
            unit_code=unit.code,
            item_id=item.id,
            new={"file": evidence.original_name, "size": size},
        )
    return evidence


def evidence_remove(*, evidence: Evidence, item: Item, actor: AbstractBaseUser | None) -> None:
    """Take an evidence file off an item (same rules as changing the self score)."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=evidence.campaign_id)
        campaign_ensure_writable(locked)
        self_edit_check(locked, ScoreEntry(evidence.unit, item, None, ""), actor)
        if evidence.item_id != item.id:
            raise Refused("佐证材料与条目不符")
        audit_record(
            actor=actor,
            action="evidence_remove",
            campaign_year=locked.year,
            unit_code=evidence.unit.code,
            item_id=evidence.item_id,
            old={"file": evidence.original_name, "size": evidence.size},
        )
        stored = evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: evidence.file.storage.delete(stored))
