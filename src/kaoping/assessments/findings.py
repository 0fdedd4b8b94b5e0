"""Findings the group records by hand (约谈, 问责, 数据不实): each one audited and counted in its year."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from kaoping.audit.services import audit_record
from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError, NotFound, Refused
from kaoping.ledgers.models import Event, EventKind
from kaoping.org.models import Unit
from kaoping.org.policy import Action, campaign_facts, policy_check

from .results import results_update

GROUP_EVENT_KINDS = (EventKind.SUMMONED, EventKind.ACCOUNTABILITY, EventKind.FALSE_DATA)


def _kinds_text() -> str:
    return "、".join(k.label for k in GROUP_EVENT_KINDS)


def event_record(
    *,
    campaign: Campaign,
    unit: Unit,
    kind: str,
    date: datetime.date,
    reason: str,
    actor: AbstractBaseUser | None,
) -> Event:
    """Record a 约谈 / 问责 / 数据不实 of a unit in the campaign's year, with its reason."""
    policy_check(actor, Action.EVENT_RECORD)
    if kind not in GROUP_EVENT_KINDS:
        raise KaopingError(f"只能记录{_kinds_text()}，不能记录“{kind}”")
    # An event counts in the year of its date: one outside this year would vanish from this year's list.
    if date.year != campaign.year:
        raise KaopingError(
            f"日期 {date:%Y-%m-%d} 不在 {campaign.year} 年度内：记录 {campaign.year} 年度的{kind}，"
            f"日期应在 {campaign.year}-01-01 至 {campaign.year}-12-31 之间"
        )
    reason = reason.strip()
    if not reason:
        raise KaopingError(f"记录{kind}必须写明原因")
    if len(reason) > Event._meta.get_field("note").max_length:
        raise KaopingError("原因最多 500 字")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("rubric").get(pk=campaign.pk)
        policy_check(actor, Action.EVENT_RECORD, campaign=campaign_facts(locked))
        try:
            with transaction.atomic():
                event = Event.objects.create(unit=unit, kind=kind, date=date, note=reason)
        except IntegrityError:
            raise Refused(f"{unit.name} {date:%Y-%m-%d} 的{kind}（{reason}）已经记录过") from None
        audit_record(
            actor=actor,
            action="event_record",
            campaign_year=date.year,
            unit_code=unit.code,
            new={"kind": kind, "date": date.isoformat()},
            reason=reason,
        )
        results_update(campaign=locked, unit_ids={unit.pk})
    return event


def event_remove(*, event: Event, reason: str, actor: AbstractBaseUser | None) -> None:
    """Delete a wrongly recorded 约谈 / 问责 / 数据不实 while its year is open; the audit keeps it and why."""
    policy_check(actor, Action.EVENT_REMOVE)
    if event.kind not in GROUP_EVENT_KINDS:
        raise Refused(f"这里只能删除{_kinds_text()}记录；“{event.kind}”随台帐导入修改")
    reason = reason.strip()
    if not reason:
        raise KaopingError("删除记录必须写明原因")
    year = event.date.year
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("rubric").filter(year=year).first()
        if campaign is not None:
            policy_check(actor, Action.EVENT_REMOVE, campaign=campaign_facts(campaign))
        locked = Event.objects.select_for_update().select_related("unit").filter(pk=event.pk).first()
        if locked is None:
            raise NotFound("该记录已被删除")
        audit_record(
            actor=actor,
            action="event_remove",
            campaign_year=year,
            unit_code=locked.unit.code,
            old={"kind": locked.kind, "date": locked.date.isoformat(), "note": locked.note},
            reason=reason,
        )
        locked.delete()
        if campaign is not None:
            results_update(campaign=campaign, unit_ids={locked.unit_id})
