"""What every view shares: declared role checks, the chosen campaign, parsing typed input."""

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError, NotFound
from kaoping.org.access import role_of
from kaoping.org.models import Role

from ..selectors import campaign_chosen


def role_required(*roles: str) -> Callable:
    """Log in first; then only these roles (administrators hold every role) may open the view."""

    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            role = role_of(request.user)
            if role is None or (role != Role.ADMIN and role not in roles):
                names = "、".join(Role(r).label for r in roles)
                raise PermissionDenied(f"此页面仅供{names}使用")
            return view(request, *args, **kwargs)

        wrapped.roles = roles  # read by the permission tests
        return wrapped

    return decorate


ALL_ROLES = tuple(Role)


def campaign_required(request: HttpRequest) -> Campaign:
    campaign = campaign_chosen(request)
    if campaign is None:
        raise NotFound("尚未开启考评年度；请考评小组或管理员先开启年度（kaoping campaign create）")
    return campaign


def parse_score(text: str) -> Decimal | None:
    """A typed score: blank clears it; anything but a plain number is an error."""
    text = (text or "").strip().replace("，", ".").replace("。", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise KaopingError(f"“{text}”不是数字，请输入如 2 或 1.50 的分数") from None
    if not value.is_finite():
        raise KaopingError(f"“{text}”不是有效的分数")
    return value


def parse_version(text: str) -> int:
    try:
        return max(int(text), 0)
    except (TypeError, ValueError):
        return 0


def parse_date(text: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        raise KaopingError(f"{label}应为日期，如 2018-03-31") from None


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
