"""整改跟踪: the 不合格 units' rectification, and the sanctions when it is judged inadequate."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaoping.assessments.followup import (
    SANCTIONS,
    failed_unit_ids,
    rectification_judge_inadequate,
    rectification_update,
)
from kaoping.assessments.models import Rectification, UnitResult
from kaoping.errors import KaopingError
from kaoping.org.policy import Action, policy_allows
from kaoping.org.selectors import unit_visible

from ..forms import InadequateForm, RectificationForm
from .common import allowed, campaign_required


@allowed(Action.FOLLOWUP_READ)
def followup(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    failed = failed_unit_ids(campaign)
    results = (
        UnitResult.objects.filter(campaign=campaign, unit_id__in=failed)
        .select_related("unit")
        .order_by("rank")
    )
    records = {
        r.unit_id: r
        for r in Rectification.objects.filter(campaign=campaign, unit_id__in=failed).prefetch_related(
            "sanctions"
        )
    }
    entries = []
    for result in results:
        record = records.get(result.unit_id)
        entries.append(
            {
                "result": result,
                "record": record,
                "form": RectificationForm(
                    initial={
                        "measures": record.measures if record else "",
                        "deadline": record.deadline if record else None,
                        "progress": record.progress if record else "",
                    },
                    prefix=result.unit.code,
                ),
                "judge_form": InadequateForm(prefix=f"j{result.unit.code}"),
            }
        )
    context = {
        "entries": entries,
        "editable": policy_allows(request.user, Action.FOLLOWUP_EDIT),
        "sanction_rules": SANCTIONS,
    }
    return render(request, "web/followup.html", context)


def _errors(form) -> str:
    """Each invalid field by its label, with Django's (Chinese) message."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{'，'.join(errors)}" if label else "，".join(errors))
    return "；".join(parts)


@require_POST
@allowed(Action.FOLLOWUP_EDIT)
def followup_update(request: HttpRequest, code: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    form = RectificationForm(request.POST, prefix=unit.code)
    if not form.is_valid():
        messages.error(request, f"{unit.name}：{_errors(form)}")
    else:
        try:
            rectification_update(campaign=campaign, unit=unit, actor=request.user, **form.cleaned_data)
            messages.success(request, f"已保存{unit.name}的整改情况。")
        except KaopingError as problem:
            messages.error(request, f"{unit.name}：{problem}")
    return redirect(reverse("followup") + f"#unit-{unit.code}")


@require_POST
@allowed(Action.FOLLOWUP_EDIT)
def followup_judge(request: HttpRequest, code: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    form = InadequateForm(request.POST, prefix=f"j{unit.code}")
    if not form.is_valid():
        messages.error(request, f"{unit.name}：{_errors(form)}")
    else:
        try:
            rectification_judge_inadequate(
                campaign=campaign, unit=unit, actor=request.user, **form.cleaned_data
            )
            messages.success(request, f"已认定{unit.name}整改措施不力，并记录黄牌警告和诫勉谈话。")
        except KaopingError as problem:
            messages.error(request, f"{unit.name}：{problem}")
    return redirect(reverse("followup") + f"#unit-{unit.code}")
