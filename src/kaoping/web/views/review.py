"""考评任务: the items a department owns across every unit; review scores saved row by row; returns."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kaoping.assessments.models import Evidence, ItemReturn, ReviewScore, SelfScore
from kaoping.assessments.results import item_outcomes_stored
from kaoping.assessments.services import REVIEW, item_return, review_scope
from kaoping.assessments.tasks import ReviewTask
from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError, NotFound
from kaoping.org.models import Unit
from kaoping.org.policy import Action, policy_refusal
from kaoping.org.selectors import items_owned_by, sees_every_unit, unit_visible, units_visible_to
from kaoping.reports.common import SOURCE_LABELS
from kaoping.rubrics.schema import Item
from kaoping.scoring.numbers import fmt2

from ..exports import table_response
from ..fragments import rows_key
from .common import allowed, campaign_required, score_save

PAGE_SIZE = 30
STATUSES = (
    ("", "全部"),
    ("unscored", "未评"),
    ("rule", "自动计分（未复核）"),
    ("reviewed", "已录考评分"),
    ("returned", "已退回"),
)


@dataclass
class ReviewRow:
    unit: Unit
    item: Item
    self_score: Decimal | None = None
    self_note: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    computed: Decimal | None = None
    explanation: str = ""
    final: Decimal | None = None
    source: str | None = None
    review: Decimal | None = None
    reason: str = ""
    version: int = 0
    returned: ItemReturn | None = None
    refusal: str | None = None
    message: str = ""
    error: str = ""
    conflict: dict | None = None
    typed: dict | None = None

    def content(self) -> tuple:
        """Every value the row's HTML shows, for its fragment key."""
        return (
            (self.unit.pk, self.unit.code, self.unit.name, self.item),
            (self.self_score, self.self_note, tuple((f.pk, f.original_name) for f in self.evidence)),
            (self.computed, self.explanation, self.final, self.source, self.review, self.reason),
            (
                self.version,
                self.returned.pk if self.returned else None,
                self.returned and self.returned.comment,
            ),
            (self.refusal, self.message, self.error, self.conflict, self.typed),
        )

    @property
    def status(self) -> str:
        if self.returned is not None:
            return "returned"
        if self.review is not None:
            return "reviewed"
        return "rule" if self.final is not None else "unscored"


def _item(campaign: Campaign, request: HttpRequest, item_id: str) -> Item:
    item = next(
        (i for i in items_owned_by(request.user, campaign.rubric.definition) if i.id == item_id), None
    )
    if item is None:
        raise NotFound(f"条目 {item_id} 不在您的考评任务中")
    return item


def review_rows(
    request: HttpRequest,
    campaign: Campaign,
    pairs: list[tuple[Unit, Item]],
) -> list[ReviewRow]:
    """Rows for these (unit, item) pairs, from their stored outcomes: a handful of queries."""
    stored = item_outcomes_stored(campaign, [(unit.pk, item.id) for unit, item in pairs])
    unit_ids = {unit.pk for unit, _ in pairs}
    item_ids = {item.id for _, item in pairs}
    scope = {"campaign": campaign, "unit__in": unit_ids, "item_id__in": item_ids}
    selfs = {(s.unit_id, s.item_id): s for s in SelfScore.objects.filter(**scope)}
    reviews = {(s.unit_id, s.item_id): s for s in ReviewScore.objects.filter(**scope)}
    evidence: dict[tuple[int, str], list[Evidence]] = {}
    for file in Evidence.objects.filter(**scope).order_by("uploaded_at"):
        evidence.setdefault((file.unit_id, file.item_id), []).append(file)
    returns = {
        (r.unit_id, r.item_id): r for r in ItemReturn.objects.filter(resolved_at__isnull=True, **scope)
    }
    refusals: dict[tuple[int, str], str | None] = {}
    rows = []
    for unit, item in pairs:
        key = (unit.pk, item.id)
        if item.id not in refusals:
            refusals[item.id] = policy_refusal(
                request.user, Action.REVIEW_SCORE, review_scope(campaign, unit, item)
            )
        outcome_item = stored.get(key)
        own, review = selfs.get(key), reviews.get(key)
        rows.append(
            ReviewRow(
                unit=unit,
                item=item,
                self_score=own.score if own else None,
                self_note=own.note if own else "",
                evidence=evidence.get(key, []),
                computed=outcome_item.computed if outcome_item else None,
                explanation=outcome_item.explanation if outcome_item else "",
                final=outcome_item.score if outcome_item else None,
                source=outcome_item.source if outcome_item else None,
                review=review.score if review else None,
                reason=review.note if review else "",
                version=review.version if review else 0,
                returned=returns.get(key),
                refusal=refusals[item.id],
            )
        )
    return rows


UNIT_SELECT_MAX = 200  # above this many units the unit filter is a search box, not a list


def _task(request: HttpRequest, campaign: Campaign, items: list[Item], search: str = "", status: str = ""):
    """The person's review task over the units they see (those matching `search`, when given)."""
    units = units_visible_to(request.user)
    every_unit = sees_every_unit(request.user) and not search
    if search:
        units = units.filter(Q(code=search) | Q(name__contains=search))
    return ReviewTask(campaign, units, items, status, every_unit=every_unit)


def _queue(request: HttpRequest, campaign: Campaign) -> tuple[ReviewTask, dict]:
    chosen_unit, chosen_item = request.GET.get("unit", "").strip(), request.GET.get("item", "")
    chosen_status = request.GET.get("status", "")
    if chosen_status not in {value for value, _ in STATUSES}:
        chosen_status = ""
    items = items_owned_by(request.user, campaign.rubric.definition)
    task = _task(request, campaign, items)
    few = task.unit_count <= UNIT_SELECT_MAX  # counted once: the copy below keeps the count
    shown = task.with_status(chosen_status)
    if chosen_unit or chosen_item:
        shown_items = [i for i in items if i.id == chosen_item] if chosen_item else items
        shown = _task(request, campaign, shown_items, chosen_unit, chosen_status)
    filters = {
        "units": list(task.units.only("pk", "code", "name")) if few else None,
        "items": items,
        "statuses": STATUSES,
        "unit": chosen_unit,
        "item": chosen_item,
        "status": chosen_status,
        "progress": task.progress(),
    }
    return shown, filters


@allowed(Action.REVIEW_SCORE)
def review_queue(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    pairs, filters = _queue(request, campaign)
    if request.GET.get("format") == "xlsx":
        return _export(campaign, review_rows(request, campaign, pairs[0:None]))
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = review_rows(request, campaign, list(page.object_list))
    return render(
        request,
        "web/review.html",
        {
            **filters,
            "page": page,
            "rows": rows,
            "rows_key": rows_key(row.content() for row in rows),
            "query": query.urlencode(),
            "count": page.paginator.count,
        },
    )


def _export(campaign: Campaign, rows: list[ReviewRow]) -> HttpResponse:
    headers = [
        "单位代码",
        "单位",
        "条目",
        "分值",
        "自评分",
        "自评说明",
        "自动计分",
        "计分说明",
        "考评分",
        "扣分原因",
        "最终得分",
        "来源",
    ]

    def number(value: Decimal | None) -> str:
        return "" if value is None else fmt2(value)

    data = [
        [
            r.unit.code,
            r.unit.name,
            r.item.id,
            number(r.item.points),
            number(r.self_score),
            r.self_note,
            number(r.computed),
            r.explanation,
            number(r.review),
            r.reason,
            number(r.final),
            SOURCE_LABELS.get(r.source, "未评"),
        ]
        for r in rows
    ]
    return table_response(f"{campaign.year}年度考评任务", headers, data, numeric={3, 4, 6, 8, 10})


def _row_and_progress(
    request: HttpRequest, campaign: Campaign, unit: Unit, item: Item
) -> tuple[ReviewRow, dict]:
    items = items_owned_by(request.user, campaign.rubric.definition)
    progress = _task(request, campaign, items).progress()
    return review_rows(request, campaign, [(unit, item)])[0], progress


def _render_row(request: HttpRequest, row: ReviewRow, progress: dict, status: int = 200) -> HttpResponse:
    """The row, and the counters above the queue swapped out of band."""
    context = {"row": row, "progress": progress}
    return render(request, "web/partials/review_row_response.html", context, status=status)


@require_POST
@allowed(Action.REVIEW_SCORE)
def review_save(request: HttpRequest, code: str, item_id: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    item = _item(campaign, request, item_id)
    answer = score_save(request, kind=REVIEW, campaign=campaign, unit=unit, item=item, note_field="reason")
    row, progress = _row_and_progress(request, campaign, unit, item)
    row.message, row.error, row.conflict, row.typed = (
        answer.message,
        answer.error,
        answer.conflict,
        answer.typed,
    )
    return _render_row(request, row, progress, answer.status)


@require_POST
@allowed(Action.ITEM_RETURN)
def review_return(request: HttpRequest, code: str, item_id: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    item = _item(campaign, request, item_id)
    status, message, error = 200, "", ""
    try:
        item_return(
            campaign=campaign,
            unit=unit,
            item=item,
            comment=request.POST.get("comment", ""),
            actor=request.user,
        )
        message = f"已退回{unit.name}"
    except KaopingError as problem:
        status, error = problem.http_status, str(problem)
    row, progress = _row_and_progress(request, campaign, unit, item)
    row.message, row.error = message, error
    return _render_row(request, row, progress, status)
