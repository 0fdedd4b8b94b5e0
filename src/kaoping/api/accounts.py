"""Who am I, and which units may I see."""

from django.http import HttpRequest
from ninja import Router

from kaoping.org.models import Role
from kaoping.org.policy import actor_of
from kaoping.org.selectors import units_visible_to

from .access import api_actor
from .schemas import MeOut, NamedOut, errors

router = Router(tags=["用户与单位"])


@router.get("/me", response={200: MeOut, **errors()}, summary="当前用户及其角色")
def me(request: HttpRequest) -> dict:
    user = request.auth
    role = actor_of(user).role
    profile = getattr(user, "profile", None)
    unit = profile.unit if profile else None
    department = profile.department if profile else None
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "role": role,
        "role_label": Role(role).label if role else None,
        "unit": {"code": unit.code, "name": unit.name} if unit else None,
        "department": {"code": department.code, "name": department.name} if department else None,
    }


@router.get(
    "/units", response={200: list[NamedOut], **errors(403)}, summary="可见的被考评单位（填报员只看到本单位）"
)
def units(request: HttpRequest) -> list[dict]:
    return [{"code": u.code, "name": u.name} for u in units_visible_to(api_actor(request))]
