"""Writing self scores and review scores: state, role and lock checks, and the audit row, in one place."""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kaoping.audit.chain import AuditRow, audit_append
from kaoping.audit.services import SYSTEM, audit_record
from kaoping.bulk import rows_insert, rows_update
from kaoping.campaigns.models import Campaign
from kaoping.campaigns.services import campaign_ensure_writable
from kaoping.errors import Conflict, KaopingError, Refused
from kaoping.inbox.models import Kind
from kaoping.inbox.services import inbox_notify
from kaoping.org.models import Unit
from kaoping.org.policy import Action, Scope, SelfSituation, actor_of, campaign_facts, policy_check
from kaoping.rubrics.schema import Item
from kaoping.scoring.numbers import fmt2

from .models import ItemReturn, ReviewScore, SelfAssessment, SelfScore
from .results import results_update

SELF, REVIEW = "self", "review"
MODELS = {SELF: SelfScore, REVIEW: ReviewScore}
LABELS = {SELF: "自评分", REVIEW: "考评分"}


@dataclass(frozen=True)
class ScoreEntry:
    unit: Unit
    item: Item
    score: Decimal | None  # None clears the score
    note: str


def score_problem(kind: str, item: Item, score: Decimal | None, note: str) -> str | None:
    """Why this score cannot be entered for this item, or None. Shared by the pages, API and imports."""
    if score is None:
        return None
    if not Decimal(0) <= score <= item.points:
        return f"{item.id} 的分值为 {fmt2(item.points)}，{LABELS[kind]} {score} 超出 0–{fmt2(item.points)}"
    if score != score.quantize(Decimal("0.01")):
        return f"{item.id} 的分数 {score} 最多保留 2 位小数"
    if kind == REVIEW and not note.strip():
        if score < item.points:
            return f"{item.id} 考评分低于满分 {fmt2(item.points)}，必须写明扣分原因"
        if item.method == "rule":
            return f"{item.id} 为自动计分条目，人工考评分会替代自动计分，必须写明原因"
    return None


def self_scopes(campaign: Campaign, pairs: list[tuple[Unit, Item | None]]) -> list[Scope]:
    """The scope of each self score (or of a submission, without an item) as the policy reads it:
    where the unit's self-assessment stands, read in two queries for any number of pairs."""
    unit_ids = {unit.pk for unit, _ in pairs}
    returned = set(
        ItemReturn.objects.filter(campaign=campaign, unit__in=unit_ids, resolved_at__isnull=True).values_list(
            "unit_id", "item_id"
        )
    )
    assessments = {a.unit_id: a for a in SelfAssessment.objects.filter(campaign=campaign, unit__in=unit_ids)}
    facts, today = campaign_facts(campaign), timezone.localdate()
    scopes = []
    for unit, item in pairs:
        assessment = assessments.get(unit.pk)
        situation = SelfSituation(
            returned=item is not None and (unit.pk, item.id) in returned,
            submitted=assessment is not None and assessment.submitted_at is not None,
            reopened_until=assessment.reopened_until if assessment else None,
        )
        scopes.append(
            Scope(
                campaign=facts,
                unit_id=unit.pk,
                unit_name=unit.name,
                item_id=item.id if item else "",
                situation=situation,
                today=today,
            )
        )
    return scopes


def self_scope(campaign: Campaign, unit: Unit, item: Item | None = None) -> Scope:
    return self_scopes(campaign, [(unit, item)])[0]


def review_scope(campaign: Campaign, unit: Unit, item: Item) -> Scope:
    return Scope(
        campaign=campaign_facts(campaign),
        unit_id=unit.pk,
        unit_name=unit.name,
        item_id=item.id,
        item_departments=item.departments,
    )


def self_edit_check(campaign: Campaign, entry: "ScoreEntry", actor: AbstractBaseUser | None) -> None:
    """Raise Refused unless the actor may change this self score now (the rule pages and API show)."""
    policy_check(actor, Action.SELF_SCORE, self_scope(campaign, entry.unit, entry.item))


def review_edit_check(campaign: Campaign, entry: "ScoreEntry", actor: AbstractBaseUser | None) -> None:
    """Raise Refused unless the actor may enter this review score now."""
    policy_check(actor, Action.REVIEW_SCORE, review_scope(campaign, entry.unit, entry.item))


def _as_record(score: Decimal | None, note: str) -> dict[str, Any] | None:
    return None if score is None else {"score": fmt2(score), "note": note}


def scores_set(
    *,
    kind: str,
    campaign: Campaign,
    entries: list[ScoreEntry],
    actor: AbstractBaseUser | None,
    expected_versions: dict[tuple[str, str], int] | None = None,
    reason: str = "",
    from_sheet: bool = False,
    on_objection: bool = False,
) -> int:
    """Set (or clear) many scores of one kind at once; each change is audited. Returns how many changed.

    `expected_versions` maps (unit code, item id) to the version the editor started from; 0 means
    "there was no score". A mismatch raises Conflict and nothing is written.
    """
    model = MODELS[kind]
    for entry in entries:
        problem = score_problem(kind, entry.item, entry.score, entry.note)
        if problem:
            raise KaopingError(f"{entry.unit.name} {problem}")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("rubric").get(pk=campaign.pk)
        campaign_ensure_writable(locked)
        if kind == SELF:
            scopes = self_scopes(locked, [(e.unit, e.item) for e in entries])
        else:
            scopes = [review_scope(locked, e.unit, e.item) for e in entries]
        action = Action.SELF_SCORE if kind == SELF else Action.REVIEW_SCORE
        # The answer depends on the unit and where its self-assessment stands (self), or on the item
        # (review): asked once per distinct case, not once per row of a sheet of 100,000.
        asked: set = set()
        for scope in scopes:
            case = (scope.unit_id, scope.situation) if kind == SELF else scope.item_id
            if case not in asked:
                policy_check(actor, action, replace(scope, from_sheet=from_sheet, on_objection=on_objection))
                asked.add(case)
        existing = {
            (s.unit_id, s.item_id): s
            for s in model.objects.select_for_update().filter(
                campaign=campaign,
                unit__in={e.unit.pk for e in entries},
                item_id__in={e.item.id for e in entries},
            )
        }
        to_create: list[tuple] = []
        to_update, to_delete, audits = [], [], []
        label = actor.get_username() if actor is not None else SYSTEM
        now, actor_id = timezone.now(), actor.pk if actor is not None else None
        for entry in entries:
            current = existing.get((entry.unit.pk, entry.item.id))
            if expected_versions is not None:
                expected = expected_versions.get((entry.unit.code, entry.item.id))
                actual = current.version if current else 0
                if expected is not None and expected != actual:
                    shown = (
                        f"{fmt2(current.score)}（{current.note or '无说明'}）" if current else "（已被清除）"
                    )
                    who = current.updated_by.get_username() if current and current.updated_by else "他人"
                    raise Conflict(
                        f"{entry.unit.name} {entry.item.id} 的{LABELS[kind]}已被{who}改为 {shown}，"
                        "您的修改未保存；请核对最新值后再保存"
                    )
            old = _as_record(current.score, current.note) if current else None
            new = _as_record(entry.score, entry.note)
            if old == new:
                continue
            if entry.score is None:
                to_delete.append(current.pk)
            elif current is None:
                to_create.append(
                    (campaign.pk, entry.unit.pk, entry.item.id, entry.score, entry.note, now, actor_id)
                )
            else:
                current.score, current.note, current.updated_by = entry.score, entry.note, actor
                current.version += 1
                current.updated_at = now
                to_update.append(current)
            audits.append(
                AuditRow(
                    actor_id=actor_id,
                    actor_label=label,
                    action=f"{kind}_score",
                    campaign_year=campaign.year,
                    unit_code=entry.unit.code,
                    item_id=entry.item.id,
                    old=old,
                    new=new,
                    reason=reason or entry.note,
                )
            )
        # Plain INSERTs of the values (COPY on PostgreSQL): a sheet of 100,000 new scores compiles no model.
        rows_insert(
            model, ("campaign", "unit", "item_id", "score", "note", "updated_at", "updated_by"), to_create
        )
        # One UPDATE … FROM a staging table (bulk_update's CASE per row was 9 of 10 s of a 10,000-row sheet).
        rows_update(
            model,
            ["id"],
            ["score", "note", "updated_by", "version", "updated_at"],
            ((s.pk, s.score, s.note, s.updated_by_id, s.version, s.updated_at) for s in to_update),
        )
        model.objects.filter(pk__in=to_delete).delete()
        audit_append(audits)
        if kind == SELF:
            ItemReturn.objects.filter(
                campaign=campaign,
                resolved_at__isnull=True,
                unit__in={e.unit.pk for e in entries},
                item_id__in={e.item.id for e in entries},
            ).update(resolved_at=timezone.now())
        if audits:
            results_update(campaign=locked, unit_ids={e.unit.pk for e in entries})
    return len(audits)


def self_submit_check(campaign: Campaign, unit: Unit, actor: AbstractBaseUser | None) -> None:
    """Raise Refused unless the actor may submit this unit's self-assessment now (its items aside)."""
    policy_check(actor, Action.SELF_SUBMIT, self_scope(campaign, unit))


def self_assessment_submit(
    *, campaign: Campaign, unit: Unit, actor: AbstractBaseUser | None
) -> SelfAssessment:
    """A unit hands in its self-assessment: only while 自评中 and only with every item scored."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        self_submit_check(locked, unit, actor)
        rubric = locked.rubric.definition
        scored = set(SelfScore.objects.filter(campaign=locked, unit=unit).values_list("item_id", flat=True))
        missing = [item.id for item in rubric.items if item.id not in scored]
        if missing:
            raise Refused(f"还有 {len(missing)} 个条目没有自评分，不能提交：{'、'.join(missing)}")
        assessment, _ = SelfAssessment.objects.get_or_create(campaign=locked, unit=unit)
        assessment.submitted_at, assessment.reopened_until = timezone.now(), None
        assessment.save()
        audit_record(actor=actor, action="self_submit", campaign_year=locked.year, unit_code=unit.code)
    return assessment


def self_assessment_reopen(
    *, campaign: Campaign, unit: Unit, until: datetime.date, actor: AbstractBaseUser | None, reason: str
) -> SelfAssessment:
    """The group reopens a unit's self-assessment until a date (after submission or the deadline)."""
    policy_check(actor, Action.SELF_REOPEN)
    if not reason.strip():
        raise KaopingError("重新开放自评必须写明原因")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        policy_check(actor, Action.SELF_REOPEN, campaign=campaign_facts(locked))
        assessment, _ = SelfAssessment.objects.get_or_create(campaign=campaign, unit=unit)
        old = {"submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else None}
        assessment.submitted_at, assessment.reopened_until = None, until
        assessment.save()
        audit_record(
            actor=actor,
            action="self_reopen",
            campaign_year=campaign.year,
            unit_code=unit.code,
            old=old,
            new={"reopened_until": until.isoformat()},
            reason=reason,
        )
    return assessment


def item_return(
    *, campaign: Campaign, unit: Unit, item: Item, comment: str, actor: AbstractBaseUser | None
) -> ItemReturn:
    """An assessor sends an item back to the unit with a comment; the unit may then change that item."""
    policy_check(actor, Action.ITEM_RETURN, item_id=item.id, item_departments=item.departments)
    if not comment.strip():
        raise KaopingError("退回条目必须写明退回意见")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        policy_check(actor, Action.ITEM_RETURN, review_scope(locked, unit, item))
        returned = ItemReturn.objects.create(
            campaign=locked, unit=unit, item_id=item.id, comment=comment, returned_by=actor
        )
        audit_record(
            actor=actor,
            action="item_return",
            campaign_year=locked.year,
            unit_code=unit.code,
            item_id=item.id,
            reason=comment,
        )
        who = actor_of(actor)
        by = who.department_name or (who.role.label if who.role else "考评小组")
        inbox_notify(
            Kind.ITEM_RETURNED,
            campaign=locked,
            unit=unit,
            title=f"条目 {item.id} 被退回，请修改后重新填写",
            body=f"{by}退回意见：{comment}",
            url=reverse("self_unit", args=[unit.code]) + f"#self-{item.id.replace('.', '_')}",
        )
    return returned
