"""自评: a unit's self score, note and evidence per item, saved row by row; submission and reopening."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaoping.assessments.evidence import evidence_attach
from kaoping.assessments.models import Evidence, ItemReturn, SelfAssessment, SelfScore
from kaoping.assessments.results import unit_result_stored
from kaoping.assessments.services import (
    SELF,
    self_assessment_reopen,
    self_assessment_submit,
    self_scopes,
)
from kaoping.campaigns.models import Campaign, State
from kaoping.errors import KaopingError, NotFound
from kaoping.org.models import Unit
from kaoping.org.policy import Action, policy_allows, policy_refusal, unit_scope_of
from kaoping.org.selectors import own_unit, unit_visible
from kaoping.rubrics.schema import Item

from ..forms import ReopenForm
from .common import allowed, campaign_required, score_save


@dataclass
class SelfRow:
    unit: Unit
    item: Item
    score: Decimal | None = None
    note: str = ""
    version: int = 0
    evidence: list[Evidence] = field(default_factory=list)
    returned: ItemReturn | None = None
    refusal: str | None = None
    computed: Decimal | None = None
    explanation: str = ""
    message: str = ""
    error: str = ""
    conflict: dict | None = None
    typed: dict | None = None  # what the person typed, shown again after an error or a conflict

    @property
    def status(self) -> str:
        if self.returned is not None:
            return "returned"
        return "done" if self.score is not None else "todo"


def _unit_for(request: HttpRequest, code: str | None) -> Unit:
    if code is None:
        own = own_unit(request.user)
        if own is None:
            raise NotFound("请从工作台选择要查看自评的单位")
        return own
    return unit_visible(request.user, code)


def _item(campaign: Campaign, item_id: str) -> Item:
    item = campaign.rubric.definition.item_map.get(item_id)
    if item is None:
        raise NotFound(f"考评细则中没有条目 {item_id}")
    return item


def self_rows(request: HttpRequest, campaign: Campaign, unit: Unit, items: list[Item]) -> list[SelfRow]:
    ids = [item.id for item in items]
    scores = {s.item_id: s for s in SelfScore.objects.filter(campaign=campaign, unit=unit, item_id__in=ids)}
    evidence: dict[str, list[Evidence]] = {}
    for file in Evidence.objects.filter(campaign=campaign, unit=unit, item_id__in=ids).order_by(
        "uploaded_at"
    ):
        evidence.setdefault(file.item_id, []).append(file)
    returns = {
        r.item_id: r
        for r in ItemReturn.objects.filter(
            campaign=campaign, unit=unit, item_id__in=ids, resolved_at__isnull=True
        ).select_related("returned_by")
    }
    outcome = unit_result_stored(campaign, unit)
    scopes = self_scopes(campaign, [(unit, item) for item in items])
    rows = []
    for item, scope in zip(items, scopes, strict=True):
        stored = scores.get(item.id)
        result = outcome.items.get(item.id) if outcome else None
        rows.append(
            SelfRow(
                unit=unit,
                item=item,
                score=stored.score if stored else None,
                note=stored.note if stored else "",
                version=stored.version if stored else 0,
                evidence=evidence.get(item.id, []),
                returned=returns.get(item.id),
                refusal=policy_refusal(request.user, Action.SELF_SCORE, scope),
                computed=result.computed if result else None,
                explanation=result.explanation if result else "",
            )
        )
    return rows


@dataclass
class SelfProgress:
    """The counters above the items and the state of the submission, kept current after each save."""

    filled: int
    total: int
    claimed: Decimal
    assessment: SelfAssessment | None
    can_submit: bool  # the submit button is shown (a 填报员 of this unit while 自评中)
    blocked: str  # why it is disabled: the service's refusal, or the items still missing

    @property
    def missing(self) -> int:
        return self.total - self.filled

    @property
    def submitted_at(self):
        return self.assessment.submitted_at if self.assessment else None


def self_progress(
    request: HttpRequest, campaign: Campaign, unit: Unit, rows: list[SelfRow] | None = None
) -> SelfProgress:
    """The counters: from `rows` when the page drew every item, else counted in the database."""
    ids = [item.id for item in campaign.rubric.definition.items]
    if rows is not None and [row.item.id for row in rows] == ids:
        scores = [row.score for row in rows if row.score is not None]
        counted = {"filled": len(scores), "claimed": sum(scores, Decimal("0.00"))}
    else:
        counted = SelfScore.objects.filter(campaign=campaign, unit=unit, item_id__in=ids).aggregate(
            filled=Count("id"), claimed=Sum("score")
        )
    assessment = SelfAssessment.objects.filter(campaign=campaign, unit=unit).first()
    progress = SelfProgress(
        filled=counted["filled"],
        total=len(ids),
        claimed=counted["claimed"] or Decimal("0.00"),
        assessment=assessment,
        can_submit=False,
        blocked="",
    )
    submitter = policy_allows(request.user, Action.SELF_SUBMIT, unit_id=unit.pk, unit_name=unit.name)
    if submitter and campaign.state == State.SELF_ASSESSMENT and progress.submitted_at is None:
        progress.can_submit = True
        refusal = policy_refusal(request.user, Action.SELF_SUBMIT, self_scopes(campaign, [(unit, None)])[0])
        progress.blocked = refusal or (f"还有 {progress.missing} 项未填" if progress.missing else "")
    return progress


@allowed(Action.SELF_READ)
def self_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    if code is None and unit_scope_of(request.user) is None:
        return redirect(reverse("dashboard"))  # the city's roles pick a unit there
    campaign = campaign_required(request)
    unit = _unit_for(request, code)
    rubric = campaign.rubric.definition
    rows = self_rows(request, campaign, unit, list(rubric.items))
    by_item = {row.item.id: row for row in rows}
    sections = [(section, [by_item[item.id] for item in section.items]) for section in rubric.sections]
    context = {
        "unit": unit,
        "sections": sections,
        "progress": self_progress(request, campaign, unit, rows),
        "returned": [row for row in rows if row.returned],
        "editable": any(row.refusal is None for row in rows),
        "refusal": next((row.refusal for row in rows if row.refusal), ""),
        "can_reopen": policy_allows(request.user, Action.SELF_REOPEN),
        "reopen_form": ReopenForm(),
    }
    return render(request, "web/self.html", context)


def _render_row(
    request: HttpRequest, row: SelfRow, status: int = 200, progress: SelfProgress | None = None
) -> HttpResponse:
    """The row; with `progress`, also the counters and the submit button, swapped out of band."""
    context = {"row": row, "progress": progress, "unit": row.unit}
    return render(request, "web/partials/self_row_response.html", context, status=status)


@require_POST
@allowed(Action.SELF_SCORE)
def self_save(request: HttpRequest, code: str, item_id: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    item = _item(campaign, item_id)
    answer = score_save(request, kind=SELF, campaign=campaign, unit=unit, item=item, note_field="note")
    row = self_rows(request, campaign, unit, [item])[0]
    row.message, row.error, row.conflict, row.typed = (
        answer.message,
        answer.error,
        answer.conflict,
        answer.typed,
    )
    return _render_row(request, row, answer.status, self_progress(request, campaign, unit))


@require_POST
@allowed(Action.SELF_SCORE)
def evidence_upload(request: HttpRequest, code: str, item_id: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    item = _item(campaign, item_id)
    upload = request.FILES.get("file")
    status, message, error = 200, "", ""
    if upload is None:
        status, error = 400, "请选择要上传的文件"
    else:
        try:
            evidence_attach(
                campaign=campaign,
                unit=unit,
                item=item,
                name=upload.name,
                size=upload.size,
                content=upload,
                actor=request.user,
            )
            message = f"已上传 {upload.name}"
        except KaopingError as problem:
            status, error = problem.http_status, str(problem)
    row = self_rows(request, campaign, unit, [item])[0]
    row.message, row.error = message, error
    return _render_row(request, row, status)


@require_POST
@allowed(Action.SELF_SUBMIT)
def self_submit(request: HttpRequest, code: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    try:
        self_assessment_submit(campaign=campaign, unit=unit, actor=request.user)
        messages.success(request, f"{unit.name}的自评已提交。")
    except KaopingError as problem:
        messages.error(request, f"未能提交：{problem}")
    if unit_scope_of(request.user) is not None:
        return redirect(reverse("self_page"))
    return redirect(reverse("self_unit", args=[unit.code]))


@require_POST
@allowed(Action.SELF_REOPEN)
def self_reopen(request: HttpRequest, code: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "重新开放需要填写日期和原因："
            + "；".join(form.errors.get("until", []) + form.errors.get("reason", [])),
        )
    else:
        try:
            self_assessment_reopen(
                campaign=campaign,
                unit=unit,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
            messages.success(
                request, f"已重新开放{unit.name}的自评，至 {form.cleaned_data['until']:%Y年%m月%d日}。"
            )
        except KaopingError as problem:
            messages.error(request, f"未能重新开放：{problem}")
    return redirect(reverse("self_unit", args=[unit.code]))
