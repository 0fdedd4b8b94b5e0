"""Moving the campaign through its states (the service refuses with the reason), and the party's 审定 page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from kaoping.assessments.results import outcome_of_rows, ranking_query, result_summary
from kaoping.assessments.workflow import UnscoredItems, campaign_advance
from kaoping.campaigns.models import STATE_ORDER, State
from kaoping.errors import KaopingError
from kaoping.org.policy import Action, policy_allows

from .common import allowed, campaign_required, safe_next
from .home import state_buttons


@require_POST
@allowed(Action.CAMPAIGN_FORWARD)
def campaign_move(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    here = STATE_ORDER.index(campaign.state)
    direction = request.POST.get("direction")
    expected = request.POST.get("from")
    back_to = reverse("dashboard")
    if expected and expected != campaign.state:
        messages.error(request, f"考评状态已被他人改为“{campaign.get_state_display()}”，请核对后再操作。")
        return redirect(safe_next(request, back_to))
    target = STATE_ORDER[here - 1] if direction == "back" and here > 0 else None
    try:
        moved = campaign_advance(campaign=campaign, actor=request.user, to=target)
        messages.success(request, f"{moved.year} 年度考评已进入“{moved.get_state_display()}”阶段。")
    except UnscoredItems as problem:
        messages.error(request, _unscored_refusal(request, problem))
    except KaopingError as problem:
        messages.error(request, f"未能变更状态：{problem}")
    return redirect(safe_next(request, back_to))


def _unscored_refusal(request: HttpRequest, problem: UnscoredItems) -> str:
    """The refusal lists 30 items at most; whoever can score them gets a link to all of them."""
    if not policy_allows(request.user, Action.REVIEW_SCORE):
        return f"未能变更状态：{problem}"
    return format_html(
        '未能变更状态：{}<br><a href="{}?status=unscored">在考评任务中查看全部 {} 个未评条目</a>',
        problem,
        reverse("review_queue"),
        problem.count,
    )


@allowed(Action.APPROVAL_READ)
def approval(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    # The party reads the whole ranking before approving; a province's or the country's is paged.
    page = Paginator(ranking_query(campaign, request.GET.get("q", "")), 100).get_page(request.GET.get("page"))
    context = {
        "outcome": outcome_of_rows(campaign, page.object_list),
        "page": page,
        "search": request.GET.get("q", "").strip(),
        "unscored": result_summary(campaign).unscored,
        "buttons": state_buttons(request.user, campaign),
        "pending": campaign.state == State.PENDING_APPROVAL,
    }
    return render(request, "web/approval.html", context)
