"""加分项 / 扣分项 (scoring/adjustments.py): +N or −N for each entry, at most M in all, whatever the order."""

from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kaoping.rubrics.schema import DATA_DIR, load_rubric_file
from kaoping.scoring.adjustments import (
    AdjustmentKind,
    EntryOutcome,
    adjustments_net,
    adjustments_outcome,
)
from kaoping.scoring.facts import UnitFacts
from kaoping.scoring.outcome import unit_outcome


@dataclass(frozen=True)
class Rule:
    id: str
    kind: AdjustmentKind
    points: Decimal
    max: Decimal


def entry(number: int, date: str = "2018-06-01") -> EntryOutcome:
    return EntryOutcome(entry_id=number, date=date, basis=f"依据 {number}", evidence=f"{number}.pdf")


cents = st.decimals(min_value="0.01", max_value="10", places=2, allow_nan=False, allow_infinity=False)


@st.composite
def rules_and_entries(draw):
    count = draw(st.integers(1, 4))
    rules = []
    for index in range(count):
        points = draw(cents)
        cap = points + draw(st.decimals(min_value=0, max_value=10, places=2))
        kind = draw(st.sampled_from(list(AdjustmentKind)))
        rules.append(Rule(f"J{index + 1}", kind, points, cap))
    entries = draw(
        st.lists(
            st.tuples(st.sampled_from([r.id for r in rules] + ["X9"]), st.integers(1, 10_000)),
            max_size=30,
            unique_by=lambda pair: pair[1],
        )
    )
    return rules, [(rule_id, entry(number)) for rule_id, number in entries]


@given(rules_and_entries())
def test_an_adjustment_never_counts_more_than_its_cap(case):
    rules, entries = case
    outcomes = adjustments_outcome(rules, entries)
    for rule in rules:
        outcome = outcomes[rule.id]
        assert abs(outcome.score) <= rule.max
        assert outcome.score == min(rule.points * len(outcome.entries), rule.max) * rule.kind.sign
        assert (outcome.score >= 0) == (rule.kind is AdjustmentKind.BONUS or not outcome.entries)
    bonus_caps = sum((r.max for r in rules if r.kind is AdjustmentKind.BONUS), Decimal(0))
    deduction_caps = sum((r.max for r in rules if r.kind is AdjustmentKind.DEDUCTION), Decimal(0))
    assert -deduction_caps <= adjustments_net(outcomes) <= bonus_caps


@given(rules_and_entries(), st.randoms())
def test_the_order_of_the_entries_changes_nothing(case, random):
    rules, entries = case
    shuffled = list(entries)
    random.shuffle(shuffled)
    assert adjustments_outcome(rules, shuffled) == adjustments_outcome(rules, entries)


@given(rules_and_entries())
def test_one_more_entry_never_lowers_a_bonus_or_raises_a_deduction(case):
    rules, entries = case
    before = adjustments_outcome(rules, entries)
    after = adjustments_outcome(rules, [*entries, (rules[0].id, entry(99_999, "2018-12-31"))])
    assert after[rules[0].id].score * rules[0].kind.sign >= before[rules[0].id].score * rules[0].kind.sign


def test_three_commendations_count_two_points_when_the_cap_is_two():
    rules = [Rule("J1", AdjustmentKind.BONUS, Decimal(1), Decimal(2))]
    outcome = adjustments_outcome(rules, [("J1", entry(n)) for n in (1, 2, 3)])["J1"]
    assert (outcome.raw, outcome.score, outcome.capped) == (Decimal(3), Decimal(2), True)
    assert outcome.statement == "3 项×1 分=3 分，超过上限，按 2 分计加分"


def test_a_deduction_takes_points_off_exactly():
    rules = [Rule("K1", AdjustmentKind.DEDUCTION, Decimal("0.5"), Decimal(2))]
    outcomes = adjustments_outcome(rules, [("K1", entry(1)), ("K1", entry(2))])
    assert outcomes["K1"].score == Decimal("-1.0") and adjustments_net(outcomes) == Decimal("-1.00")
    assert outcomes["K1"].statement == "2 项×0.5 分=1 分，扣分 1 分"


def test_entries_are_listed_by_date_and_an_undeclared_one_counts_nothing():
    rules = [Rule("J1", AdjustmentKind.BONUS, Decimal(1), Decimal(2))]
    outcomes = adjustments_outcome(
        rules, [("J1", entry(2, "2018-09-01")), ("J1", entry(1, "2018-03-01")), ("J7", entry(3))]
    )
    assert [e.entry_id for e in outcomes["J1"].entries] == [1, 2] and list(outcomes) == ["J1"]
    assert adjustments_outcome(rules, [])["J1"].statement == "无记录"


RUBRIC_2018 = load_rubric_file(DATA_DIR / "yiyang-2018.toml")
reviews_strategy = st.dictionaries(
    st.sampled_from([i.id for i in RUBRIC_2018.items if i.method == "manual"]),
    st.tuples(st.decimals(min_value=0, max_value=1, places=2), st.just("")),
)


def unit_with(reviews, entries):
    return unit_outcome(
        code="430902",
        name="资阳区",
        rubric=RUBRIC_2018,
        facts=UnitFacts(year=2018),
        self_scores={},
        reviews=reviews,
        adjustment_entries=entries,
    )


@given(reviews_strategy, st.lists(st.integers(1, 10_000), max_size=8, unique=True), st.randoms())
def test_a_units_total_is_its_items_plus_the_capped_bonus_whatever_the_order(reviews, numbers, random):
    entries = [("J1", entry(n)) for n in numbers]
    outcome = unit_with(reviews, entries)
    assert outcome.total == outcome.items_total + min(len(numbers), 2)
    assert outcome.total <= outcome.items_total + RUBRIC_2018.adjustment("J1").max
    random.shuffle(entries)
    shuffled = unit_with(reviews, entries)
    assert (shuffled.total, shuffled.adjustments) == (outcome.total, outcome.adjustments)
