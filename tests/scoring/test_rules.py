"""Property tests of the computed items (scoring.md): bounds, exact thresholds, monotonicity."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaoping.rubrics.schema import load_rubric_file, shipped_rubric_files
from kaoping.scoring.facts import UnitFacts

RUBRIC = load_rubric_file(shipped_rubric_files()[0])
ITEMS = RUBRIC.item_map
RULE_ITEMS = [item for item in RUBRIC.items if item.method == "rule"]


@st.composite
def part_of(draw, whole):
    return draw(st.integers(0, whole))


@st.composite
def unit_facts(draw) -> UnitFacts:
    cases = draw(st.integers(0, 300))
    tips = draw(st.integers(0, 80))
    decisions = draw(st.integers(0, 200))
    patches = draw(st.integers(0, 500))
    reviewed = draw(st.integers(0, 20))
    return UnitFacts(
        year=2017,
        event_counts={k: draw(st.integers(0, 6)) for k in ("党组听取汇报", "业务培训", "约谈", "问责")},
        event_quarters={"党组听取汇报": set(draw(st.lists(st.integers(1, 4), max_size=4)))},
        reports_on_time={"巡查月报": draw(st.integers(0, 12)), "案件月报": draw(st.integers(0, 12))},
        reports_present={"形势分析": draw(st.integers(0, 2))},
        cases_filed=cases,
        cases_filed_by_patrol=draw(part_of(cases)),
        major_public_filings=draw(st.integers(0, 20)),
        land_exposures=draw(st.integers(0, 3)),
        mineral_exposures=draw(st.integers(0, 3)),
        general_decisions_effective=decisions,
        general_decisions_published_in_time=draw(part_of(decisions)),
        decisions_overturned=draw(st.integers(0, 2)),
        tips_registered=tips,
        tips_handled=draw(part_of(tips)),
        casefiles_reviewed=reviewed,
        casefile_score_sum=Decimal(draw(st.integers(0, 100 * reviewed))) / 4 * 4 if reviewed else Decimal(0),
        illegal_patches=patches,
        patches_with_both_dossiers=draw(part_of(patches)),
        patches_duty_performed=draw(part_of(patches)),
        patches_investigated=draw(part_of(patches)),
        patches_rectified=draw(part_of(patches)),
    )


@given(unit_facts())
def test_every_computed_score_is_within_its_item_and_in_cents(facts):
    for item in RULE_ITEMS:
        computed = item.compute(facts)
        assert computed.explanation
        if computed.score is not None:
            assert Decimal(0) <= computed.score <= item.points, item.id
            assert computed.score == computed.score.quantize(Decimal("0.01"))


@given(st.integers(1, 1000))
def test_patrol_share_threshold_is_exact(cases):
    needed = math.ceil(cases * 60 / 100)  # the smallest count whose share is ≥ 60%
    at = UnitFacts(year=2017, cases_filed=cases, cases_filed_by_patrol=needed)
    below = UnitFacts(year=2017, cases_filed=cases, cases_filed_by_patrol=needed - 1)
    assert ITEMS["2.4"].compute(at).score == Decimal("2.00")
    if needed >= 1:
        assert ITEMS["2.4"].compute(below).score == Decimal("0.00")


@given(st.integers(1, 2000))
def test_patch_rates_thresholds_are_exact(patches):
    ninety_five = math.ceil(patches * 95 / 100)
    ninety = math.ceil(patches * 90 / 100)
    facts = UnitFacts(
        year=2017,
        illegal_patches=patches,
        patches_duty_performed=ninety_five,
        patches_investigated=ninety_five,
        patches_rectified=ninety,
    )
    assert ITEMS["5.6"].compute(facts).score == Decimal("5.00")
    facts.patches_rectified = ninety - 1
    assert ITEMS["5.6"].compute(facts).score == Decimal("3.33")


@given(unit_facts(), st.sampled_from(["巡查月报", "案件月报"]))
def test_more_on_time_months_never_lower_a_score(facts, report):
    before = {item.id: item.compute(facts).score for item in RULE_ITEMS}
    facts.reports_on_time[report] = min(12, facts.reports_on_time.get(report, 0) + 1)
    after = {item.id: item.compute(facts).score for item in RULE_ITEMS}
    for item_id, score in before.items():
        if score is not None:
            assert after[item_id] >= score, item_id


@pytest.mark.parametrize(
    ("on_time", "expected", "text"),
    [
        (12, "2.00", "2×12/12=2.00"),
        (10, "1.67", "12 个月中 10 个月巡查月报按时上报，得 2×10/12=1.67 分"),
        (0, "0.00", ""),
    ],
)
def test_patrol_reports_score_and_explanation(on_time, expected, text):
    computed = ITEMS["2.3"].compute(UnitFacts(year=2017, reports_on_time={"巡查月报": on_time}))
    assert computed.score == Decimal(expected)
    assert text in computed.explanation


def test_no_data_means_no_deduction_and_says_so():
    empty = UnitFacts(year=2017)
    for item_id in ("2.4", "3.2", "3.6", "5.4", "5.6"):
        computed = ITEMS[item_id].compute(empty)
        assert computed.score == ITEMS[item_id].points, item_id
        assert "不扣分" in computed.explanation
    assert ITEMS["3.7"].compute(empty).score == Decimal("2.00")
    assert ITEMS["5.7"].compute(empty).score == Decimal("5.00")


def test_casefile_quality_without_reviews_needs_an_assessor():
    computed = ITEMS["4.3"].compute(UnitFacts(year=2017))
    assert computed.score is None
    assert "需考评员评分" in computed.explanation
    reviewed = UnitFacts(year=2017, casefiles_reviewed=3, casefile_score_sum=Decimal("255"))
    assert ITEMS["4.3"].compute(reviewed).score == Decimal("5.10")  # 6 × 85 / 100


def test_public_filing_and_exposure_parts_add_up():
    facts = UnitFacts(year=2017, major_public_filings=6, land_exposures=1, mineral_exposures=0)
    computed = ITEMS["3.5"].compute(facts)
    assert computed.score == Decimal("4.00")  # 4×6/8 = 3 + 1 for land
    facts.major_public_filings, facts.mineral_exposures = 9, 2
    assert ITEMS["3.5"].compute(facts).score == Decimal("6.00")


def test_quarterly_briefings_and_summons():
    facts = UnitFacts(year=2017, event_quarters={"党组听取汇报": {1, 2, 4}}, event_counts={"约谈": 1})
    assert ITEMS["1.1"].compute(facts).score == Decimal("2.25")
    assert "第1季度、第2季度、第4季度" in ITEMS["1.1"].compute(facts).explanation
    assert ITEMS["5.7"].compute(facts).score == Decimal("0.00")


def test_monthly_reports_and_analysis_combines_both_parts():
    facts = UnitFacts(year=2017, reports_on_time={"案件月报": 11}, reports_present={"形势分析": 1})
    computed = ITEMS["3.4"].compute(facts)
    assert computed.score == Decimal("3.25")  # 3×11/12 = 2.75 + 1×1/2 = 0.5
    assert "合计 3.25 分" in computed.explanation
