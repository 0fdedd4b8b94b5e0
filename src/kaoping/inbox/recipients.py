"""Who receives each kind of message: the one place that says so. The services name the kind, the unit and
the item's departments the event concerns; this module turns them into people (active users with a role)."""

from collections.abc import Collection, Iterable
from enum import StrEnum

from kaoping.org.models import Profile, Role

from .models import Kind


class Audience(StrEnum):
    UNIT_FILLERS = "unit_fillers"  # the 填报员 of the unit the message is about
    ITEM_ASSESSORS = "item_assessors"  # the 考评员 of the departments that own the item
    FILLERS = "fillers"  # every 填报员
    ASSESSORS = "assessors"  # every 考评员
    GROUP = "group"  # 考评小组
    PARTY = "party"  # 党组


A = Audience
RECIPIENTS: dict[Kind, tuple[Audience, ...]] = {
    Kind.YEAR_OPENED: (A.FILLERS, A.ASSESSORS),
    Kind.ITEM_RETURNED: (A.UNIT_FILLERS,),
    Kind.PUBLIC_OPENED: (A.FILLERS, A.ASSESSORS),
    Kind.OBJECTION_FILED: (A.ITEM_ASSESSORS, A.GROUP),
    Kind.OBJECTION_ANSWERED: (A.UNIT_FILLERS,),
    Kind.SELF_DEADLINE_NEAR: (A.UNIT_FILLERS,),
    Kind.SELF_DEADLINE_PASSED: (A.UNIT_FILLERS,),
    Kind.SELF_LATE_SUMMARY: (A.GROUP,),
    Kind.REPORT_DUE_NEAR: (A.UNIT_FILLERS,),
    Kind.REPORT_OVERDUE: (A.UNIT_FILLERS,),
    Kind.YEAR_APPROVED: (A.GROUP, A.ASSESSORS),
    Kind.YEAR_PUBLISHED: (A.FILLERS, A.ASSESSORS, A.GROUP, A.PARTY),
}

_ROLE = {
    A.UNIT_FILLERS: Role.FILLER,
    A.ITEM_ASSESSORS: Role.ASSESSOR,
    A.FILLERS: Role.FILLER,
    A.ASSESSORS: Role.ASSESSOR,
    A.GROUP: Role.GROUP,
    A.PARTY: Role.PARTY,
}


def _reaches(audience: Audience, role: str, unit_id, department: str, about_unit, departments) -> bool:
    if role != _ROLE[audience]:
        return False
    if audience == A.UNIT_FILLERS:
        return about_unit is not None and unit_id == about_unit
    if audience == A.ITEM_ASSESSORS:
        return department in departments
    return True


def recipients_of(kind: Kind, targets: Iterable[tuple[int | None, Collection[str]]]) -> list[list[int]]:
    """For each (unit id, item departments) a message of `kind` is about, the ids of the users who receive
    it, read in one query however many targets there are."""
    audiences = RECIPIENTS[Kind(kind)]
    targets = list(targets)
    roles = {_ROLE[a] for a in audiences}
    people = list(
        Profile.objects.filter(role__in=roles, user__is_active=True)
        .values_list("user_id", "role", "unit_id", "department__code")
        .order_by("user_id")
    )
    by_unit: dict[int, list[int]] = {}
    for user_id, role, unit_id, _ in people:
        if role == Role.FILLER and unit_id is not None:
            by_unit.setdefault(unit_id, []).append(user_id)
    answer = []
    for about_unit, departments in targets:
        chosen: list[int] = []
        for audience in audiences:
            if audience == A.UNIT_FILLERS:  # the common case of a reminder to each of thousands of units
                chosen += by_unit.get(about_unit, []) if about_unit is not None else []
                continue
            chosen += [
                user_id
                for user_id, role, unit_id, department in people
                if _reaches(audience, role, unit_id, department or "", about_unit, departments)
            ]
        answer.append(sorted(set(chosen)))
    return answer
