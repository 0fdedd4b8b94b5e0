"""考评任务: the items a department owns across every unit; review scores saved row by row; returns."""

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kaoping.assessments.models import Evidence, ItemReturn, ReviewScore, SelfScore
from kaoping.assessments.results import item_outcomes_stored, unscored_pairs
from kaoping.assessments.selectors import item_unscored_of
from kaoping.assessments.services import REVIEW, item_return, review_scope
from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError, NotFound
from kaoping.org.models import Unit
from kaoping.org.policy import Action, policy_refusal
from kaoping.org.selectors import items_owned_by, unit_visible, units_visible_to
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


class TaskPairs:
    """The (unit, item) pairs of a person's review task that match the filters, in unit then item order,
    as a sequence the Paginator can count and slice without building 100,000 pairs. Unfiltered by
    status, every unit has every item: counting and slicing are arithmetic. Filtered, the count of each
    status per unit comes from aggregates and the few stored exceptions (returns, 未评 items), read only
    when the status asked for needs them; only the units of the page are read pair by pair."""

    def __init__(self, campaign: Campaign, units: list[tuple[int, str, str]], items: list[Item], status: str):
        self.campaign, self.units, self.items, self.status = campaign, units, items, status
        self.item_ids = [item.id for item in items]
        self.scope = {"campaign": campaign, "item_id__in": self.item_ids}

    def with_status(self, status: str) -> "TaskPairs":
        """The same task read once, listed by another status."""
        other = copy.copy(self)
        other.status = status
        return other

    @cached_property
    def returned(self) -> dict[int, set[str]]:
        returned: dict[int, set[str]] = {}
        for unit_id, item_id in ItemReturn.objects.filter(resolved_at__isnull=True, **self.scope).values_list(
            "unit_id", "item_id"
        ):
            returned.setdefault(unit_id, set()).add(item_id)
        return returned

    @cached_property
    def unscored_raw(self) -> dict[int, set[str]]:
        owned = set(self.item_ids)
        return {
            unit_id: {i for i in missing if i in owned}
            for unit_id, missing in unscored_pairs(self.campaign).items()
        }

    @cached_property
    def unscored(self) -> dict[int, set[str]]:
        return {u: ids - self.returned.get(u, set()) for u, ids in self.unscored_raw.items()}

    @cached_property
    def reviewed_raw(self) -> dict[int, int]:
        return dict(
            ReviewScore.objects.filter(**self.scope).values_list("unit_id").annotate(n=Count("id")).order_by()
        )

    @cached_property
    def reviewed(self) -> dict[int, int]:
        reviewed = dict(self.reviewed_raw)
        # A returned pair counts as returned whether or not it has a review score.
        for unit_id, item_id in ReviewScore.objects.filter(
            unit__in=list(self.returned), **self.scope
        ).values_list("unit_id", "item_id"):
            if item_id in self.returned[unit_id]:
                reviewed[unit_id] -= 1
        return reviewed

    def progress(self, visible: QuerySet[Unit]) -> dict:
        """The counters above the queue over this task (every unit and item of the person's): counts
        and the year's stored summary, not a row per unit."""
        total = len(self.units) * len(self.items)
        per_item = item_unscored_of(self.campaign, visible, len(self.units))
        unscored = sum(per_item.get(item_id, 0) for item_id in self.item_ids)
        scope = dict(self.scope)
        if len(self.units) != Unit.objects.count():  # a person who sees some units only
            scope["unit__in"] = [unit_id for unit_id, _, _ in self.units]
        return {
            "total": total,
            "scored": total - unscored,
            "reviewed": ReviewScore.objects.filter(**scope).count(),
            "returned": ItemReturn.objects.filter(resolved_at__isnull=True, **scope).count(),
            "unscored": unscored,
        }

    def _matching(self, unit_id: int) -> int:
        if self.status == "returned":
            return len(self.returned.get(unit_id, ()))
        if self.status == "reviewed":
            return self.reviewed.get(unit_id, 0)
        if self.status == "unscored":
            return len(self.unscored.get(unit_id, ()))
        returned = len(self.returned.get(unit_id, ()))
        unscored = len(self.unscored.get(unit_id, ()))
        return len(self.items) - returned - unscored - self.reviewed.get(unit_id, 0)  # "rule"

    def count(self) -> int:
        if not self.status:
            return len(self.units) * len(self.items)
        return sum(self._matching(unit_id) for unit_id, _, _ in self.units)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[tuple[Unit, Item]]:
        start, stop = window.start or 0, window.stop
        if not self.status:  # every unit has every item
            per_unit = len(self.items)
            stop = self.count() if stop is None else min(stop, self.count())
            pairs = []
            for position in range(start, stop):
                unit_id, code, name = self.units[position // per_unit]
                pairs.append((Unit(pk=unit_id, code=code, name=name), self.items[position % per_unit]))
            return pairs
        chosen: list[tuple[tuple[int, str, str], int]] = []  # (unit, how many of its pairs to skip)
        position = 0
        for unit in self.units:
            n = self._matching(unit[0])
            if position + n > start and (stop is None or position < stop):
                chosen.append((unit, max(0, start - position)))
            position += n
            if stop is not None and position >= stop:
                break
        unit_ids = [unit[0] for unit, _ in chosen]
        reviewed = set(
            ReviewScore.objects.filter(
                campaign=self.campaign, unit__in=unit_ids, item_id__in=self.item_ids
            ).values_list("unit_id", "item_id")
        )
        pairs = []
        wanted = None if stop is None else stop - start
        for (unit_id, code, name), skip in chosen:
            unit = Unit(pk=unit_id, code=code, name=name)
            matching = [
                item for item in self.items if self._status(unit_id, item.id, reviewed) == self.status
            ]
            pairs += [(unit, item) for item in matching[skip:]]
        return pairs if wanted is None else pairs[:wanted]

    def _status(self, unit_id: int, item_id: str, reviewed: set[tuple[int, str]]) -> str:
        """The same order as ReviewRow.status: returned, reviewed, computed (rule), 未评 (the 未评
        lists are read only when the status asked for is one of the last two)."""
        if item_id in self.returned.get(unit_id, ()):
            return "returned"
        if (unit_id, item_id) in reviewed:
            return "reviewed"
        if self.status in ("returned", "reviewed"):
            return "other"
        return "unscored" if item_id in self.unscored.get(unit_id, ()) else "rule"


def _task_units(request: HttpRequest, search: str = "") -> list[tuple[int, str, str]]:
    units = units_visible_to(request.user).order_by("code")
    if search:
        units = units.filter(Q(code=search) | Q(name__contains=search))
    return list(units.values_list("pk", "code", "name"))


def _queue(request: HttpRequest, campaign: Campaign) -> tuple[TaskPairs, dict]:
    chosen_unit, chosen_item = request.GET.get("unit", "").strip(), request.GET.get("item", "")
    chosen_status = request.GET.get("status", "")
    if chosen_status not in {value for value, _ in STATUSES}:
        chosen_status = ""
    items = items_owned_by(request.user, campaign.rubric.definition)
    every_unit = _task_units(request)
    task = TaskPairs(campaign, every_unit, items, "")
    shown = task.with_status(chosen_status)
    if chosen_unit or chosen_item:
        shown_items = [i for i in items if i.id == chosen_item] if chosen_item else items
        units = _task_units(request, chosen_unit) if chosen_unit else every_unit
        shown = TaskPairs(campaign, units, shown_items, chosen_status)
    filters = {
        "units": [Unit(pk=pk, code=code, name=name) for pk, code, name in every_unit]
        if len(every_unit) <= UNIT_SELECT_MAX
        else None,
        "items": items,
        "statuses": STATUSES,
        "unit": chosen_unit,
        "item": chosen_item,
        "status": chosen_status,
        "progress": task.progress(units_visible_to(request.user)),
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
    progress = TaskPairs(campaign, _task_units(request), items, "").progress(units_visible_to(request.user))
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
