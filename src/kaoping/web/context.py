"""The frame of every page: system name, year switcher, the user's role and scope, navigation, state bar."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kaoping.assessments.selectors import campaigns_visible_to
from kaoping.campaigns.models import STATE_ORDER, State
from kaoping.org.access import role_of
from kaoping.org.models import Role

from .selectors import campaign_chosen

F, A, G, P, ADMIN = Role.FILLER, Role.ASSESSOR, Role.GROUP, Role.PARTY, Role.ADMIN
# label, url name, roles that see it, url prefix that marks it active
NAVIGATION = (
    ("工作台", "dashboard", (F, A, G, P, ADMIN), "/$"),
    ("自评", "self_page", (F,), "/self/"),
    ("考评任务", "review_queue", (A, G, ADMIN), "/review/"),
    ("台帐与报送", "ledgers", (F, G, ADMIN), "/ledgers/"),
    ("约谈问责记录", "events", (G, ADMIN), "/events/"),
    ("考评结果", "results", (F, A, G, P, ADMIN), "/results/"),
    ("整改跟踪", "followup", (G, P, ADMIN), "/followup/"),
    ("审定", "approval", (P, ADMIN), "/approval/"),
)


def system_name() -> str:
    return f"{settings.CITY_NAME}国土资源执法监察目标管理考评系统"


def _scope(user) -> str:
    profile = getattr(user, "profile", None)
    if profile is None:
        return ""
    if profile.unit_id:
        return profile.unit.name
    if profile.department_id:
        return profile.department.name
    return ""


def _deadline(campaign) -> str:
    if campaign.state not in (State.DRAFT, State.SELF_ASSESSMENT):
        return ""
    days = (campaign.self_deadline - timezone.localdate()).days
    when = f"自评截止 {campaign.self_deadline:%Y年%m月%d日}"
    if days > 0:
        return f"{when}，还有 {days} 天"
    if days == 0:
        return f"{when}，今天截止"
    return f"{when}，已过 {-days} 天"


def layout(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"system_name": system_name()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    role = role_of(user)
    campaign = campaign_chosen(request)
    path = request.path
    nav = []
    for label, name, roles, prefix in NAVIGATION:
        if role in roles:
            url = reverse(name)
            active = path == "/" if prefix == "/$" else path.startswith(prefix)
            nav.append({"label": label, "url": url, "active": active})
    if role == ADMIN:
        nav.append({"label": "管理", "url": reverse("admin:index"), "active": False})
    steps = []
    if campaign is not None:
        here = STATE_ORDER.index(campaign.state)
        for index, state in enumerate(State):
            status = "done" if index < here else "current" if index == here else "todo"
            steps.append({"label": state.label, "status": status})
    context.update(
        {
            "role": role,
            "role_label": Role(role).label if role else "未分配角色",
            "scope_label": _scope(user),
            "user_display": user.get_full_name() or user.get_username(),
            "campaign": campaign,
            "campaigns": list(campaigns_visible_to(user).values_list("year", flat=True)),
            "steps": steps,
            "deadline": _deadline(campaign) if campaign else "",
            "nav": nav,
        }
    )
    return context
