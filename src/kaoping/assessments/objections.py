"""申诉 / 复核: a unit objects to the final score of one of its items while the results are on view (公示中);
the item's department or the group answers, 维持 with a reason or 改分 with the new score and reason.

Each service asks the policy, locks the campaign, writes its audit row and tells whoever waits (inbox),
in one transaction. A 改分 is a review score written through `scores_set`, so it is checked, audited and
reflected in the stored results like any other.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kaoping.audit.services import audit_record
from kaoping.campaigns.models import Campaign
from kaoping.errors import Conflict, KaopingError, NotFound, Refused
from kaoping.inbox.models import Kind
from kaoping.inbox.services import inbox_notify
from kaoping.org.models import Unit
from kaoping.org.policy import (
    Action,
    Scope,
    campaign_facts,
    department_scope_of,
    policy_check,
    unit_scope_of,
)
from kaoping.rubrics.schema import Item
from kaoping.scoring.numbers import fmt2

from .evidence import evidence_problem, safe_file_name
from .models import Decision, Objection, ObjectionFile
from .results import item_outcomes_stored
from .services import REVIEW, ScoreEntry, scores_set

MAX_FILES = 10


@dataclass(frozen=True)
class Upload:
    """A file as it arrived (page, API or command line)."""

    name: str
    size: int
    content: BinaryIO


def objection_scope(campaign: Campaign, unit: Unit, today: datetime.date | None = None) -> Scope:
    return Scope(
        campaign=campaign_facts(campaign),
        unit_id=unit.pk,
        unit_name=unit.name,
        today=today or timezone.localdate(),
    )


def answer_scope(campaign: Campaign, item: Item) -> Scope:
    return Scope(campaign=campaign_facts(campaign), item_id=item.id, item_departments=item.departments)


def _page_url(unit: Unit, item_id: str) -> str:
    return reverse("objections") + f"?unit={unit.code}#objection-{unit.code}-{item_id.replace('.', '_')}"


def objection_file(
    *,
    campaign: Campaign,
    unit: Unit,
    item: Item,
    reason: str,
    claimed: Decimal,
    files: list[Upload] = (),  # type: ignore[assignment]
    actor: AbstractBaseUser | None,
    today: datetime.date | None = None,
) -> Objection:
    """A unit objects to an item's final score within the 公示's window: the reason, the score it claims
    and its evidence files. One objection per item."""
    if not reason.strip():
        raise KaopingError(f"条目 {item.id}：请写明申诉理由")
    if not Decimal(0) <= claimed <= item.points or claimed != claimed.quantize(Decimal("0.01")):
        raise KaopingError(
            f"条目 {item.id} 的分值为 {fmt2(item.points)}，申诉分数应为 0–{fmt2(item.points)} 之间、"
            f"最多 2 位小数的数，而不是 {claimed}"
        )
    if len(files) > MAX_FILES:
        raise KaopingError(f"一次申诉最多附 {MAX_FILES} 个文件，而不是 {len(files)} 个")
    for upload in files:
        head = upload.content.read(16)
        upload.content.seek(0)
        problem = evidence_problem(upload.name, upload.size, head)
        if problem:
            raise KaopingError(problem)
    saved: list[str] = []  # the files stored so far: deleted again if the filing fails
    try:
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().select_related("rubric").get(pk=campaign.pk)
            policy_check(actor, Action.OBJECTION_FILE, objection_scope(locked, unit, today))
            if item.id not in locked.rubric.definition.item_map:
                raise NotFound(f"{locked.year} 年度细则中没有条目 {item.id}")
            before = item_outcomes_stored(locked, [(unit.pk, item.id)]).get((unit.pk, item.id))
            score_before = before.score if before is not None else None
            if score_before is not None and claimed == score_before:
                raise KaopingError(f"条目 {item.id} 现得分已是 {fmt2(claimed)}；申诉分数应与现得分不同")
            existing = Objection.objects.filter(campaign=locked, unit=unit, item_id=item.id).first()
            if existing is not None:
                raise Refused(
                    f"{unit.name}已于 {timezone.localtime(existing.filed_at):%Y年%m月%d日} 对条目 {item.id} "
                    "提出过申诉；每个条目只能申诉一次"
                )
            try:
                with transaction.atomic():
                    objection = Objection.objects.create(
                        campaign=locked,
                        unit=unit,
                        item_id=item.id,
                        reason=reason.strip(),
                        claimed=claimed,
                        score_before=score_before,
                        filed_by=actor,
                    )
            except IntegrityError:  # a second click that raced the first
                raise Conflict(f"{unit.name}刚刚已对条目 {item.id} 提出申诉，请刷新页面查看") from None
            for upload in files:
                stored = ObjectionFile(
                    objection=objection, original_name=safe_file_name(upload.name), size=upload.size
                )
                stored.file.save(safe_file_name(upload.name), File(upload.content), save=False)
                saved.append(stored.file.name)
                stored.save()
            audit_record(
                actor=actor,
                action="objection_file",
                campaign_year=locked.year,
                unit_code=unit.code,
                item_id=item.id,
                old=None if score_before is None else fmt2(score_before),
                new={"claimed": fmt2(claimed), "files": [safe_file_name(f.name) for f in files]},
                reason=reason.strip(),
            )
            inbox_notify(
                Kind.OBJECTION_FILED,
                campaign=locked,
                unit=unit,
                departments=item.departments,
                title=f"{unit.name}对条目 {item.id} 提出申诉（申诉分数 {fmt2(claimed)}）",
                body=reason.strip(),
                url=_page_url(unit, item.id),
            )
    except BaseException:
        storage = ObjectionFile._meta.get_field("file").storage
        for name in saved:
            storage.delete(name)
        raise
    return objection


def objection_answer(
    *,
    objection: Objection,
    decision: str,
    answer: str,
    new_score: Decimal | None = None,
    actor: AbstractBaseUser | None,
) -> Objection:
    """The item's department or the group answers: 维持 (the score stands, with the reason) or 改分 (the
    new score becomes the final score, written as a review score whose reason is the answer)."""
    if decision not in Decision.values:
        raise KaopingError(f"答复应为“维持”或“改分”，而不是“{decision}”")
    if not answer.strip():
        raise KaopingError("请写明答复理由")
    if decision == Decision.CHANGED and new_score is None:
        raise KaopingError("改分须填写新的得分")
    if decision == Decision.UPHELD:
        new_score = None
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("rubric").get(pk=objection.campaign_id)
        item = locked.rubric.definition.item_map[objection.item_id]
        policy_check(actor, Action.OBJECTION_ANSWER, answer_scope(locked, item))
        current = Objection.objects.select_for_update().select_related("unit").get(pk=objection.pk)
        if current.answered:
            raise Conflict(
                f"{current.unit.name}对条目 {current.item_id} 的申诉已于 "
                f"{timezone.localtime(current.answered_at):%Y年%m月%d日 %H:%M} 答复为“{current.decision}”，"
                "您的答复未保存"
            )
        unit = current.unit
        before = item_outcomes_stored(locked, [(unit.pk, item.id)]).get((unit.pk, item.id))
        score_before = before.score if before is not None else None
        if decision == Decision.CHANGED:
            assert new_score is not None
            if new_score == score_before:
                raise KaopingError(f"新的得分 {fmt2(new_score)} 与现得分相同；不改分请选择“维持”")
            scores_set(
                kind=REVIEW,
                campaign=locked,
                entries=[ScoreEntry(unit, item, new_score, f"申诉改分：{answer.strip()}")],
                actor=actor,
                reason=f"申诉改分：{answer.strip()}",
                on_objection=True,
            )
        current.decision, current.answer = decision, answer.strip()
        current.score_after = new_score if decision == Decision.CHANGED else score_before
        current.answered_by, current.answered_at = actor, timezone.now()
        current.save()
        audit_record(
            actor=actor,
            action="objection_answer",
            campaign_year=locked.year,
            unit_code=unit.code,
            item_id=item.id,
            old=None if score_before is None else fmt2(score_before),
            new={
                "decision": decision,
                "score": None if current.score_after is None else fmt2(current.score_after),
            },
            reason=current.answer,
        )
        inbox_notify(
            Kind.OBJECTION_ANSWERED,
            campaign=locked,
            unit=unit,
            title=f"条目 {item.id} 的申诉已答复：{current.verdict}",
            body=current.answer,
            url=reverse("unit_result", args=[unit.code]) + f"#item-{item.id.replace('.', '_')}",
        )
    return current


# ── Reads ──

STATUS_FILTERS = {"open": "未答复", "upheld": "维持", "changed": "改分"}


def objections_visible(
    user: AbstractBaseUser | None,
    campaign: Campaign,
    *,
    status: str = "",
    unit_code: str = "",
    item_id: str = "",
    unit: Unit | None = None,
) -> QuerySet[Objection]:
    """The objections this person may see (a unit its own, a 考评员 its department's items, the group all),
    filtered; the database filters and orders."""
    policy_check(user, Action.OBJECTIONS_READ)
    query = (
        Objection.objects.filter(campaign=campaign)
        .select_related("unit", "filed_by", "answered_by")
        .prefetch_related("files")
    )
    own = unit_scope_of(user)
    if own is not None:
        query = query.filter(unit_id=own)
    department = department_scope_of(user)
    if department is not None:
        owned = [i.id for i in campaign.rubric.definition.items if department in i.departments]
        query = query.filter(item_id__in=owned)
    if status == "open":
        query = query.filter(decision="")
    elif status == "upheld":
        query = query.filter(decision=Decision.UPHELD)
    elif status == "changed":
        query = query.filter(decision=Decision.CHANGED)
    elif status:
        known = "、".join(f"{k}（{v}）" for k, v in STATUS_FILTERS.items())
        raise KaopingError(f"未知的申诉状态“{status}”；可用：{known}")
    if unit is not None:
        query = query.filter(unit=unit)
    if unit_code:
        query = query.filter(Q(unit__code=unit_code) | Q(unit__name__contains=unit_code))
    if item_id:
        query = query.filter(item_id=item_id)
    return query.order_by("unit__code", "item_id")


@dataclass(frozen=True)
class ObjectionCounts:
    total: int
    waiting: int  # not yet answered


def objection_counts(user: AbstractBaseUser | None, campaign: Campaign) -> ObjectionCounts:
    """How many objections this person sees, and how many wait for an answer (one aggregate)."""
    found = objections_visible(user, campaign).aggregate(
        total=Count("id"), waiting=Count("id", filter=Q(decision=""))
    )
    return ObjectionCounts(total=found["total"], waiting=found["waiting"])


def objections_summary(user: AbstractBaseUser | None, campaign: Campaign) -> ObjectionCounts | None:
    """The dashboards' 申诉 card: from the 公示 on, or wherever a year has any; None before."""
    counts = objection_counts(user, campaign)
    return counts if counts.total or campaign.on_view else None


def objections_filed(campaign: Campaign) -> int:
    return Objection.objects.filter(campaign=campaign).count()


def objections_open(campaign: Campaign) -> list[Objection]:
    """The unanswered objections of a year (moving to 待审定 is refused while there are any)."""
    return list(
        Objection.objects.filter(campaign=campaign, decision="").select_related("unit").order_by("id")
    )


def objection_get(user: AbstractBaseUser | None, campaign: Campaign, pk: int) -> Objection:
    found = objections_visible(user, campaign).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"没有编号为 {pk} 的申诉，或您无权查看")
    return found


def objections_changed(campaign: Campaign) -> dict[tuple[str, str], Objection]:
    """(unit code, item id) → its objection answered by 改分: the pages and the workbook mark these items."""
    query = Objection.objects.filter(campaign=campaign, decision=Decision.CHANGED).select_related("unit")
    return {(o.unit.code, o.item_id): o for o in query}


def objection_rows(objections: QuerySet[Objection] | list[Objection]) -> list[dict]:
    """The objections as plain rows (the CLI's JSON, the API, the table's export)."""

    def number(value: Decimal | None) -> str | None:
        return None if value is None else fmt2(value)

    def day(value: datetime.datetime | None) -> str | None:
        return None if value is None else timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    return [
        {
            "id": o.pk,
            "unit_code": o.unit.code,
            "unit_name": o.unit.name,
            "item_id": o.item_id,
            "reason": o.reason,
            "claimed": number(o.claimed),
            "score_before": number(o.score_before),
            "decision": o.decision or None,
            "decision_label": o.decision_label,
            "answer": o.answer,
            "score_after": number(o.score_after),
            "filed_at": day(o.filed_at),
            "filed_by": o.filed_by.get_username() if o.filed_by else "",
            "answered_at": day(o.answered_at),
            "answered_by": o.answered_by.get_username() if o.answered_by else "",
            "files": [f.original_name for f in o.files.all()],
        }
        for o in objections
    ]


def public_state_label(campaign: Campaign) -> str:
    """`公示中（申诉截止 2017年12月28日）` for the pages' heading; the state's label otherwise."""
    until = campaign.objection_until
    if campaign.on_view and until is not None:
        return f"公示中（申诉截止 {until.year}年{until.month}月{until.day}日）"
    return campaign.get_state_display()
