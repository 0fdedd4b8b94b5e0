"""What every view shares: declared role checks, the chosen campaign, parsing typed input."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from kaoping.assessments.services import ScoreEntry, scores_set
from kaoping.campaigns.models import Campaign
from kaoping.errors import Conflict, KaopingError, NotFound
from kaoping.org.models import Unit
from kaoping.org.policy import Action, policy_refusal
from kaoping.rubrics.schema import Item

from ..selectors import campaign_chosen


def allowed(action: Action) -> Callable:
    """Log in first; then the view opens only for whom the policy allows this action (in some scope);
    the view asks again with the scope it acts on."""

    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            refusal = policy_refusal(request.user, action)
            if refusal is not None:
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        wrapped.action = action
        return wrapped

    return decorate


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


@dataclass
class SaveAnswer:
    """What an inline save tells its row: the status, a message or the error, and what was typed."""

    status: int = 200
    message: str = ""
    error: str = ""
    conflict: dict | None = None  # set on a conflict: the row shows both values
    typed: dict | None = None  # shown again after an error or a conflict


def score_save(
    request: HttpRequest, *, kind: str, campaign: Campaign, unit: Unit, item: Item, note_field: str
) -> SaveAnswer:
    """The one HTMX row save of the self page and the review queue: parse, save with the version the
    row was drawn with, and answer with the error class's own status."""
    typed_score, typed_note = request.POST.get("score", ""), request.POST.get(note_field, "").strip()
    try:
        changed = scores_set(
            kind=kind,
            campaign=campaign,
            entries=[ScoreEntry(unit, item, parse_score(typed_score), typed_note)],
            actor=request.user,
            expected_versions={(unit.code, item.id): parse_version(request.POST.get("version"))},
        )
    except KaopingError as problem:
        typed = {"score": typed_score, note_field: typed_note}
        return SaveAnswer(
            status=problem.http_status,
            error=str(problem),
            conflict=typed if isinstance(problem, Conflict) else None,
            typed=typed if problem.http_status in (400, 409) else None,
        )
    return SaveAnswer(message="已保存" if changed else "没有改动")


def unit_urls(name: str, *rest: str):
    """code → the URL of `name` for that unit, reversed once for a table of many units (a {% url %} per
    row was most of the time of a 100-row page)."""
    template = reverse(name, args=["000000", *rest])
    return lambda code: template.replace("000000", code, 1)


UNITS_PER_PAGE = 100


def unit_page(request: HttpRequest, visible: QuerySet[Unit]):
    """A page of the units a person sees, found by name or code (a province or the country has thousands)."""
    search = request.GET.get("q", "").strip()
    query = visible.order_by("code")
    if search:
        query = query.filter(Q(name__contains=search) | Q(code__startswith=search))
    return Paginator(query, UNITS_PER_PAGE).get_page(request.GET.get("page")), search
