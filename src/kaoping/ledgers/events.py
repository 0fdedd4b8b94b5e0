"""Events the group records by hand (约谈, 问责, 数据不实): each one audited and counted in its year."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from kaoping.audit.services import audit_record
from kaoping.campaigns.models import Campaign
from kaoping.campaigns.services import campaign_ensure_writable, campaigns_touch
from kaoping.errors import KaopingError, Refused
from kaoping.org.access import require_role
from kaoping.org.models import Role, Unit

from .models import Event, EventKind

GROUP_EVENT_KINDS = (EventKind.SUMMONED, EventKind.ACCOUNTABILITY, EventKind.FALSE_DATA)


def event_record(
    *, unit: Unit, kind: str, date: datetime.date, reason: str, actor: AbstractBaseUser | None
) -> Event:
    """Record a 约谈 / 问责 / 数据不实 of a unit on a date, with its reason (it counts in that year)."""
    require_role(actor, Role.GROUP, action="记录约谈、问责和数据不实")
    if kind not in GROUP_EVENT_KINDS:
        names = "、".join(k.label for k in GROUP_EVENT_KINDS)
        raise KaopingError(f"只能记录{names}，不能记录“{kind}”")
    reason = reason.strip()
    if not reason:
        raise KaopingError(f"记录{kind}必须写明原因")
    if len(reason) > Event._meta.get_field("note").max_length:
        raise KaopingError("原因最多 500 字")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(year=date.year).first()
        if campaign is not None:
            campaign_ensure_writable(campaign)
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
        campaigns_touch({date.year})
    return event
