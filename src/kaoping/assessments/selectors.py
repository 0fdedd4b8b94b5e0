"""Reads of a campaign's workflow, limited to what the user may see (the policy decides)."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from kaoping.campaigns.models import Campaign, State
from kaoping.org.models import Unit
from kaoping.org.policy import Action, campaign_facts, policy_allows

from .models import ItemReturn, ResultSummary, ReviewScore, SelfAssessment, SelfScore, UnitResult
from .results import result_summary


def campaigns_visible_to(user: AbstractBaseUser) -> QuerySet[Campaign]:
    """Drafts are for the group and administrators; every other year is visible to every role."""
    query = Campaign.objects.select_related("rubric").order_by("-year")
    if policy_allows(user, Action.DRAFTS_READ):
        return query
    return query.exclude(state=State.DRAFT)


def ranking_visible(user: AbstractBaseUser, campaign: Campaign) -> bool:
    return policy_allows(user, Action.RANKING_READ, campaign=campaign_facts(campaign))


def unit_result_visible(user: AbstractBaseUser, campaign: Campaign, unit: Unit) -> bool:
    return policy_allows(user, Action.UNIT_RESULT_READ, campaign=campaign_facts(campaign), unit_id=unit.pk)


def notice_visible(user: AbstractBaseUser, campaign: Campaign) -> bool:
    return policy_allows(user, Action.NOTICE_READ, campaign=campaign_facts(campaign))


def units_not_submitted(campaign: Campaign) -> QuerySet[Unit]:
    """Units whose self-assessment of the campaign is not handed in (never submitted, or reopened)."""
    submitted = SelfAssessment.objects.filter(campaign=campaign, submitted_at__isnull=False)
    return Unit.objects.exclude(pk__in=submitted.values("unit_id")).order_by("code")


@dataclass
class UnitProgress:
    unit: Unit
    filled: int  # items with a self score
    scored: int  # items with a final score
    returns: int  # items returned and not yet answered
    reviewed: int  # items with a review score
    assessment: SelfAssessment | None
    total: int  # items of the rubric


@dataclass
class CampaignProgress:
    """How far a year has come over the units a person sees, read once for the dashboards and the API:
    counts by aggregate queries and the stored lists of 未评 items, never the item entries; per-unit rows
    only for the units on the page."""

    units: list[UnitProgress]  # the page's units
    unit_count: int  # every unit the person sees
    item_ids: list[str]
    unscored: dict[int, list[str]]  # the page's units → their 未评 item ids (units with any)
    item_unscored: dict[str, int]  # item id → how many visible units have it 未评
    submitted: int
    summary: ResultSummary  # the year's stored summary (every unit)
    self_scores: QuerySet  # counted only by who shows them (the API)
    reviews: QuerySet

    @property
    def self_scored(self) -> int:
        return self.self_scores.count()

    @property
    def reviewed(self) -> int:
        return self.reviews.count()

    def unscored_of(self, item_ids: set[str]) -> int:
        return sum(self.item_unscored.get(i, 0) for i in item_ids)

    def scored_of(self, item_ids: set[str]) -> int:
        return self.unit_count * len(item_ids & set(self.item_ids)) - self.unscored_of(item_ids)


def item_unscored_of(
    campaign: Campaign, visible: QuerySet[Unit], unit_count: int, summary: ResultSummary, *, every_unit: bool
) -> dict[str, int]:
    """item id → how many of the visible units have it 未评: the year's stored summary when every
    unit is visible (and has a stored result), else counted from the few visible units' rows."""
    if every_unit and unit_count == summary.units:
        return dict(summary.item_unscored)
    counts: dict[str, int] = {}
    for ids in UnitResult.objects.filter(campaign=campaign, unit__in=visible, unscored__gt=0).values_list(
        "unscored_ids", flat=True
    ):
        for item_id in ids:
            counts[item_id] = counts.get(item_id, 0) + 1
    return counts


def campaign_progress(
    campaign: Campaign,
    visible: QuerySet[Unit],
    page: list[Unit] | None = None,
    reviewed_items: set[str] | None = None,
    *,
    every_unit: bool,
) -> CampaignProgress:
    """The progress over the `visible` units, with rows for the `page` units; `reviewed` counts review
    scores of `reviewed_items` (all items when None); `every_unit`: the visible units are all units
    (org.selectors.sees_every_unit)."""
    item_ids = [item.id for item in campaign.rubric.definition.items]
    every = {"campaign": campaign, "unit__in": visible}
    reviews = ReviewScore.objects.filter(**every)
    if reviewed_items is not None:
        reviews = reviews.filter(item_id__in=reviewed_items)
    unscored: dict[int, list[str]] = {}
    rows: list[UnitProgress] = []
    unit_count = visible.count()
    summary = result_summary(campaign)
    if page:
        scope = {"campaign": campaign, "unit__in": [u.pk for u in page]}
        stored = {
            unit_id: (filled, reviewed, n, ids)
            for unit_id, filled, reviewed, n, ids in UnitResult.objects.filter(**scope).values_list(
                "unit_id", "self_filled", "reviewed", "unscored", "unscored_ids"
            )
        }
        unscored = {unit_id: ids for unit_id, (_, _, n, ids) in stored.items() if n}
        returns = dict(
            ItemReturn.objects.filter(**scope, resolved_at__isnull=True)
            .values_list("unit_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        reviewed = (
            {unit_id: row[1] for unit_id, row in stored.items()}
            if reviewed_items is None
            else dict(reviews.filter(**scope).values_list("unit_id").annotate(n=Count("id")).order_by())
        )
        assessments = {a.unit_id: a for a in SelfAssessment.objects.filter(**scope)}
        rows = [
            UnitProgress(
                unit=unit,
                filled=stored[unit.pk][0] if unit.pk in stored else 0,
                scored=len(item_ids) - stored[unit.pk][2] if unit.pk in stored else 0,
                returns=returns.get(unit.pk, 0),
                reviewed=reviewed.get(unit.pk, 0),
                assessment=assessments.get(unit.pk),
                total=len(item_ids),
            )
            for unit in page
        ]
    return CampaignProgress(
        units=rows,
        unit_count=unit_count,
        item_ids=item_ids,
        unscored=unscored,
        item_unscored=item_unscored_of(campaign, visible, unit_count, summary, every_unit=every_unit),
        summary=summary,
        submitted=SelfAssessment.objects.filter(**every, submitted_at__isnull=False).count(),
        self_scores=SelfScore.objects.filter(**every),
        reviews=reviews,
    )
