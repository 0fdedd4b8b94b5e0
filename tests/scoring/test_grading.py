"""Grades and ranks (scoring.md): competition ranking, the 优胜 quota with ties, vetoes."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kaoping.scoring.grading import (
    EXCELLENT,
    FAILED,
    PASSED,
    GradeSettings,
    UnitStanding,
    final_item,
    rank_and_grade,
    section_totals,
)
from kaoping.scoring.rules import Computed

SETTINGS = GradeSettings()
totals = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


def standings(values, vetoed=()):
    return [
        UnitStanding(code=f"{430900 + i}", total=Decimal(v), vetoes=("问责",) if i in vetoed else ())
        for i, v in enumerate(values)
    ]


def by_code(ranked):
    return {s.code: s for s in ranked}


@given(st.lists(totals, min_size=1, max_size=40))
def test_equal_totals_share_a_rank_and_the_next_rank_skips(values):
    ranked = rank_and_grade(standings(values), SETTINGS)
    for standing in ranked:
        higher = sum(1 for other in ranked if other.total > standing.total)
        assert standing.rank == higher + 1
    assert [s.total for s in ranked] == sorted((s.total for s in ranked), reverse=True)


def test_ranks_skip_after_a_tie():
    ranked = rank_and_grade(standings(["95", "90", "90", "80"]), SETTINGS)
    assert [s.rank for s in ranked] == [1, 2, 2, 4]


@given(st.lists(totals, min_size=1, max_size=40), st.sets(st.integers(0, 39)))
def test_grades_follow_the_lines_and_the_quota(values, vetoed):
    ranked = rank_and_grade(standings(values, vetoed), SETTINGS)
    excellent = [s for s in ranked if s.grade == EXCELLENT]
    for standing in ranked:
        if standing.total < SETTINGS.pass_min:
            assert standing.grade == FAILED
        if standing.grade == EXCELLENT:
            assert standing.total >= SETTINGS.excellent_min and not standing.vetoes
    eligible = sorted((s.total for s in ranked if not s.vetoes and s.total >= 90), reverse=True)
    if len(eligible) >= 3:
        edge = eligible[2]
        assert {s.code for s in excellent} == {s.code for s in ranked if not s.vetoes and s.total >= edge}
    else:
        assert len(excellent) == len(eligible)


def test_a_tie_at_the_quota_edge_admits_every_tied_unit():
    ranked = by_code(rank_and_grade(standings(["98", "96", "93", "93", "91"]), SETTINGS))
    assert [ranked[c].grade for c in ("430900", "430901", "430902", "430903", "430904")] == [
        EXCELLENT,
        EXCELLENT,
        EXCELLENT,
        EXCELLENT,
        PASSED,
    ]


def test_a_veto_blocks_excellence_but_not_rank_or_score():
    ranked = by_code(rank_and_grade(standings(["99", "95", "94", "92"], vetoed={0}), SETTINGS))
    assert ranked["430900"].rank == 1 and ranked["430900"].grade == PASSED
    assert ranked["430903"].grade == EXCELLENT  # the vetoed unit's place goes to the next one


def test_exactly_sixty_passes_and_exactly_ninety_can_excel():
    ranked = by_code(rank_and_grade(standings(["60.00", "59.99", "90.00"]), SETTINGS))
    assert ranked["430900"].grade == PASSED
    assert ranked["430901"].grade == FAILED
    assert ranked["430902"].grade == EXCELLENT


@given(st.dictionaries(st.sampled_from(["1.1", "1.2", "2.1", "2.2", "3.1"]), st.one_of(st.none(), totals)))
def test_section_and_total_scores_are_sums_of_item_scores(scores):
    section_of = {"1.1": "1", "1.2": "1", "2.1": "2", "2.2": "2", "3.1": "3"}
    sections = section_totals(scores, section_of)
    assert sum(sections.values()) == sum((s for s in scores.values() if s is not None), Decimal(0))
    for number in ("1", "2", "3"):
        expected = sum(
            (s for i, s in scores.items() if s is not None and section_of[i] == number), Decimal(0)
        )
        assert sections[number] == expected


def test_final_item_sources():
    rule = Computed(Decimal("1.50"), "…")
    assert final_item(rule, None).source == "rule"
    assert final_item(rule, Decimal("2.00")).source == "override"
    assert final_item(None, Decimal("2.00")).source == "review"
    assert final_item(None, None).score is None
    assert final_item(Computed(None, "需考评员评分"), None).score is None
    assert final_item(Computed(None, "需考评员评分"), Decimal("4")).source == "review"
