"""Reads scoped to the user: what units and rubric items a person may see. One door for the pages."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from kaoping.errors import NotFound
from kaoping.rubrics.schema import Item, Rubric

from .access import role_of
from .models import Role, Unit

CITY_ROLES = (Role.ASSESSOR, Role.GROUP, Role.PARTY, Role.ADMIN)


def units_visible_to(user: AbstractBaseUser) -> QuerySet[Unit]:
    """A 填报员 sees its own unit; the city's roles see every unit; anyone else sees none."""
    role = role_of(user)
    if role == Role.FILLER:
        return Unit.objects.filter(pk=user.profile.unit_id)
    if role in CITY_ROLES:
        return Unit.objects.all()
    return Unit.objects.none()


def unit_visible(user: AbstractBaseUser, code: str) -> Unit:
    """The unit with this code if the user may see it; otherwise the same NotFound as for no unit at all."""
    unit = units_visible_to(user).filter(code=code).first()
    if unit is None:
        raise NotFound(f"没有代码为 {code} 的单位，或您无权查看")
    return unit


def items_owned_by(user: AbstractBaseUser, rubric: Rubric) -> list[Item]:
    """The items this user reviews: a 考评员 its department's, the group and administrators all."""
    role = role_of(user)
    if role == Role.ASSESSOR:
        code = user.profile.department.code
        return [item for item in rubric.items if code in item.departments]
    if role in (Role.GROUP, Role.ADMIN):
        return list(rubric.items)
    return []


def item_visible_to(user: AbstractBaseUser, unit: Unit, item: Item) -> bool:
    """May the user see this unit's material (self score, note, evidence) for this item?"""
    role = role_of(user)
    if role == Role.FILLER:
        return user.profile.unit_id == unit.pk
    if role == Role.ASSESSOR:
        return user.profile.department.code in item.departments
    return role in (Role.GROUP, Role.PARTY, Role.ADMIN)
