"""工作台: what each role needs to see first; the group's dashboard with progress and the state buttons."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from kaoping.assessments.models import ItemReturn
from kaoping.assessments.objections import objection_counts, objections_summary
from kaoping.assessments.results import outcome_of_rows, ranking_query
from kaoping.assessments.selectors import campaign_progress, units_not_submitted
from kaoping.campaigns.models import STATE_ORDER, Campaign, State
from kaoping.documents import notice_settings
from kaoping.org.models import Role
from kaoping.org.policy import Action, actor_of, campaign_facts, policy_allows
from kaoping.org.selectors import items_owned_by, own_unit, sees_every_unit, units_visible_to
from kaoping.reminders import late_overview

from ..fragments import fragment_key, rows_key
from ..selectors import campaign_chosen
from .common import allowed, unit_page, unit_urls
from .selfassess import self_progress, self_rows


def state_buttons(user, campaign: Campaign) -> dict:
    """The buttons a person sees for moving the campaign on or back: the policy's answer."""
    here = STATE_ORDER.index(campaign.state)
    facts = campaign_facts(campaign)
    forward = State(STATE_ORDER[here + 1]) if here + 1 < len(STATE_ORDER) else None
    if forward is not None and not policy_allows(
        user, Action.CAMPAIGN_FORWARD, campaign=facts, target=forward
    ):
        forward = None
    back = State(STATE_ORDER[here - 1]) if here > 0 else None
    if back is not None and not policy_allows(user, Action.CAMPAIGN_BACK, campaign=facts):
        back = None
    cautions = (
        _review_cautions(campaign)
        if forward == State.REVIEW
        else _approval_cautions(campaign)
        if forward == State.PENDING_APPROVAL
        else []
    )
    confirm = ""
    if forward is not None:
        confirm = f"确认将 {campaign.year} 年度考评推进到“{forward.label}”？"
        if forward == State.APPROVED:
            confirm += "审定后所有分数冻结，不能再修改。"
        if cautions:
            confirm += "\n\n" + "\n".join(cautions)
    return {
        "forward": forward,
        "forward_confirm": confirm,
        "back": back,
        "cautions": cautions,
    }


def _review_cautions(campaign: Campaign) -> list[str]:
    """What the group should know before closing the self-assessment early (the move stays allowed)."""
    cautions = []
    waiting = list(units_not_submitted(campaign).values_list("name", flat=True))
    if waiting:
        cautions.append(f"尚有 {len(waiting)} 个单位未提交自评：{'、'.join(waiting)}。")
    days = (campaign.self_deadline - timezone.localdate()).days
    if days >= 0:
        left = "今天截止" if days == 0 else f"还有 {days} 天"
        deadline = campaign.self_deadline
        cautions.append(f"自评截止日期 {deadline.year}年{deadline.month}月{deadline.day}日 未到（{left}）。")
    if cautions:
        cautions.append("推进到“考评中”后，各单位不能再修改自评（被退回的条目除外）。")
    return cautions


def _approval_cautions(campaign: Campaign) -> list[str]:
    """Before ending the 公示 early: the window's end (the move stays allowed; unanswered objections
    refuse it in the service, with their names)."""
    until = campaign.objection_until
    cautions = []
    if until is not None and timezone.localdate() <= until:
        cautions.append(
            f"申诉期至 {until.year}年{until.month}月{until.day}日 结束，尚未期满；"
            "提交审定后各单位不能再提出申诉。"
        )
    waiting = objection_counts(None, campaign).waiting
    if waiting:
        cautions.append(f"尚有 {waiting} 件申诉未答复，答复后才能提交审定。")
    return cautions


PREVIEW_UNITS = 10


def _overview(request: HttpRequest, campaign: Campaign) -> dict:
    """Progress per unit (a page of them) and per department from the shared read model, and the top of
    the ranking preview: every figure is a count or a stored summary, never every unit's items."""
    rubric = campaign.rubric.definition
    visible = units_visible_to(request.user)
    page, search = unit_page(request, visible)
    every_unit = sees_every_unit(request.user)
    progress = campaign_progress(campaign, visible, list(page.object_list), every_unit=every_unit)
    outcome = outcome_of_rows(campaign, ranking_query(campaign)[:PREVIEW_UNITS])
    self_url, sheet_url = unit_urls("self_unit"), unit_urls("unit_result")
    can_review = policy_allows(request.user, Action.REVIEW_SCORE)
    unit_rows = [
        {
            "unit": row.unit,
            "self_url": self_url(row.unit.code),
            "sheet_url": sheet_url(row.unit.code),
            "filled": row.filled,
            "scored": row.scored,
            "returns": row.returns,
            "assessment": row.assessment,
            "total": row.total,
        }
        for row in progress.units
    ]
    unit_rows_key = rows_key(
        (
            r["unit"].code,
            r["unit"].name,
            r["filled"],
            r["scored"],
            r["returns"],
            r["total"],
            r["assessment"].submitted_at if r["assessment"] else None,
            r["assessment"].reopened_until if r["assessment"] else None,
        )
        for r in unit_rows
    )
    department_rows = []
    for department in rubric.departments:
        owned = {item.id for item in rubric.items if department.code in item.departments}
        department_rows.append(
            {
                "name": department.name,
                "items": len(owned),
                "done": progress.scored_of(owned),
                "total": len(owned) * progress.unit_count,
            }
        )

    def pct(part: int, whole: int) -> int:
        return round(part * 100 / whole) if whole else 0

    charts = {
        "units": {
            "labels": [r["unit"].name for r in unit_rows],
            "series": [
                {"name": "自评填报", "values": [pct(r["filled"], r["total"]) for r in unit_rows]},
                {"name": "考评完成", "values": [pct(r["scored"], r["total"]) for r in unit_rows]},
            ],
        },
        "departments": {
            "rings": [
                {
                    "name": r["name"],
                    "done": r["done"],
                    "total": r["total"],
                    "percent": pct(r["done"], r["total"]),
                    "label": f"{r['done']} / {r['total']}",
                }
                for r in department_rows
            ]
        },
    }
    return {
        "outcome": outcome,
        "unit_rows": unit_rows,
        "unit_rows_key": fragment_key(unit_rows_key, can_review),
        "unit_count": progress.unit_count,
        "page": page,
        "search": search,
        "department_rows": department_rows,
        "charts": charts,
        "review_url": reverse("review_queue"),
        "can_review": can_review,
        "can_record": policy_allows(request.user, Action.EVENT_RECORD),
        "unscored": progress.summary.unscored,
        "submitted": progress.submitted,
        "notice_settings": notice_settings(campaign),
    }


@allowed(Action.DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    campaign = campaign_chosen(request)
    role = actor_of(request.user).role  # which dashboard to draw, not who may do what
    context: dict = {}
    if campaign is None:
        return render(request, "web/dashboard_empty.html")
    context["objections"] = objections_summary(request.user, campaign)
    if role == Role.FILLER:
        unit = own_unit(request.user)
        rows = self_rows(request, campaign, unit, list(campaign.rubric.definition.items))
        context.update(
            {
                "unit": unit,
                "progress": self_progress(request, campaign, unit, rows),
                "returned": [r for r in rows if r.returned],
                "editable": any(r.refusal is None for r in rows),
                "refusal": next((r.refusal for r in rows if r.refusal), ""),
            }
        )
        return render(request, "web/dashboard_filler.html", context)
    if role == Role.ASSESSOR:
        items = items_owned_by(request.user, campaign.rubric.definition)
        owned = {item.id for item in items}
        visible = units_visible_to(request.user)
        page, search = unit_page(request, visible)
        every_unit = sees_every_unit(request.user)
        progress = campaign_progress(campaign, visible, list(page.object_list), every_unit=every_unit)
        per_unit = [
            {
                "code": row.unit.code,
                "name": row.unit.name,
                "done": len(owned) - sum(1 for i in progress.unscored.get(row.unit.pk, []) if i in owned),
                "total": len(owned),
            }
            for row in progress.units
        ]
        context.update(
            {
                "items": items,
                "per_unit": per_unit,
                "page": page,
                "search": search,
                "done": progress.scored_of(owned),
                "total": progress.unit_count * len(owned),
                "returns": ItemReturn.objects.filter(
                    campaign=campaign, resolved_at__isnull=True, item_id__in=[i.id for i in items]
                ).count(),
            }
        )
        return render(request, "web/dashboard_assessor.html", context)
    context.update(_overview(request, campaign))
    context["buttons"] = state_buttons(request.user, campaign)
    if policy_allows(request.user, Action.LATE_READ):
        context["late"] = late_overview(campaign, timezone.localdate())
    return render(request, "web/dashboard.html", context)
