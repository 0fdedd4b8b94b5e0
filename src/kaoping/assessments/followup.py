"""After the results: rectification (整改) of 不合格 units, and the sanctions when it is judged inadequate."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kaoping.audit.services import audit_record
from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError, Refused
from kaoping.org.models import Unit
from kaoping.org.policy import Action, policy_check
from kaoping.scoring.grading import FAILED

from .models import Rectification, Sanction, SanctionKind, UnitResult

# Who is sanctioned when rectification is judged inadequate (scoring.md: After the results).
DEPUTY, BRIGADE_HEAD, DIRECTOR = "分管局领导", "执法监察大队负责人", "局主要负责人"
SANCTIONS = (
    (SanctionKind.YELLOW_CARD, DEPUTY),
    (SanctionKind.YELLOW_CARD, BRIGADE_HEAD),
    (SanctionKind.ADMONITION, DIRECTOR),
)


def failed_unit_ids(campaign: Campaign) -> set[int]:
    """Units graded 不合格 in the campaign's approved results (none before approval)."""
    if not campaign.is_frozen:
        return set()
    return set(UnitResult.objects.filter(campaign=campaign, grade=FAILED).values_list("unit_id", flat=True))


def _rectification_locked(campaign: Campaign, unit: Unit) -> Rectification:
    if not campaign.is_frozen:
        raise Refused("考评结果审定后才能开始整改跟踪")
    if unit.pk not in failed_unit_ids(campaign):
        raise Refused(f"{unit.name}在 {campaign.year} 年度考评中不是不合格单位，无需整改跟踪")
    rectification, _ = Rectification.objects.get_or_create(campaign=campaign, unit=unit)
    return Rectification.objects.select_for_update().get(pk=rectification.pk)


def rectification_update(
    *,
    campaign: Campaign,
    unit: Unit,
    measures: str,
    deadline: datetime.date | None,
    progress: str,
    actor: AbstractBaseUser | None,
) -> Rectification:
    """Record a 不合格 unit's rectification measures, deadline and progress."""
    policy_check(actor, Action.FOLLOWUP_EDIT)
    if not measures.strip():
        raise KaopingError("请填写整改措施")
    with transaction.atomic():
        rectification = _rectification_locked(campaign, unit)
        old = {
            "measures": rectification.measures,
            "deadline": rectification.deadline.isoformat() if rectification.deadline else None,
            "progress": rectification.progress,
        }
        rectification.measures, rectification.deadline = measures.strip(), deadline
        rectification.progress = progress.strip()
        rectification.save()
        audit_record(
            actor=actor,
            action="rectification_update",
            campaign_year=campaign.year,
            unit_code=unit.code,
            old=old,
            new={
                "measures": rectification.measures,
                "deadline": deadline.isoformat() if deadline else None,
                "progress": rectification.progress,
            },
        )
    return rectification


def rectification_judge_inadequate(
    *,
    campaign: Campaign,
    unit: Unit,
    deputy: str,
    brigade_head: str,
    director: str,
    date: datetime.date,
    reason: str,
    actor: AbstractBaseUser | None,
) -> list[Sanction]:
    """整改措施不力: 黄牌警告 for the deputy director and the brigade head, 诫勉谈话 for the director."""
    policy_check(actor, Action.FOLLOWUP_EDIT)
    names = {DEPUTY: deputy.strip(), BRIGADE_HEAD: brigade_head.strip(), DIRECTOR: director.strip()}
    missing = [position for position, name in names.items() if not name]
    if missing:
        raise KaopingError(f"请填写{'、'.join(missing)}的姓名")
    if not reason.strip():
        raise KaopingError("认定整改措施不力必须写明理由")
    with transaction.atomic():
        rectification = _rectification_locked(campaign, unit)
        if rectification.inadequate:
            raise Refused(
                f"{unit.name}已于 {timezone.localtime(rectification.judged_at):%Y-%m-%d} 被认定整改措施不力"
            )
        rectification.inadequate, rectification.judged_at = True, timezone.now()
        rectification.save()
        sanctions = Sanction.objects.bulk_create(
            Sanction(
                rectification=rectification, kind=kind, position=position, person=names[position], date=date
            )
            for kind, position in SANCTIONS
        )
        audit_record(
            actor=actor,
            action="rectification_inadequate",
            campaign_year=campaign.year,
            unit_code=unit.code,
            new=[
                {"kind": s.kind, "position": s.position, "person": s.person, "date": date.isoformat()}
                for s in sanctions
            ],
            reason=reason.strip(),
        )
    return sanctions
