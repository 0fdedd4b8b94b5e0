"""违法案件台帐: the cases filed in the year (and a few carried over), with the designed shares dealt exactly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .cells import Row, deal, iso, yes
from .unit_year import UnitYear

OVERTURNED = ("撤销", "变更", "确认违法")
OTHER_DISCOVERIES = (
    "卫片监测",
    "卫片监测",
    "群众举报",
    "群众举报",
    "新闻媒体",
    "部门移送",
    "上级交办",
    "其他",
)


@dataclass
class Case:
    number: str
    mineral: bool
    discovery: str
    major: bool
    filed: date
    public: bool
    general: bool
    decided: date | None = None
    effective: date | None = None
    published: date | None = None
    closed: date | None = None
    exposed: date | None = None
    outcome: str = "无"

    def row(self, code: str) -> Row:
        return (
            self.number,
            code,
            "矿产" if self.mineral else "土地",
            self.discovery,
            yes(self.major),
            iso(self.filed),
            yes(self.public),
            "一般" if self.general else "简易",
            iso(self.decided),
            iso(self.effective),
            iso(self.published),
            iso(self.closed),
            yes(self.exposed is not None),
            iso(self.exposed),
            self.outcome,
        )


def case_rows(unit: UnitYear) -> list[Row]:
    p = unit.profile
    cases = _filed_cases(unit) + _carried_over_cases(unit)
    # Exposure first: it fixes its cases' dates, which the dealt shares below then count.
    _expose(unit, cases)
    _deal_publication(unit, cases)
    _deal_outcomes(unit, cases)
    unit.decided_case_numbers = [c.number for c in cases if c.decided and c.filed.year == unit.year]
    if p.mineral_exposed and not any(c.mineral and c.exposed for c in cases):
        raise AssertionError("a designed mineral exposure found no case")  # a bug, not bad data
    return [case.row(unit.code) for case in cases]


def _case_number(unit: UnitYear, year: int, seq: int) -> str:
    return f"{unit.name}国土资罚〔{year}〕{seq:03d}号"


def _filed_cases(unit: UnitYear) -> list[Case]:
    p, rng = unit.profile, unit.rng
    n = p.cases
    patrol = deal(rng, n, p.patrol_share)
    major_public = set(rng.sample(range(n), min(p.major_public, n)))
    others = [i for i in range(n) if i not in major_public]
    major_private = set(rng.sample(others, min(len(others), rng.randrange(0, 3))))
    filed_days = sorted(unit.day(unit.start, unit.end) for _ in range(n))
    cases = []
    for i, filed in enumerate(filed_days):
        major = i in major_public or i in major_private
        case = Case(
            number=_case_number(unit, unit.year, i + 1),
            mineral=rng.random() < p.mineral_share,
            discovery="动态巡查" if patrol[i] else rng.choice(OTHER_DISCOVERIES),
            major=major,
            filed=filed,
            public=i in major_public or (not major and rng.random() < 0.05),
            general=major or rng.random() < 0.9,
        )
        _timeline(unit, case)
        cases.append(case)
    return cases


def _carried_over_cases(unit: UnitYear) -> list[Case]:
    """A few cases filed late in the previous year, decided or closed in this one."""
    if not unit.carryover:
        return []
    rng = unit.rng
    count = max(int(unit.profile.cases * 0.05), 1 if unit.profile.land_exposed else 0)
    first, last = date(unit.year - 1, 9, 1), date(unit.year - 1, 12, 20)
    cases = []
    for i in range(count):
        case = Case(
            number=_case_number(unit, unit.year - 1, 800 + i + 1),
            mineral=rng.random() < unit.profile.mineral_share,
            discovery=rng.choice(("动态巡查",) * 3 + OTHER_DISCOVERIES),
            major=False,
            filed=unit.day(first, last),
            public=False,
            general=True,
        )
        _timeline(unit, case)
        cases.append(case)
    return cases


def _timeline(unit: UnitYear, case: Case) -> None:
    """Decision, effect and closing after filing; a date beyond the export date stays empty."""
    rng = unit.rng
    span = rng.randrange(20, 150) if case.general else rng.randrange(0, 8)
    case.decided = unit.known(case.filed + timedelta(days=span))
    if case.decided is None:
        return
    case.effective = unit.known(case.decided + timedelta(days=rng.randrange(0, 16)))
    if case.effective is not None and rng.random() < 0.85:
        case.closed = unit.known(case.effective + timedelta(days=rng.randrange(5, 90)))


def _deal_publication(unit: UnitYear, cases: list[Case]) -> None:
    """3.6: the designed share of this year's effective 一般程序 decisions goes online within the window."""
    rng = unit.rng
    counted = [c for c in cases if c.general and c.effective and c.effective.year == unit.year]
    for case, on_time in zip(counted, deal(rng, len(counted), unit.profile.published_share), strict=True):
        case.published = _publish(unit, case.effective, on_time)
    dealt = {id(case) for case in counted}
    for case in cases:
        if id(case) in dealt or case.effective is None:
            continue
        if case.general or rng.random() < 0.3:  # 简易 decisions need not go online, some do
            case.published = _publish(unit, case.effective, rng.random() < 0.9)


def _publish(unit: UnitYear, effective: date | None, on_time: bool) -> date | None:
    if effective is None:
        return None
    within = unit.publish_within_days
    if on_time:
        return effective + timedelta(days=unit.rng.randrange(min(within, (unit.as_of - effective).days) + 1))
    if unit.rng.random() < 0.5:
        return None  # never published
    return unit.known(effective + timedelta(days=unit.rng.randrange(within + 1, within + 41)))


def _deal_outcomes(unit: UnitYear, cases: list[Case]) -> None:
    """3.7: the designed number of this year's decisions revoked, changed or declared illegal (never
    an exposed model case); other decisions mostly stand unchallenged."""
    rng = unit.rng
    candidates = [c for c in cases if c.decided and c.decided.year == unit.year and not c.exposed]
    chosen = rng.sample(range(len(candidates)), min(unit.profile.overturned, len(candidates)))
    for case in cases:
        if case.decided is not None:
            case.outcome = "维持" if rng.random() < 0.04 else "无"
    for i in sorted(chosen):
        candidates[i].outcome = rng.choice(OVERTURNED)


def _expose(unit: UnitYear, cases: list[Case]) -> None:
    """3.5: expose one closed major land case and/or one mineral case in the year, as designed; now and
    then a minor closed case too (which does not count)."""
    rng = unit.rng
    if unit.profile.land_exposed:
        carried = [c for c in cases if c.filed.year < unit.year]
        land = carried[0] if carried else _model_case(unit, cases)
        land.mineral, land.major = False, True
        _close_and_expose(unit, land)
    if unit.profile.mineral_exposed:
        mineral = _model_case(unit, cases)
        mineral.mineral = True
        _close_and_expose(unit, mineral)
    for case in cases:
        if not case.major and case.closed and case.closed.year == unit.year and rng.random() < 0.03:
            case.exposed = unit.known(case.closed + timedelta(days=rng.randrange(3, 30)))


def _model_case(unit: UnitYear, cases: list[Case]) -> Case:
    """A case of the year to expose: the earliest major one not yet exposed if it is early enough to
    be closed and exposed within the year, else the earliest one, made major without changing the
    public-filing count."""
    this_year = [c for c in cases if c.filed.year == unit.year and c.exposed is None]
    majors = [c for c in this_year if c.major and c.filed <= date(unit.year, 4, 30)]
    case = majors[0] if majors else this_year[0]
    if not case.major:
        case.public = False
    case.major, case.general = True, True
    return case


def _close_and_expose(unit: UnitYear, case: Case) -> None:
    """A model case: decided, closed and then exposed in the year's spring or summer."""
    rng = unit.rng
    case.decided = case.filed + timedelta(days=rng.randrange(20, 60))
    case.effective = case.decided + timedelta(days=rng.randrange(0, 16))
    case.closed = case.effective + timedelta(days=rng.randrange(20, 90))
    case.exposed = max(case.closed, date(unit.year, 1, 1)) + timedelta(days=rng.randrange(3, 30))
