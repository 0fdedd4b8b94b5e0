from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from .chain import audit_append
from .models import AuditEvent

SYSTEM = "系统管理员（命令行）"


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    campaign_year: int | None = None,
    unit_code: str = "",
    item_id: str = "",
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one audit row; call it inside the transaction that makes the change."""
    label = actor.get_username() if actor is not None else SYSTEM
    event = AuditEvent(
        actor=actor,
        actor_label=label,
        action=action,
        campaign_year=campaign_year,
        unit_code=unit_code,
        item_id=item_id,
        old=old,
        new=new,
        reason=reason,
    )
    audit_append([event])
    return event
