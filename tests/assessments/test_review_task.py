"""The review task lists, counts and pages the same pairs, with the same statuses, as a pair-by-pair
reading of the database would: for every status filter, a search, and windows across unit boundaries."""

import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from kaoping.assessments.models import ItemReturn, ReviewScore
from kaoping.assessments.results import results_stored
from kaoping.assessments.services import REVIEW, ScoreEntry, scores_set
from kaoping.assessments.tasks import ReviewTask
from kaoping.assessments.workflow import campaign_create
from kaoping.org.models import Unit

pytestmark = pytest.mark.django_db
STATUSES = ("", "unscored", "rule", "reviewed", "returned")


def _by_reading_every_pair(campaign, units, items, status):
    stored = {u.code: u for u in results_stored(campaign).units}
    reviewed = set(ReviewScore.objects.filter(campaign=campaign).values_list("unit_id", "item_id"))
    returned = set(
        ItemReturn.objects.filter(campaign=campaign, resolved_at__isnull=True).values_list(
            "unit_id", "item_id"
        )
    )
    pairs = []
    for unit in units:
        for item in items:
            if (unit.pk, item.id) in returned:
                found = "returned"
            elif (unit.pk, item.id) in reviewed:
                found = "reviewed"
            elif stored[unit.code].items[item.id].score is None:
                found = "unscored"
            else:
                found = "rule"
            if not status or found == status:
                pairs.append((unit.code, item.id))
    return pairs


@pytest.fixture
def year(loaded):
    campaign = campaign_create(year=2017)
    rubric = campaign.rubric.definition
    units = list(Unit.objects.order_by("code"))
    # Review scores here and there (manual and computed items), returns (one item returned twice,
    # one returned pair that also has a review score, one return answered).
    entries = [
        ScoreEntry(unit, item, item.points, "核查台帐无误")
        for n, (unit, item) in enumerate(itertools.product(units, rubric.items))
        if n % 3 == 0
    ]
    scores_set(kind=REVIEW, campaign=campaign, entries=entries, actor=None)
    for unit, item_id in [(units[0], "1.2"), (units[0], "1.2"), (units[2], "1.1"), (units[5], "2.3")]:
        ItemReturn.objects.create(campaign=campaign, unit=unit, item_id=item_id, comment="请补充材料")
    ItemReturn.objects.create(
        campaign=campaign, unit=units[3], item_id="1.4", comment="已答复", resolved_at=timezone.now()
    )
    scores_set(
        kind=REVIEW,
        campaign=campaign,
        entries=[ScoreEntry(units[2], rubric.item("1.1"), Decimal("0.50"), "退回前已评")],
        actor=None,
    )
    return campaign


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_lists_the_pairs_a_full_reading_finds(year, status):
    items = [item for item in year.rubric.definition.items if item.id[0] in "12"]
    task = ReviewTask(year, Unit.objects.all(), items, status, every_unit=True)
    expected = _by_reading_every_pair(year, list(Unit.objects.order_by("code")), items, status)
    assert expected, status  # the year has pairs of each status
    assert task.count() == len(expected)
    listed = [(unit.code, item.id) for unit, item in task[0 : len(expected) + 5]]
    assert listed == expected
    for start, stop in [(0, 7), (3, 11), (len(expected) - 4, len(expected) + 3), (13, None)]:
        window = [(unit.code, item.id) for unit, item in task[max(0, start) : stop]]
        assert window == expected[max(0, start) : stop], (start, stop)


@pytest.mark.parametrize("status", STATUSES)
def test_a_searched_unit_is_its_own_task(year, status):
    items = list(year.rubric.definition.items)
    units = Unit.objects.filter(name__contains="资阳")
    task = ReviewTask(year, units, items, status, every_unit=False)
    expected = _by_reading_every_pair(year, list(units), items, status)
    assert task.count() == len(expected)
    assert [(u.code, i.id) for u, i in task[0:None]] == expected


def test_the_counters_agree_with_the_pairs(year):
    items = list(year.rubric.definition.items)
    task = ReviewTask(year, Unit.objects.all(), items, every_unit=True)
    stored = results_stored(year).units
    progress = task.progress()
    assert progress["total"] == len(stored) * len(items)
    unscored = sum(1 for unit in stored for item in unit.items.values() if item.score is None)
    assert progress["unscored"] == unscored and progress["scored"] == progress["total"] - unscored
    assert progress["reviewed"] == ReviewScore.objects.filter(campaign=year).count()
    assert progress["returned"] == ItemReturn.objects.filter(campaign=year, resolved_at__isnull=True).count()
