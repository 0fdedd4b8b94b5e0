"""Audit for the Django admin: every add, change and delete made through /admin/ writes one AuditEvent.

Django runs the admin's add, change and delete views in `transaction.atomic()`; the bulk 删除所选
action does not, so `delete_queryset` opens its own. Each write below sits in a transaction with its
audit row, so neither is kept without the other.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from .services import audit_record

Snapshot = dict[str, Any]


def audit_value(value: Any) -> Any:
    """A field value as it is recorded: JSON-ready, related objects by code (or name)."""
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or str(value)
    if isinstance(value, datetime.datetime):
        # The admin form has no microseconds; saving it again is not a change.
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def audit_diff(before: Snapshot | None, after: Snapshot | None, *, key: str, secret: tuple[str, ...]):
    """Old and new values of the changed fields only, each with the object's `key` to say which object.

    A secret field (a password hash) is never recorded: its change is the flag `<field>_changed`.
    """
    if before is None:  # added: every value, a secret one as set
        new = {name: value for name, value in (after or {}).items() if name not in secret}
        new.update({f"{name}_changed": True for name in secret if (after or {}).get(name)})
        return None, new or None
    if after is None:  # deleted: every value it had
        return {name: value for name, value in before.items() if name not in secret} or None, None
    changed = [name for name in after if before.get(name) != after[name]]
    old = {name: before.get(name) for name in changed if name not in secret}
    new = {name: after[name] for name in changed if name not in secret}
    new.update({f"{name}_changed": True for name in changed if name in secret})
    if not old and not new:
        return None, None
    if key in before:
        old = {key: before[key], **old}
        new = {key: after[key], **new}
    return old or None, new


class AuditedAdmin:
    """Mix into a ModelAdmin; actions are `admin_<audit_name>_add` / `_change` / `_delete`.

    `audit_fields` are recorded (`audit_snapshot` may add more); `audit_secret_fields` only as a flag.
    """

    audit_name: str = ""
    audit_key: str = "code"
    audit_fields: tuple[str, ...] = ()
    audit_secret_fields: tuple[str, ...] = ()

    def audit_snapshot(self, obj: models.Model) -> Snapshot:
        values = {}
        for name in self.audit_fields:
            value = getattr(obj, name)
            if isinstance(value, models.Manager):
                value = sorted(str(related) for related in value.all())
            values[name] = audit_value(value)
        return values

    def audit_stored(self, pk: Any) -> Snapshot | None:
        """The snapshot of the object as the database holds it now."""
        obj = self.model._default_manager.filter(pk=pk).first()
        return None if obj is None else self.audit_snapshot(obj)

    def audit_extra(self, obj: models.Model) -> dict[str, Any]:
        """Further audit columns (such as unit_code) for the event about obj."""
        return {}

    def audit_write(self, request, action: str, obj, before: Snapshot | None, after: Snapshot | None) -> None:
        old, new = audit_diff(before, after, key=self.audit_key, secret=self.audit_secret_fields)
        if old is None and new is None:
            return  # saved without a change
        audit_record(
            actor=request.user,
            action=f"admin_{self.audit_name}_{action}",
            old=old,
            new=new,
            **self.audit_extra(obj),
        )

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            # Read before the save: the form has already changed obj in memory.
            request._kaoping_audit_before = self.audit_stored(obj.pk) if change else None
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        # Called last, after the inlines (a user's role) are saved, so the event covers the whole form.
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            before = getattr(request, "_kaoping_audit_before", None)
            request._kaoping_audit_before = None
            after = self.audit_stored(form.instance.pk)
            self.audit_write(request, "change" if change else "add", form.instance, before, after)

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            before = self.audit_snapshot(obj)
            super().delete_model(request, obj)
            self.audit_write(request, "delete", obj, before, None)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            gone = [(obj, self.audit_snapshot(obj)) for obj in queryset]
            super().delete_queryset(request, queryset)
            for obj, before in gone:
                self.audit_write(request, "delete", obj, before, None)
