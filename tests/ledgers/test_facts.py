"""Facts come from one aggregate query per ledger kind: the count does not grow with the units."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaoping.assessments.results import results_recompute
from kaoping.campaigns.models import Campaign
from kaoping.ledgers.facts import gather_facts
from kaoping.ledgers.models import Case, Event, Patch
from kaoping.org.models import Unit


def _units_with_ledgers(count: int, first: int = 0) -> list[int]:
    ids = []
    for n in range(first, first + count):
        unit, _ = Unit.objects.get_or_create(code=f"{500000 + n}", defaults={"name": f"第{n}县"})
        Case.objects.create(
            number=f"{unit.code}-1",
            unit=unit,
            violation_type="土地",
            discovery="动态巡查",
            is_major=True,
            filed_on=datetime.date(2017, 3, 1),
            is_public_filing=True,
            is_exposed=False,
        )
        Event.objects.create(unit=unit, kind="业务培训", date=datetime.date(2017, 4, 1), note="")
        Patch.objects.create(
            code=f"{unit.code}-P",
            year=2017,
            unit=unit,
            verdict="违法",
            monitored_area=1,
            farmland_area=0,
            duty_performed=True,
            investigated=True,
            rectified=False,
            has_patch_dossier=True,
            has_case_dossier=True,
        )
        ids.append(unit.pk)
    return ids


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_fact_queries_do_not_depend_on_the_number_of_units(campaign):
    rubric = campaign.rubric.definition
    few = _units_with_ledgers(2)
    few_queries = _queries(lambda: gather_facts(2017, rubric, few))
    many = few + _units_with_ledgers(40, first=2)
    many_queries = _queries(lambda: gather_facts(2017, rubric, many))
    assert few_queries == many_queries == 6
    facts = gather_facts(2017, rubric, many)[many[-1]]
    assert (facts.cases_filed, facts.cases_filed_by_patrol, facts.major_public_filings) == (1, 1, 1)
    assert (facts.illegal_patches, facts.patches_rectified, facts.event_counts) == (1, 0, {"业务培训": 1})


def test_a_recompute_issues_the_same_number_of_queries_for_any_number_of_units(campaign):
    _units_with_ledgers(2)
    few = _queries(lambda: results_recompute(Campaign.objects.get(pk=campaign.pk)))
    _units_with_ledgers(40, first=2)
    many = _queries(lambda: results_recompute(Campaign.objects.get(pk=campaign.pk)))
    assert few == many


def test_a_decision_published_on_the_twentieth_day_is_in_time_and_on_the_twenty_first_is_not(campaign):
    unit = Unit.objects.get(code="430902")
    published = {
        "in-20": (datetime.date(2017, 1, 25), datetime.date(2017, 2, 14)),  # across a month end
        "late-21": (datetime.date(2017, 1, 25), datetime.date(2017, 2, 15)),
        "same-day": (datetime.date(2017, 12, 31), datetime.date(2017, 12, 31)),
        "leap": (datetime.date(2017, 2, 20), datetime.date(2017, 3, 12)),  # 2017-02 has 28 days
        "never": (datetime.date(2017, 6, 1), None),
    }
    for number, (effective_on, published_on) in published.items():
        Case.objects.create(
            number=number,
            unit=unit,
            violation_type="土地",
            discovery="动态巡查",
            is_major=False,
            filed_on=datetime.date(2017, 1, 2),
            is_public_filing=False,
            procedure="一般",
            decided_on=effective_on,
            effective_on=effective_on,
            published_on=published_on,
            is_exposed=False,
        )
    facts = gather_facts(2017, campaign.rubric.definition, [unit.pk])[unit.pk]
    assert (facts.general_decisions_effective, facts.general_decisions_published_in_time) == (5, 3)
