"""工作台: what each role needs to see first; the group's dashboard with progress and the state buttons."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kaoping.assessments.models import ItemReturn
from kaoping.assessments.results import results_ranking
from kaoping.assessments.selectors import campaign_progress, units_not_submitted
from kaoping.campaigns.models import STATE_ORDER, Campaign, State
from kaoping.org.models import Role
from kaoping.org.policy import Action, actor_of, campaign_facts, policy_allows
from kaoping.org.selectors import items_owned_by, units_visible_to

from ..selectors import by_standing, campaign_chosen
from .common import allowed
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
    cautions = _review_cautions(campaign) if forward == State.REVIEW else []
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


def _overview(campaign: Campaign, units: list) -> dict:
    """Progress per unit and per department (the shared read model), and the ranking preview's totals."""
    outcome = results_ranking(campaign)
    outcome.units = by_standing(outcome.units)
    rubric = outcome.rubric
    progress = campaign_progress(campaign, units)
    unit_rows = [
        {
            "unit": row.unit,
            "filled": row.filled,
            "scored": row.scored,
            "returns": row.returns,
            "assessment": row.assessment,
            "total": row.total,
        }
        for row in progress.units
    ]
    department_rows = []
    for department in rubric.departments:
        owned = {item.id for item in rubric.items if department.code in item.departments}
        department_rows.append(
            {
                "name": department.name,
                "items": len(owned),
                "done": progress.scored_of(owned),
                "total": len(owned) * len(progress.units),
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
        "department_rows": department_rows,
        "charts": charts,
        "unscored": sum(len(ids) for ids in progress.unscored.values()),
        "submitted": progress.submitted,
    }


@allowed(Action.DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    campaign = campaign_chosen(request)
    role = actor_of(request.user).role  # which dashboard to draw, not who may do what
    context: dict = {}
    if campaign is None:
        return render(request, "web/dashboard_empty.html")
    if role == Role.FILLER:
        unit = request.user.profile.unit
        rows = self_rows(request, campaign, unit, list(campaign.rubric.definition.items))
        context.update(
            {
                "unit": unit,
                "progress": self_progress(request, campaign, unit),
                "returned": [r for r in rows if r.returned],
                "editable": any(r.refusal is None for r in rows),
                "refusal": next((r.refusal for r in rows if r.refusal), ""),
            }
        )
        return render(request, "web/dashboard_filler.html", context)
    if role == Role.ASSESSOR:
        items = items_owned_by(request.user, campaign.rubric.definition)
        owned = {item.id for item in items}
        progress = campaign_progress(campaign, list(units_visible_to(request.user).order_by("code")))
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
                "per_unit": sorted(per_unit, key=lambda r: r["code"]),
                "done": sum(r["done"] for r in per_unit),
                "total": sum(r["total"] for r in per_unit),
                "returns": ItemReturn.objects.filter(
                    campaign=campaign, resolved_at__isnull=True, item_id__in=[i.id for i in items]
                ).count(),
            }
        )
        return render(request, "web/dashboard_assessor.html", context)
    units = list(units_visible_to(request.user).order_by("code"))
    context.update(_overview(campaign, units))
    context["buttons"] = state_buttons(request.user, campaign)
    return render(request, "web/dashboard.html", context)
