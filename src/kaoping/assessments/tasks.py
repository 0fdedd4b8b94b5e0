"""An assessor's review task: the (unit, item) pairs of the items a department owns across the units a
person sees, in unit-code then rubric order, filtered by status, counted and paged without building
100,000 pairs.

Every status is read the cheapest way it can be: unfiltered, every unit has every item, so counting is
arithmetic and a page reads its units by OFFSET; 已录考评分 pairs are review-score rows, paged by the
database; 已退回 pairs are the few open returns; 未评 and 自动计分 come from the stored 未评 lists (a unit
has few), counted per unit. The counters above the queue are counts and the year's stored summary.
"""

import copy
from functools import cached_property

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, QuerySet, Value, When

from kaoping.campaigns.models import Campaign
from kaoping.org.models import Unit
from kaoping.rubrics.schema import Item

from .models import ItemReturn, ReviewScore
from .results import result_summary, unscored_pairs

UnitRow = tuple[int, str, str]  # id, code, name


class ReviewTask:
    def __init__(
        self,
        campaign: Campaign,
        units: QuerySet[Unit],
        items: list[Item],
        status: str = "",
        *,
        every_unit: bool,
    ):
        """`units` are the units of the task (ordered by code here); `every_unit` says they are all units
        of the system (the year's stored summary then counts for them)."""
        self.campaign, self.items, self.status, self.every_unit = campaign, items, status, every_unit
        self.units = units.order_by("code")
        self.item_ids = [item.id for item in items]
        self.scope = {"campaign": campaign, "item_id__in": self.item_ids}
        if not every_unit:
            self.scope["unit__in"] = self.units

    def with_status(self, status: str) -> "ReviewTask":
        """The same task, listed by another status."""
        other = copy.copy(self)
        other.status = status
        return other

    @cached_property
    def unit_count(self) -> int:
        return self.units.count()

    # ─── the counters ───

    def progress(self) -> dict:
        """The counters above the queue over this task: counts, and the stored 未评 counts per item."""
        total = self.unit_count * len(self.items)
        unscored = sum(len(ids) for ids in self._unscored_raw.values()) if not self.every_unit else 0
        if self.every_unit:
            per_item = result_summary(self.campaign).item_unscored
            unscored = sum(per_item.get(item_id, 0) for item_id in self.item_ids)
        return {
            "total": total,
            "scored": total - unscored,
            "reviewed": ReviewScore.objects.filter(**self.scope).count(),
            "returned": ItemReturn.objects.filter(resolved_at__isnull=True, **self.scope).count(),
            "unscored": unscored,
        }

    # ─── the sequence the Paginator counts and slices ───

    def count(self) -> int:
        if not self.status:
            return self.unit_count * len(self.items)
        if self.status == "reviewed":
            return self._reviewed_pairs().count()
        if self.status == "returned":
            return len(self._returned_pairs)
        return sum(self._matching(unit_id) for unit_id, _, _ in self._unit_rows)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[tuple[Unit, Item]]:
        start, stop = window.start or 0, window.stop
        if not self.status:
            return self._every_pair(start, stop)
        if self.status == "reviewed":
            rows = self._reviewed_pairs().values_list("unit_id", "unit__code", "unit__name", "item_id")
            return [self._pair(*row) for row in (rows[start:stop] if stop is not None else rows[start:])]
        if self.status == "returned":
            return [self._pair(*row) for row in self._returned_pairs[start:stop]]
        return self._pairs_by_unit(start, stop)

    # ─── each status ───

    def _pair(self, unit_id: int, code: str, name: str, item_id: str) -> tuple[Unit, Item]:
        return Unit(pk=unit_id, code=code, name=name), self._items_by_id[item_id]

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def _rubric_order(self) -> Case:
        whens = [When(item_id=item_id, then=Value(n)) for n, item_id in enumerate(self.item_ids)]
        return Case(*whens, default=Value(len(whens)), output_field=IntegerField())

    def _every_pair(self, start: int, stop: int | None) -> list[tuple[Unit, Item]]:
        per_unit = len(self.items)
        stop = self.count() if stop is None else min(stop, self.count())
        if not per_unit or start >= stop:
            return []
        first = start // per_unit
        units = list(self.units.values_list("pk", "code", "name")[first : (stop - 1) // per_unit + 1])
        pairs = []
        for position in range(start, stop):
            unit_id, code, name = units[position // per_unit - first]
            pairs.append((Unit(pk=unit_id, code=code, name=name), self.items[position % per_unit]))
        return pairs

    def _reviewed_pairs(self) -> QuerySet[ReviewScore]:
        """Review scores of the task whose item is not returned (a returned pair is listed as returned)."""
        open_return = ItemReturn.objects.filter(
            campaign=OuterRef("campaign"),
            unit=OuterRef("unit"),
            item_id=OuterRef("item_id"),
            resolved_at__isnull=True,
        )
        return (
            ReviewScore.objects.filter(**self.scope)
            .exclude(Exists(open_return))
            .order_by("unit__code", self._rubric_order())
        )

    @cached_property
    def _returned_pairs(self) -> list[tuple[int, str, str, str]]:
        rows = (
            ItemReturn.objects.filter(resolved_at__isnull=True, **self.scope)
            .order_by("unit__code", self._rubric_order())
            .values_list("unit_id", "unit__code", "unit__name", "item_id")
        )
        return list(dict.fromkeys(rows))  # an item returned twice is one pair

    # 未评 and 自动计分: per unit, from the stored 未评 lists and the counts of the other statuses.

    @cached_property
    def _unit_rows(self) -> list[UnitRow]:
        return list(self.units.values_list("pk", "code", "name"))

    @cached_property
    def _returned(self) -> dict[int, set[str]]:
        returned: dict[int, set[str]] = {}
        for unit_id, _, _, item_id in self._returned_pairs:
            returned.setdefault(unit_id, set()).add(item_id)
        return returned

    @cached_property
    def _unscored_raw(self) -> dict[int, set[str]]:
        owned = set(self.item_ids)
        visible = None if self.every_unit else {unit_id for unit_id, _, _ in self._unit_rows}
        return {
            unit_id: {i for i in missing if i in owned}
            for unit_id, missing in unscored_pairs(self.campaign).items()
            if visible is None or unit_id in visible
        }

    @cached_property
    def _unscored(self) -> dict[int, set[str]]:
        return {u: ids - self._returned.get(u, set()) for u, ids in self._unscored_raw.items()}

    @cached_property
    def _reviewed_counts(self) -> dict[int, int]:
        rows = self._reviewed_pairs().order_by().values_list("unit_id").annotate(n=Count("id"))
        return dict(rows)

    def _matching(self, unit_id: int) -> int:
        unscored = len(self._unscored.get(unit_id, ()))
        if self.status == "unscored":
            return unscored
        returned, reviewed = len(self._returned.get(unit_id, ())), self._reviewed_counts.get(unit_id, 0)
        return len(self.items) - returned - unscored - reviewed  # "rule"

    def _pairs_by_unit(self, start: int, stop: int | None) -> list[tuple[Unit, Item]]:
        chosen: list[tuple[UnitRow, int]] = []  # (unit, how many of its pairs to skip)
        position = 0
        for unit in self._unit_rows:
            n = self._matching(unit[0])
            if position + n > start and (stop is None or position < stop):
                chosen.append((unit, max(0, start - position)))
            position += n
            if stop is not None and position >= stop:
                break
        reviewed = set(
            self._reviewed_pairs()
            .filter(unit__in=[unit_id for (unit_id, _, _), _ in chosen])
            .values_list("unit_id", "item_id")
        )
        pairs: list[tuple[Unit, Item]] = []
        for (unit_id, code, name), skip in chosen:
            unit = Unit(pk=unit_id, code=code, name=name)
            matching = [
                item for item in self.items if self._status(unit_id, item.id, reviewed) == self.status
            ]
            pairs += [(unit, item) for item in matching[skip:]]
        return pairs if stop is None else pairs[: stop - start]

    def _status(self, unit_id: int, item_id: str, reviewed: set[tuple[int, str]]) -> str:
        """The same order as the queue's rows: returned, reviewed, computed (rule), 未评."""
        if item_id in self._returned.get(unit_id, ()):
            return "returned"
        if (unit_id, item_id) in reviewed:
            return "reviewed"
        return "unscored" if item_id in self._unscored.get(unit_id, ()) else "rule"
