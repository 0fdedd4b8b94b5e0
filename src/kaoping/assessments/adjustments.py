"""加分 and 扣分 entries: the group records one entry of a 加分项 / 扣分项 the year's rubric declares, with
what it rests on (依据) and an evidence file; the entry is audited and the unit's results (total, rank,
grade) change in the same transaction. The rubric says how many points each entry counts and the cap.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kaoping.audit.services import audit_record
from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError, NotFound, Refused
from kaoping.org.models import Unit
from kaoping.org.policy import Action, campaign_facts, policy_allows, policy_check, unit_scope_of
from kaoping.rubrics.schema import Adjustment

from .evidence import evidence_problem, safe_file_name
from .models import AdjustmentEntry
from .results import results_update

BASIS_MAX = AdjustmentEntry._meta.get_field("basis").max_length


def _declared(campaign: Campaign) -> str:
    rubric = campaign.rubric.definition
    if not rubric.adjustments:
        return f"{campaign.year} 年度的考评细则（{rubric.id}）没有加分项或扣分项"
    return "可用：" + "、".join(f"{a.id}（{a.kind.label}：{a.name}）" for a in rubric.adjustments)


def campaign_adjustment(campaign: Campaign, adjustment_id: str) -> Adjustment:
    """The declared adjustment of the year's rubric with this id, or an error naming those there are."""
    adjustment = campaign.rubric.definition.adjustment(adjustment_id.strip())
    if adjustment is None:
        raise NotFound(
            f"{campaign.year} 年度细则中没有加减分项“{adjustment_id}”；{_declared(campaign)}"
            if campaign.rubric.definition.adjustments
            else _declared(campaign)
        )
    return adjustment


@dataclass(frozen=True)
class EvidenceUpload:
    name: str
    size: int
    content: BinaryIO


def _checked(campaign: Campaign, date: datetime.date, basis: str, evidence: EvidenceUpload | None) -> str:
    """The entry's input checked before anything is locked: the cleaned 依据, or an error."""
    first, today = datetime.date(campaign.year, 1, 1), timezone.localdate()
    if date < first or date > today:
        raise KaopingError(
            f"日期 {date:%Y-%m-%d} 不合理：{campaign.year} 年度的加分、扣分依据应在 {first:%Y-%m-%d} 至今天"
            f"（{today:%Y-%m-%d}）之间"
        )
    basis = " ".join(basis.split())
    if not basis:
        raise KaopingError("必须写明依据（如 湘国土资办函〔2018〕12号 通报表扬）")
    if len(basis) > BASIS_MAX:
        raise KaopingError(f"依据最多 {BASIS_MAX} 字，现有 {len(basis)} 字")
    if evidence is None:
        raise KaopingError("每条加分、扣分记录都要附佐证材料（表扬通报、推广文件等的扫描件）")
    head = evidence.content.read(16)
    evidence.content.seek(0)
    problem = evidence_problem(evidence.name, evidence.size, head)
    if problem:
        raise KaopingError(problem)
    return basis


def adjustment_record(
    *,
    campaign: Campaign,
    unit: Unit,
    adjustment_id: str,
    date: datetime.date,
    basis: str,
    evidence: EvidenceUpload | None,
    actor: AbstractBaseUser | None,
) -> AdjustmentEntry:
    """Record one entry of a 加分项 / 扣分项 for a unit; its results move in the same transaction."""
    policy_check(actor, Action.ADJUSTMENT_RECORD)
    adjustment = campaign_adjustment(campaign, adjustment_id)
    basis = _checked(campaign, date, basis, evidence)
    assert evidence is not None  # _checked refuses a missing file
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("rubric").get(pk=campaign.pk)
        policy_check(actor, Action.ADJUSTMENT_RECORD, campaign=campaign_facts(locked))
        twin = AdjustmentEntry.objects.filter(
            campaign=locked, unit=unit, adjustment_id=adjustment.id, basis=basis
        ).first()
        if twin is not None:
            raise Refused(
                f"{unit.name}的{adjustment.label}“{adjustment.name}”已有同一依据的记录"
                f"（{twin.date:%Y-%m-%d}，{basis}）；同一事项只能计一次"
            )
        entry = AdjustmentEntry(
            campaign=locked,
            unit=unit,
            adjustment_id=adjustment.id,
            date=date,
            basis=basis,
            original_name=safe_file_name(evidence.name),
            size=evidence.size,
            recorded_by=actor,
        )
        entry.file.save(safe_file_name(evidence.name), File(evidence.content), save=False)
        try:
            entry.save()
            audit_record(
                actor=actor,
                action="adjustment_record",
                campaign_year=locked.year,
                unit_code=unit.code,
                item_id=adjustment.id,
                new={
                    "kind": adjustment.kind.value,
                    "date": date.isoformat(),
                    "basis": basis,
                    "points": str(adjustment.points),
                    "file": entry.original_name,
                },
            )
            results_update(campaign=locked, unit_ids={unit.pk})
        except BaseException:
            entry.file.storage.delete(entry.file.name)  # the transaction rolls back: no file without its row
            raise
    return entry


def adjustment_remove(*, entry: AdjustmentEntry, reason: str, actor: AbstractBaseUser | None) -> None:
    """Delete a wrongly recorded entry while its year is open; the audit keeps it and why."""
    policy_check(actor, Action.ADJUSTMENT_REMOVE)
    reason = reason.strip()
    if not reason:
        raise KaopingError("删除加分、扣分记录必须写明原因")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("rubric").get(pk=entry.campaign_id)
        policy_check(actor, Action.ADJUSTMENT_REMOVE, campaign=campaign_facts(campaign))
        locked = (
            AdjustmentEntry.objects.select_for_update().select_related("unit").filter(pk=entry.pk).first()
        )
        if locked is None:
            raise NotFound("该加分、扣分记录已被删除")
        audit_record(
            actor=actor,
            action="adjustment_remove",
            campaign_year=campaign.year,
            unit_code=locked.unit.code,
            item_id=locked.adjustment_id,
            old={
                "date": locked.date.isoformat(),
                "basis": locked.basis,
                "file": locked.original_name,
            },
            reason=reason,
        )
        stored, storage = locked.file.name, locked.file.storage
        locked.delete()
        results_update(campaign=campaign, unit_ids={locked.unit_id})
        transaction.on_commit(lambda: storage.delete(stored))


def adjustment_entries_visible(user: AbstractBaseUser, campaign: Campaign) -> QuerySet[AdjustmentEntry]:
    """The year's entries this person may see: the city's roles all; a unit its own once results are
    published (the policy's SCORES_READ); anyone else none."""
    query = (
        AdjustmentEntry.objects.filter(campaign=campaign)
        .select_related("unit", "recorded_by")
        .order_by("unit__code", "adjustment_id", "date", "pk")
    )
    facts = campaign_facts(campaign)
    own = unit_scope_of(user)
    if not policy_allows(user, Action.SCORES_READ, campaign=facts, unit_id=own):
        return query.none()
    return query.filter(unit_id=own) if own is not None else query


def adjustment_entry_visible(user: AbstractBaseUser, pk: int) -> AdjustmentEntry:
    """One entry if this person may see it; otherwise the same NotFound as for no entry at all."""
    entry = AdjustmentEntry.objects.select_related("campaign__rubric", "unit").filter(pk=pk).first()
    if entry is None or not adjustment_entries_visible(user, entry.campaign).filter(pk=pk).exists():
        raise NotFound("没有该加分、扣分记录，或您无权查看")
    return entry


@dataclass(frozen=True)
class AdjustmentRow:
    """An entry as the pages, the API and the command line list it, with its declared adjustment."""

    entry: AdjustmentEntry
    adjustment: Adjustment | None  # None: the rubric no longer declares it (the entry counts nothing)

    @property
    def points(self) -> Decimal:
        """The entry's own signed points (the cap applies to the adjustment's entries together)."""
        if self.adjustment is None:
            return Decimal("0.00")
        return self.adjustment.points * self.adjustment.kind.sign

    def as_json(self) -> dict:
        entry, adjustment = self.entry, self.adjustment
        return {
            "id": entry.pk,
            "unit": entry.unit.code,
            "unit_name": entry.unit.name,
            "item": entry.adjustment_id,
            "item_name": adjustment.name if adjustment else "",
            "kind": adjustment.kind.value if adjustment else "",
            "date": entry.date.isoformat(),
            "points": float(self.points),
            "basis": entry.basis,
            "evidence": entry.original_name,
            "recorded_at": entry.recorded_at.isoformat(),
        }


def adjustment_rows(campaign: Campaign, entries) -> list[AdjustmentRow]:
    rubric = campaign.rubric.definition
    return [AdjustmentRow(entry, rubric.adjustment(entry.adjustment_id)) for entry in entries]
