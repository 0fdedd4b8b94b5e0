"""站内消息: the person's messages, marked read one by one or all at once (htmx), each opening its page;
and 逾期单位, the full list of the units late with their self-assessment or monthly reports."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kaoping.assessments.selectors import campaigns_visible_to
from kaoping.inbox.services import message_read, messages_of, messages_read_all, unread_count
from kaoping.org.policy import Action
from kaoping.reminders import report_rows, reports_missing, self_late, self_late_open, self_rows

from ..selectors import SESSION_YEAR
from .common import allowed, campaign_required, is_htmx

MESSAGES_PER_PAGE = 50


def _list_context(request: HttpRequest) -> dict:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(messages_of(request.user, unread_only=unread_only), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return {"page": page, "unread_only": unread_only, "inbox_unread": unread_count(request.user)}


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "web/inbox.html", _list_context(request))


@login_required
@require_POST
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    message = message_read(request.user, pk)
    if is_htmx(request):
        context = {
            "message": message,
            "inbox_unread": unread_count(request.user),
            "total": messages_of(request.user).count(),
            "oob": True,
        }
        return render(request, "web/partials/inbox_row_response.html", context)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    messages_read_all(request.user)
    if is_htmx(request):
        return render(request, "web/partials/inbox_list_response.html", _list_context(request))
    return redirect("inbox")


@login_required
@require_POST
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the page a message is about: mark it read, switch to its year, go there."""
    message = message_read(request.user, pk)
    if (
        message.campaign is not None
        and campaigns_visible_to(request.user).filter(pk=message.campaign_id).exists()
    ):
        request.session[SESSION_YEAR] = message.campaign.year
    target = message.url if message.url.startswith("/") and not message.url.startswith("//") else ""
    return redirect(target or "inbox")


LATE_PER_PAGE = 100


@allowed(Action.LATE_READ)
def late_units(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    today = timezone.localdate()
    which = "reports" if request.GET.get("list") == "reports" else "self"
    query = reports_missing(campaign, today) if which == "reports" else self_late(campaign, today)
    page = Paginator(query, LATE_PER_PAGE).get_page(request.GET.get("page"))
    units = list(page.object_list)
    rows = report_rows(campaign, units, today) if which == "reports" else self_rows(units, today)
    context = {
        "which": which,
        "page": page,
        "rows": rows,
        "today": today,
        "self_open": self_late_open(campaign),
        "due_day": campaign.rubric.definition.monthly_report_due_day,
    }
    return render(request, "web/late.html", context)
