"""The frame of every page: system name, year switcher, the user's role and scope, navigation, state bar."""

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kaoping.assessments.selectors import campaigns_visible_to
from kaoping.campaigns.models import STATE_ORDER, State
from kaoping.inbox.services import unread_count
from kaoping.org.models import Role
from kaoping.org.policy import Action, actor_of, policy_allows

from .selectors import campaign_chosen

# label, url name, the action whose permission shows it, url prefix that marks it active
NAVIGATION = (
    ("工作台", "dashboard", Action.DASHBOARD, "/$"),
    ("自评", "self_page", Action.OWN_UNIT, "/self/"),
    ("考评任务", "review_queue", Action.REVIEW_SCORE, "/review/"),
    ("台帐与报送", "ledgers", Action.IMPORT, "/ledgers/"),
    ("约谈问责记录", "events", Action.EVENT_RECORD, "/events/"),
    ("加分扣分记录", "adjustments", Action.ADJUSTMENT_RECORD, "/adjustments/"),
    ("考评结果", "results", Action.DASHBOARD, "/results/"),
    ("申诉", "objections", Action.OBJECTIONS_READ, "/objections/"),
    ("整改跟踪", "followup", Action.FOLLOWUP_READ, "/followup/"),
    ("审定", "approval", Action.APPROVAL_READ, "/approval/"),
    ("管理", "admin:index", Action.ACCOUNTS_MANAGE, "/admin/"),
)


def system_name() -> str:
    return f"{settings.CITY_NAME}国土资源执法监察目标管理考评系统"


def _deadline(campaign) -> str:
    if campaign.state == State.PUBLIC and campaign.objection_until is not None:
        until = campaign.objection_until
        days = (until - timezone.localdate()).days
        when = f"公示中：申诉截止 {until:%Y年%m月%d日}"
        if days > 0:
            return f"{when}，还有 {days} 天"
        return f"{when}，今天截止" if days == 0 else f"{when}，申诉期已结束"
    if campaign.state not in (State.DRAFT, State.SELF_ASSESSMENT):
        return ""
    days = (campaign.self_deadline - timezone.localdate()).days
    when = f"自评截止 {campaign.self_deadline:%Y年%m月%d日}"
    if days > 0:
        return f"{when}，还有 {days} 天"
    if days == 0:
        return f"{when}，今天截止"
    return f"{when}，已过 {-days} 天"


def _once(read: Callable[[], Any]) -> Callable[[], Any]:
    """A value the template calls for when it needs it (an htmx row answer never does), read at most once."""
    return functools.cache(read)


def layout(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"system_name": system_name()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    role = actor_of(user).role
    campaign = campaign_chosen(request)
    path = request.path
    nav = []
    for label, name, action, prefix in NAVIGATION:
        if policy_allows(user, action):
            url = reverse(name)
            active = path == "/" if prefix == "/$" else path.startswith(prefix)
            nav.append({"label": label, "url": url, "active": active and name != "admin:index"})
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
            "scope_label": actor_of(user).unit_name or actor_of(user).department_name,
            "user_display": user.get_full_name() or user.get_username(),
            "campaign": campaign,
            "campaigns": list(campaigns_visible_to(user).values_list("year", flat=True)),
            "steps": steps,
            "deadline": _deadline(campaign) if campaign else "",
            "nav": nav,
            "inbox_unread": _once(lambda: unread_count(user)),  # read only by a page that shows it
        }
    )
    return context
