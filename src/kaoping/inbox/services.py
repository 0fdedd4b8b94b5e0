"""Writing messages where the event happens (inside the service's own transaction), and reading them.

Other services call `inbox_notify` for one event (a 退回, an objection filed or answered, a year moved
on); `kaoping remind` (kaoping/reminders.py) calls `inbox_send` with many notices at once. Nothing here
is computed on a page's GET: the pages read what was written.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from kaoping.errors import NotFound

from .models import Kind, Message, ReminderSent
from .recipients import recipients_of


@dataclass(frozen=True)
class Notice:
    """One message to write, before it is known who receives it (recipients.py decides)."""

    kind: Kind
    title: str
    body: str = ""
    url: str = ""
    unit_id: int | None = None  # the unit it is about, if any
    departments: tuple[str, ...] = ()  # the departments owning the item it is about, if any
    # A reminder's keys (kaoping remind): each stored once in ReminderSent (unique); the message links to
    # the first. One message may remind of several things (a unit's missing monthly reports).
    reminder_keys: tuple[str, ...] = ()


def inbox_send(notices: list[Notice], *, campaign=None) -> list[Message]:
    """Write every notice to the inbox of each of its recipients (one recipients query, bulk inserts).
    A notice with a reminder key also records that reminder as sent. Call inside the writer's transaction."""
    if not notices:
        return []
    messages: list[Message] = []
    by_kind: dict[Kind, list[int]] = {}
    for index, notice in enumerate(notices):
        by_kind.setdefault(Kind(notice.kind), []).append(index)
    people: dict[int, list[int]] = {}
    for kind, indexes in by_kind.items():
        found = recipients_of(kind, [(notices[i].unit_id, notices[i].departments) for i in indexes])
        people.update(zip(indexes, found, strict=True))
    records = [
        ReminderSent(key=key, kind=n.kind, campaign=campaign, unit_id=n.unit_id)
        for n in notices
        for key in n.reminder_keys
    ]
    reminders = {r.key: r for r in ReminderSent.objects.bulk_create(records, batch_size=1000)}
    for index, notice in enumerate(notices):
        for user_id in people[index]:
            messages.append(
                Message(
                    recipient_id=user_id,
                    kind=notice.kind,
                    campaign=campaign,
                    unit_id=notice.unit_id,
                    title=notice.title,
                    body=notice.body,
                    url=notice.url,
                    reminder=reminders[notice.reminder_keys[0]] if notice.reminder_keys else None,
                )
            )
    return Message.objects.bulk_create(messages, batch_size=1000)


def inbox_notify(
    kind: Kind | str,
    *,
    title: str,
    body: str = "",
    url: str = "",
    campaign=None,
    unit=None,
    departments: Collection[str] = (),
) -> int:
    """One event, written to the inbox of whoever recipients.py says receives `kind` about this unit or
    item. Call it inside the transaction of the change it tells of; returns how many messages were written.

    For example, an objection service (issue 10 §1):
        inbox_notify(Kind.OBJECTION_FILED, campaign=campaign, unit=unit, departments=item.departments,
                     title=f"{unit.name} 对条目 {item.id} 提出申诉", body=reason, url=page_url)
    """
    notice = Notice(
        kind=Kind(kind),
        title=title,
        body=body,
        url=url,
        unit_id=unit.pk if unit is not None else None,
        departments=tuple(departments),
    )
    return len(inbox_send([notice], campaign=campaign))


def unread_count(user: AbstractBaseUser) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def messages_of(user: AbstractBaseUser, *, unread_only: bool = False) -> QuerySet[Message]:
    query = Message.objects.filter(recipient=user).select_related("campaign")
    return query.filter(read_at__isnull=True) if unread_only else query


def message_of(user: AbstractBaseUser, pk: int) -> Message:
    """One of the person's own messages (another person's is not found, as if it did not exist)."""
    message = Message.objects.filter(recipient=user, pk=pk).select_related("campaign").first()
    if message is None:
        raise NotFound("没有这条消息，或它不是发给您的")
    return message


def message_read(user: AbstractBaseUser, pk: int) -> Message:
    message = message_of(user, pk)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def messages_read_all(user: AbstractBaseUser) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
