"""加分扣分记录: the group records an entry of a 加分项 / 扣分项 the year's rubric declares (依据 and evidence),
sees every entry with what it counts after the cap, and removes a wrong one with a reason."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kaoping.assessments.adjustments import (
    EvidenceUpload,
    adjustment_entries_visible,
    adjustment_entry_visible,
    adjustment_record,
    adjustment_remove,
    adjustment_rows,
)
from kaoping.assessments.results import results_stored
from kaoping.errors import KaopingError, NotFound
from kaoping.org.policy import Action
from kaoping.org.selectors import unit_visible, units_visible_to

from ..forms import AdjustmentForm
from .common import allowed, campaign_required
from .evidence import file_response


@allowed(Action.ADJUSTMENT_RECORD)
def adjustments(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    rubric = campaign.rubric.definition
    today = timezone.localdate()
    first = datetime.date(campaign.year, 1, 1)
    form = AdjustmentForm(
        request.POST or None,
        request.FILES or None,
        initial={"date": max(first, min(today, first.replace(month=12, day=31)))},
    )
    form.fields["unit"].choices = [("", "请选择单位")] + [
        (u.code, u.name) for u in units_visible_to(request.user).order_by("code")
    ]
    form.fields["adjustment"].choices = [
        (a.id, f"{a.id} {a.kind.label}：{a.name}（每项{a.kind.verb} {a.points} 分，最多 {a.max} 分）")
        for a in rubric.adjustments
    ]
    form.fields["date"].widget.attrs.update(min=first.isoformat(), max=today.isoformat())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["evidence"]
            try:
                unit = unit_visible(request.user, form.cleaned_data["unit"])
                entry = adjustment_record(
                    campaign=campaign,
                    unit=unit,
                    adjustment_id=form.cleaned_data["adjustment"],
                    date=form.cleaned_data["date"],
                    basis=form.cleaned_data["basis"],
                    evidence=EvidenceUpload(upload.name or "", upload.size or 0, upload),
                    actor=request.user,
                )
                messages.success(
                    request,
                    f"已记录：{unit.name} {entry.adjustment_id} {entry.date:%Y-%m-%d} {entry.basis}。",
                )
                return redirect(reverse("adjustments"))
            except KaopingError as problem:
                form.add_error(None, str(problem))
                status = problem.http_status
        else:
            status = 400
    rows = adjustment_rows(campaign, adjustment_entries_visible(request.user, campaign))
    codes = sorted({row.entry.unit.code for row in rows})
    counted = (
        {u.code: u.adjustments for u in results_stored(campaign, codes, with_items=False).units}
        if codes
        else {}
    )
    context = {
        "form": form,
        "declared": rubric.adjustments,
        "rows": rows,
        "counted": counted,
        "max_mb": settings.EVIDENCE_MAX_BYTES // 1048576,
    }
    return render(request, "web/adjustments.html", context, status=status)


@require_POST
@allowed(Action.ADJUSTMENT_REMOVE)
def adjustment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_required(request)
    try:
        entry = adjustment_entry_visible(request.user, pk)
        if entry.campaign_id != campaign.pk:
            raise NotFound(f"{campaign.year} 年度没有该加分、扣分记录（可能已被删除）")
        described = f"{entry.unit.name} {entry.adjustment_id} {entry.date:%Y-%m-%d} {entry.basis}"
        adjustment_remove(entry=entry, reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, f"已删除：{described}。")
    except KaopingError as problem:
        messages.error(request, f"未能删除记录：{problem}")
    return redirect(reverse("adjustments"))


@allowed(Action.DASHBOARD)
def adjustment_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    entry = adjustment_entry_visible(request.user, pk)
    return file_response(entry.file, entry.original_name)
