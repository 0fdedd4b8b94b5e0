"""Reads scoped to the user: what units and rubric items a person may see. The door for every read;
the rules themselves are the policy's (org/policy.py)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from kaoping.errors import NotFound
from kaoping.rubrics.schema import Item, Rubric

from .models import Unit
from .policy import Action, policy_allows, reviews_item, unit_scope_of


def units_visible_to(user: AbstractBaseUser) -> QuerySet[Unit]:
    """A 填报员 sees its own unit; the city's roles see every unit; anyone else sees none."""
    if not policy_allows(user, Action.UNIT_READ):
        return Unit.objects.none()
    own = unit_scope_of(user)
    return Unit.objects.filter(pk=own) if own is not None else Unit.objects.all()


def sees_every_unit(user: AbstractBaseUser) -> bool:
    """Whether `units_visible_to` is every unit of the system (the year's stored summary then counts for
    the person's progress)."""
    return policy_allows(user, Action.UNIT_READ) and unit_scope_of(user) is None


def own_unit(user: AbstractBaseUser) -> Unit | None:
    """A 填报员's own unit (read with the user by the login backend, org/backends.py); None for the city's
    roles."""
    own = unit_scope_of(user)
    if own is None:
        return None
    profile = getattr(user, "profile", None)
    return profile.unit if profile is not None and profile.unit_id == own else Unit.objects.get(pk=own)


def unit_visible(user: AbstractBaseUser, code: str) -> Unit:
    """The unit with this code if the user may see it; otherwise the same NotFound as for no unit at all."""
    unit = units_visible_to(user).filter(code=code).first()
    if unit is None:
        raise NotFound(f"没有代码为 {code} 的单位，或您无权查看")
    return unit


def items_owned_by(user: AbstractBaseUser, rubric: Rubric) -> list[Item]:
    """The items this user reviews: a 考评员 its department's, the group and administrators all."""
    return [item for item in rubric.items if reviews_item(user, item.departments)]


def item_visible_to(user: AbstractBaseUser, unit: Unit, item: Item) -> bool:
    """May the user see this unit's material (self score, note, evidence) for this item?"""
    return policy_allows(
        user, Action.MATERIAL_READ, unit_id=unit.pk, item_id=item.id, item_departments=item.departments
    )
