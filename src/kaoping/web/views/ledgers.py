"""台帐与报送: upload a ledger or score sheet (all or nothing), download its template, see the reports filed;
and the group's record of 约谈 / 问责 / 数据不实."""

import datetime
import tempfile
from pathlib import Path

from django.contrib import messages
from django.db.models import BooleanField, Case, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kaoping.assessments.findings import GROUP_EVENT_KINDS, event_record, event_remove
from kaoping.assessments.results import ledger_counts_stored
from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError, NotFound, RowErrors
from kaoping.importing import KINDS, file_import, upload_limit_mb, upload_too_large
from kaoping.ledgers.facts import gather_facts, on_time_condition
from kaoping.ledgers.models import Event, EventKind, ReportKind, Submission
from kaoping.ledgers.template import write_template
from kaoping.org.models import Unit
from kaoping.org.policy import Action, actor_of, import_kinds_for, policy_refusal, unit_scope_of
from kaoping.org.selectors import unit_visible, units_visible_to

from ..exports import XLSX, attachment
from ..forms import EventForm
from ..fragments import rows_key
from .common import allowed, campaign_required, unit_page


def _kinds_for(user) -> list:
    """The kinds this person may upload (the policy's list; the import service asks again)."""
    return [KINDS[name] for name in import_kinds_for(actor_of(user))]


def _submission_table(campaign: Campaign, unit: Unit) -> list[dict]:
    """The unit's monthly reports of the year, each marked on time or late by the scoring rule."""
    year, due_day = campaign.year, campaign.rubric.definition.monthly_report_due_day
    filed = {
        (s.kind, s.period): s
        for s in Submission.objects.filter(unit=unit, period__startswith=str(year)).annotate(
            on_time=Case(
                When(on_time_condition(year, due_day), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    }
    months = []
    for month in range(1, 13):
        period = f"{year}-{month:02d}"
        months.append(
            {
                "period": period,
                "due": datetime.date(year, month, due_day),
                "reports": [
                    filed.get((kind, period)) for kind in (ReportKind.PATROL_MONTHLY, ReportKind.CASE_MONTHLY)
                ],
            }
        )
    return months


def _ledger_summary(campaign: Campaign, units: list[Unit]) -> list[dict]:
    """What the imported ledgers hold for these units in the year, as the rules count it (one query a kind)."""
    facts = gather_facts(
        campaign.year, campaign.rubric.definition, [unit.pk for unit in units], limit_to_units=True
    )
    rows = []
    for unit in units:
        counted = facts[unit.pk]
        rows.append(
            {
                "unit": unit,
                "facts": counted,
                "events": sum(counted.event_counts.values()),
                "event_kinds": [
                    (kind.label, counted.event_counts[kind])
                    for kind in EventKind
                    if counted.event_counts.get(kind)
                ],
            }
        )
    return rows


def _ledger_table(campaign: Campaign, units: list[Unit]) -> list[dict]:
    """The group's table: each unit's counts as stored with its result."""
    counts = ledger_counts_stored(campaign, units)
    labels = {kind.value: kind.label for kind in EventKind}
    rows = []
    for unit in units:
        counted = counts[unit.pk]
        events = counted["events"]
        rows.append(
            {
                "unit": unit,
                "counts": counted,
                "events": sum(events.values()),
                "event_kinds": [(labels[kind], events[kind]) for kind in labels if events.get(kind)],
            }
        )
    return rows


@allowed(Action.IMPORT)
def ledgers(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    kinds = _kinds_for(request.user)
    own = unit_scope_of(request.user)
    unit_scope = Unit.objects.get(pk=own) if own is not None else None
    context: dict = {
        "kinds": kinds,
        "unit_scope": unit_scope,
        "chosen": request.POST.get("kind", ""),
        "max_mb": upload_limit_mb(),
    }
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("kind", "")
        refusal = policy_refusal(request.user, Action.IMPORT, kind=kind) if kind in KINDS else None
        if kind not in KINDS:
            context["error"] = "请选择要导入的台帐类型"
        elif refusal is not None:
            context["error"], context["status"] = refusal, 403
        elif upload is None:
            context["error"] = "请选择要上传的文件（.xlsx 或 UTF-8 编码的 .csv）"
        elif too_large := upload_too_large(name=upload.name or "", size=upload.size):
            context["error"] = too_large
        else:
            try:
                report = file_import(
                    kind=kind,
                    path=upload.name,
                    year=campaign.year,
                    actor=request.user,
                    content=upload.read(),
                )
                messages.success(request, f"{upload.name}：{report}")
                return redirect(reverse("ledgers"))
            except RowErrors as problems:
                context["error"] = (
                    f"{upload.name}：发现 {len(problems.errors)} 处错误，未导入任何数据。请修改后重新上传。"
                )
                context["row_errors"] = problems.errors
            except KaopingError as problem:
                context["error"], context["status"] = str(problem), problem.http_status
    if unit_scope is not None:
        context["summary"] = _ledger_summary(campaign, [unit_scope])[0]
        context["months"] = _submission_table(campaign, unit_scope)
        context["analyses"] = list(
            Submission.objects.filter(
                unit=unit_scope, kind=ReportKind.ANALYSIS, period__startswith=str(campaign.year)
            ).order_by("period")
        )
    else:
        page, search = unit_page(request, units_visible_to(request.user))
        context.update(page=page, search=search)
        table = _ledger_table(campaign, list(page.object_list))
        context["unit_summaries"] = table
        context["ledger_rows_key"] = rows_key(
            (
                r["unit"].name,
                tuple(sorted(r["counts"].items(), key=str)),
                r["events"],
                tuple(r["event_kinds"]),
            )
            for r in table
        )
    status = context.pop("status", 400) if context.get("error") else 200
    return render(request, "web/ledgers.html", context, status=status)


@allowed(Action.IMPORT)
def ledger_template(request: HttpRequest, kind: str) -> HttpResponse:
    campaign = campaign_required(request)
    spec = next((k for k in _kinds_for(request.user) if k.name == kind), None)
    if spec is None:
        raise NotFound(f"没有“{kind}”模板，或您无权导入该类型")
    extra: dict[str, list[str]] = {}
    if spec.name != "units":
        extra["单位代码"] = list(units_visible_to(request.user).values_list("code", flat=True))
    if spec.needs_campaign:
        extra["条目"] = [item.id for item in campaign.rubric.definition.items]
    with tempfile.TemporaryDirectory() as folder:
        path = write_template(spec, Path(folder) / f"{spec.name}.xlsx", extra)
        data = path.read_bytes()
    return attachment(HttpResponse(data, content_type=XLSX), f"{spec.label}模板.xlsx")


@allowed(Action.EVENT_RECORD)
def events(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    units = list(units_visible_to(request.user).order_by("code"))
    first, last = datetime.date(campaign.year, 1, 1), datetime.date(campaign.year, 12, 31)
    form = EventForm(request.POST or None, initial={"date": max(first, min(timezone.localdate(), last))})
    form.fields["unit"].choices = [("", "请选择单位")] + [(u.code, u.name) for u in units]
    form.fields["kind"].choices = [(k.value, k.label) for k in GROUP_EVENT_KINDS]
    form.fields["date"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                unit = unit_visible(request.user, form.cleaned_data["unit"])
                event = event_record(
                    campaign=campaign,
                    unit=unit,
                    kind=form.cleaned_data["kind"],
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
                messages.success(request, f"已记录：{unit.name} {event.date:%Y-%m-%d} {event.kind}。")
                return redirect(reverse("events"))
            except KaopingError as problem:
                form.add_error(None, str(problem))
        status = 400
    recorded = (
        Event.objects.filter(kind__in=GROUP_EVENT_KINDS, date__year=campaign.year)
        .select_related("unit")
        .order_by("-date", "unit__code")
    )
    context = {"form": form, "recorded": recorded, "strays": _stray_events()}
    return render(request, "web/events.html", context, status=status)


def _stray_events():
    """Events dated in a year without a campaign (recorded before dates were checked): shown to be removed."""
    years = Campaign.objects.values_list("year", flat=True)
    return (
        Event.objects.filter(kind__in=GROUP_EVENT_KINDS)
        .exclude(date__year__in=list(years))
        .select_related("unit")
        .order_by("-date", "unit__code")
    )


@require_POST
@allowed(Action.EVENT_REMOVE)
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_required(request)
    event = (
        Event.objects.filter(pk=pk, kind__in=GROUP_EVENT_KINDS, date__year=campaign.year)
        .select_related("unit")
        .first()
    ) or _stray_events().filter(pk=pk).first()
    if event is None:
        raise NotFound(f"{campaign.year} 年度没有该约谈、问责或数据不实记录（可能已被删除）")
    described = f"{event.unit.name} {event.date:%Y-%m-%d} {event.kind}"
    try:
        event_remove(event=event, reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, f"已删除：{described}。")
    except KaopingError as problem:
        messages.error(request, f"未能删除{described}：{problem}")
    return redirect(reverse("events"))
