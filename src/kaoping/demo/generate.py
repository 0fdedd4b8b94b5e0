"""A synthetic assessment year: every import file of formats.md, for the eight 益阳 units or for thousands.

Deterministic: all randomness comes from `random.Random`, seeded per unit from (seed, year, unit code), and
only from its exact draws (random(), randrange, sample, shuffle, choice), never gauss/log/exp whose last
bits may differ between C libraries; so the same arguments give byte-identical CSV on any platform. Rows
are produced one unit at a time and written straight out: memory does not grow with the number of units.

The eight 益阳 units follow hand-made quality profiles, chosen so that the scored demo year shows every
outcome of scoring.md: three 优胜, a unit above 90 vetoed by 问责, a summoned unit (约谈), a 不合格 unit,
late and missing reports, a 4.3 without case-file reviews (scored by the assessor), one assessor override.

    python -m kaoping.demo.generate --units 122 --year 2017 --seed 1 --format csv -o DIR
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol

from kaoping.rubrics.schema import DATA_DIR as RUBRIC_DIR
from kaoping.rubrics.schema import Item, Rubric, load_rubric_file

HEADERS: dict[str, tuple[str, ...]] = {
    "units": ("单位代码", "单位名称"),
    "cases": (
        "案件编号",
        "单位代码",
        "违法类型",
        "发现方式",
        "是否重大案件",
        "立案日期",
        "是否公开立案",
        "处罚程序",
        "处罚决定日期",
        "生效日期",
        "网上公布日期",
        "结案日期",
        "是否公开曝光",
        "曝光日期",
        "复议诉讼结果",
    ),
    "submissions": ("单位代码", "报表类型", "所属期", "提交时间"),
    "tips": ("线索编号", "单位代码", "登记日期", "办理期限", "办结日期", "是否上报支队"),
    "patches": (
        "图斑编号",
        "单位代码",
        "判定结果",
        "监测面积",
        "耕地面积",
        "是否履职到位",
        "是否查处到位",
        "是否整改到位",
        "是否形成卫片卷宗",
        "是否形成查处案卷",
    ),
    "events": ("单位代码", "类型", "日期", "说明"),
    "casefile-reviews": ("案卷编号", "单位代码", "评查日期", "评查得分"),
    "self-scores": ("单位代码", "条目", "得分", "说明"),
    "review-scores": ("单位代码", "条目", "得分", "说明"),
}
SCORE_KINDS = ("self-scores", "review-scores")
LEDGER_KINDS = tuple(kind for kind in HEADERS if kind not in SCORE_KINDS)
FORMATS = ("csv", "xlsx")
RUBRIC_FILE = RUBRIC_DIR / "yiyang-2017.toml"

YIYANG_UNITS: tuple[tuple[str, str], ...] = (
    ("430902", "资阳区"),
    ("430903", "赫山区"),
    ("430921", "南县"),
    ("430922", "桃江县"),
    ("430923", "安化县"),
    ("430981", "沅江市"),
    ("430971", "大通湖区"),
    ("430972", "益阳高新区"),
)
# Province-like leading blocks for synthetic codes (the real 省 prefixes), then 市 01–99, 县 01–30.
PROVINCES = (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46)
PROVINCES += (50, 51, 52, 53, 54, 61, 62, 63, 64, 65)
CITIES_PER_PROVINCE, COUNTIES_PER_CITY = 99, 30

YES, NO = "是", "否"
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
Row = tuple[Any, ...]


# ─── quality profiles ───


@dataclass(frozen=True)
class Profile:
    """How well a unit works, as its ledgers will show it. Counts are exact where a rule has a threshold,
    so that a designed outcome does not hinge on luck."""

    cases: int  # cases filed in the year
    patrol_share: float  # of those, found by 动态巡查 (2.4 wants ≥ 60%)
    mineral_share: float
    major_public: int  # major cases filed publicly (3.5 wants 8)
    land_exposed: bool  # a closed major land case exposed in the year
    mineral_exposed: bool
    published_share: float  # 一般程序 decisions effective in the year, published within 20 days
    overturned: int  # decisions of the year revoked, changed or declared illegal
    tips: int
    tips_handled_share: float  # closed by the deadline and reported to the brigade
    patrol_reports_late: int  # months whose 巡查月报 is late or missing
    case_reports_late: int  # months whose 案件月报 is late or missing
    analyses: int  # 形势分析 of H1/H2 present
    briefing_quarters: int  # quarters with a 党组听取汇报
    trainings: int
    casefile_reviews: int
    casefile_mean: int
    patches: int
    illegal_share: float
    dossier_share: float  # illegal patches with both dossiers
    duty_share: float
    investigated_share: float
    rectified_share: float
    manual_loss: Decimal  # points the assessors deduct over all manual items
    summoned: bool = False  # 约谈
    accountable: bool = False  # 问责
    false_data: bool = False  # 数据不实
    casefile_assessor_score: Decimal = Decimal("4.5")  # 4.3 where no case file was reviewed
    overrides: tuple[tuple[str, Decimal, str], ...] = ()  # (item, score, reason) on rule items


EXCELLENT = Profile(
    cases=100,
    patrol_share=0.72,
    mineral_share=0.15,
    major_public=9,
    land_exposed=True,
    mineral_exposed=True,
    published_share=0.95,
    overturned=0,
    tips=40,
    tips_handled_share=0.95,
    patrol_reports_late=0,
    case_reports_late=0,
    analyses=2,
    briefing_quarters=4,
    trainings=3,
    casefile_reviews=10,
    casefile_mean=92,
    patches=350,
    illegal_share=0.4,
    dossier_share=0.98,
    duty_share=0.98,
    investigated_share=0.97,
    rectified_share=0.94,
    manual_loss=Decimal("2.5"),
)

# The 益阳 demo: 赫山区 and 资阳区 excellent, 桃江县 just above 90, 沅江市 above 90 but held accountable,
# 南县 summoned and overridden on 1.4, 大通湖区 and 益阳高新区 small, 安化县 poor enough to fail.
YIYANG_PROFILES: dict[str, Profile] = {
    "430902": replace(
        EXCELLENT,
        cases=70,
        patches=260,
        tips=32,
        mineral_share=0.05,
        major_public=8,
        mineral_exposed=False,
        patrol_reports_late=1,
        casefile_mean=90,
        manual_loss=Decimal("3"),
    ),
    "430903": replace(
        EXCELLENT,
        cases=150,
        patches=420,
        tips=55,
        major_public=10,
        casefile_mean=93,
        manual_loss=Decimal("2"),
    ),
    "430921": replace(
        EXCELLENT,
        cases=90,
        patches=380,
        tips=38,
        patrol_share=0.66,
        major_public=6,
        mineral_exposed=False,
        published_share=0.85,
        patrol_reports_late=2,
        case_reports_late=1,
        trainings=2,
        casefile_mean=84,
        illegal_share=0.45,
        duty_share=0.93,
        rectified_share=0.91,
        manual_loss=Decimal("6.5"),
        summoned=True,
        overrides=(("1.4", Decimal("1.5"), "抽查发现2名执法人员未取得执法证即参与查办案件，扣0.5分"),),
    ),
    "430922": replace(
        EXCELLENT,
        cases=120,
        patches=340,
        tips=44,
        mineral_share=0.25,
        major_public=8,
        published_share=0.9,
        case_reports_late=1,
        casefile_mean=88,
        dossier_share=0.95,
        manual_loss=Decimal("6.5"),
    ),
    "430923": replace(
        EXCELLENT,
        cases=180,
        patches=450,
        tips=48,
        mineral_share=0.35,
        patrol_share=0.45,
        major_public=3,
        land_exposed=False,
        mineral_exposed=False,
        published_share=0.55,
        overturned=1,
        tips_handled_share=0.6,
        patrol_reports_late=5,
        case_reports_late=6,
        analyses=1,
        briefing_quarters=2,
        trainings=1,
        casefile_reviews=12,
        casefile_mean=68,
        illegal_share=0.5,
        dossier_share=0.7,
        duty_share=0.88,
        investigated_share=0.85,
        rectified_share=0.7,
        manual_loss=Decimal("19"),
    ),
    "430981": replace(
        EXCELLENT,
        cases=110,
        patches=360,
        tips=41,
        mineral_share=0.1,
        casefile_mean=91,
        manual_loss=Decimal("3"),
        accountable=True,
    ),
    "430971": replace(
        EXCELLENT,
        cases=25,
        patches=90,
        tips=12,
        mineral_share=0.0,
        patrol_share=0.52,
        major_public=3,
        mineral_exposed=False,
        published_share=0.8,
        case_reports_late=2,
        briefing_quarters=3,
        trainings=2,
        casefile_reviews=5,
        casefile_mean=85,
        dossier_share=0.9,
        duty_share=0.96,
        investigated_share=0.96,
        rectified_share=0.88,
        manual_loss=Decimal("7"),
    ),
    "430972": replace(
        EXCELLENT,
        cases=20,
        patches=60,
        tips=10,
        mineral_share=0.0,
        patrol_share=0.65,
        major_public=2,
        land_exposed=False,
        mineral_exposed=False,
        published_share=0.9,
        patrol_reports_late=1,
        casefile_reviews=0,
        casefile_assessor_score=Decimal("4.5"),
        illegal_share=0.3,
        manual_loss=Decimal("5"),
    ),
}


def _spread(rng: random.Random, low: float, high: float) -> float:
    """A value in [low, high] peaked in the middle (mean of two uniforms: exact arithmetic only)."""
    return low + (high - low) * (rng.random() + rng.random()) / 2


def synthetic_profile(rng: random.Random) -> Profile:
    """A unit of quality q in [0, 1]: most units do well (q skewed towards 1); about 3% struggle."""
    struggling = rng.random() < 0.03
    q = rng.random() * 0.25 if struggling else max(rng.random(), rng.random())
    good = 0.55 + 0.45 * q  # shares near 1 for good units
    # Struggling units also lose on the manual items across the board.
    half_steps = int((1 - q) * 40 + rng.random() * 6) + (12 if struggling else 0)
    return Profile(
        cases=int(_spread(rng, 20, 180)),
        patrol_share=min(0.95, _spread(rng, 0.35, 0.6) + 0.3 * q),
        mineral_share=_spread(rng, 0.0, 0.4),
        major_public=rng.randrange(2, 11),
        land_exposed=rng.random() < good,
        mineral_exposed=rng.random() < good - 0.15,
        published_share=min(1.0, good + _spread(rng, -0.1, 0.1)),
        overturned=1 if rng.random() < 0.04 else 0,
        tips=int(_spread(rng, 10, 70)),
        tips_handled_share=min(1.0, good + _spread(rng, -0.1, 0.1)),
        patrol_reports_late=int((1 - q) * 6 * rng.random()),
        case_reports_late=int((1 - q) * 6 * rng.random()),
        analyses=2 if rng.random() < good else 1,
        briefing_quarters=4 if rng.random() < good else rng.randrange(1, 4),
        trainings=rng.randrange(1, 4),
        casefile_reviews=0 if rng.random() < 0.01 else rng.randrange(5, 16),
        casefile_mean=int(60 + 36 * q + rng.random() * 4),
        patches=int(_spread(rng, 120, 580)),
        illegal_share=_spread(rng, 0.25, 0.55),
        dossier_share=min(1.0, good + 0.05),
        duty_share=min(1.0, good + 0.06),
        investigated_share=min(1.0, good + 0.05),
        rectified_share=min(1.0, good),
        manual_loss=Decimal(half_steps) / 2,
        summoned=rng.random() < 0.01,
        accountable=rng.random() < 0.004,
        false_data=rng.random() < 0.002,
        casefile_assessor_score=Decimal(rng.randrange(6, 12)) / 2,
    )


# ─── units ───


def unit_list(units: int) -> Iterator[tuple[str, str]]:
    """The first eight are the 益阳 units; beyond them synthetic codes, unique and never 4309xx."""
    if units < 1:
        raise ValueError("units must be at least 1")
    yield from YIYANG_UNITS[:units]
    capacity = len(PROVINCES) * CITIES_PER_PROVINCE * COUNTIES_PER_CITY
    if units - len(YIYANG_UNITS) > capacity:
        raise ValueError(f"at most {capacity + len(YIYANG_UNITS)} units")
    for n in range(units - len(YIYANG_UNITS)):
        province, rest = divmod(n, CITIES_PER_PROVINCE * COUNTIES_PER_CITY)
        city, county = divmod(rest, COUNTIES_PER_CITY)
        yield f"{PROVINCES[province]:02d}{city + 1:02d}{county + 1:02d}", f"第{n + 1:04d}县"


# ─── small helpers ───


def _yes(flag: bool) -> str:
    return YES if flag else NO


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _deal(rng: random.Random, n: int, share: float) -> list[bool]:
    """Exactly round(n × share) True values in random places: a designed rate without sampling noise."""
    hits = min(n, int(n * share + 0.5))
    flags = [True] * hits + [False] * (n - hits)
    rng.shuffle(flags)
    return flags


def _points(value: Decimal) -> str:
    """A score as written in a table: 3, 2.5, 1.83."""
    text = format(value.quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".")


def _cents(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _office_time(rng: random.Random) -> str:
    """Mostly office hours; now and then late in the evening (23:59 on the due day is still on time)."""
    if rng.random() < 0.05:
        return f"{rng.randrange(20, 24):02d}:{rng.randrange(60):02d}"
    return f"{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}"


# ─── one unit's year ───


@dataclass
class _Case:
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
            _yes(self.major),
            _iso(self.filed),
            _yes(self.public),
            "一般" if self.general else "简易",
            _iso(self.decided),
            _iso(self.effective),
            _iso(self.published),
            _iso(self.closed),
            _yes(self.exposed is not None),
            _iso(self.exposed),
            self.outcome,
        )


class UnitYear:
    """One unit's rows of every kind for one year, drawn from its own seeded generator."""

    def __init__(self, code: str, name: str, year: int, seed: int, profile: Profile, carryover: bool = True):
        self.code, self.name, self.year, self.profile = code, name, year, profile
        # Records dated in the previous year (cases filed then, tips registered then) count in that year;
        # without carryover, a year can be generated next to an existing one without touching it.
        self.carryover = carryover
        self.rng = random.Random(f"{seed}/{year}/{code}")
        self.start, self.end = date(year, 1, 1), date(year, 12, 31)
        # The ledgers are exported early in January: later dates are not known yet (left empty).
        self.as_of = date(year + 1, 1, 10)
        self.decided_case_numbers: list[str] = []
        self.casefile_reviews_count = 0

    def _day(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def _known(self, day: date | None) -> date | None:
        return day if day is not None and day <= self.as_of else None

    # 违法案件台帐

    def cases(self) -> list[Row]:
        p = self.profile
        cases = self._filed_cases() + self._carried_over_cases()
        # Exposure first: it fixes its cases' dates, which the dealt shares below then count.
        self._expose(cases)
        self._deal_publication(cases)
        self._deal_outcomes(cases)
        self.decided_case_numbers = [c.number for c in cases if c.decided and c.filed.year == self.year]
        if p.mineral_exposed and not any(c.mineral and c.exposed for c in cases):
            raise AssertionError("a designed mineral exposure found no case")  # a bug, not bad data
        return [case.row(self.code) for case in cases]

    def _case_number(self, year: int, seq: int) -> str:
        return f"{self.name}国土资罚〔{year}〕{seq:03d}号"

    def _filed_cases(self) -> list[_Case]:
        p, rng = self.profile, self.rng
        n = p.cases
        patrol = _deal(rng, n, p.patrol_share)
        major_public = set(rng.sample(range(n), min(p.major_public, n)))
        others = [i for i in range(n) if i not in major_public]
        major_private = set(rng.sample(others, min(len(others), rng.randrange(0, 3))))
        filed_days = sorted(self._day(self.start, self.end) for _ in range(n))
        cases = []
        for i, filed in enumerate(filed_days):
            major = i in major_public or i in major_private
            case = _Case(
                number=self._case_number(self.year, i + 1),
                mineral=rng.random() < p.mineral_share,
                discovery="动态巡查" if patrol[i] else rng.choice(OTHER_DISCOVERIES),
                major=major,
                filed=filed,
                public=i in major_public or (not major and rng.random() < 0.05),
                general=major or rng.random() < 0.9,
            )
            self._timeline(case)
            cases.append(case)
        return cases

    def _carried_over_cases(self) -> list[_Case]:
        """A few cases filed late in the previous year, decided or closed in this one."""
        if not self.carryover:
            return []
        rng = self.rng
        count = max(int(self.profile.cases * 0.05), 1 if self.profile.land_exposed else 0)
        first, last = date(self.year - 1, 9, 1), date(self.year - 1, 12, 20)
        cases = []
        for i in range(count):
            case = _Case(
                number=self._case_number(self.year - 1, 800 + i + 1),
                mineral=rng.random() < self.profile.mineral_share,
                discovery=rng.choice(("动态巡查",) * 3 + OTHER_DISCOVERIES),
                major=False,
                filed=self._day(first, last),
                public=False,
                general=True,
            )
            self._timeline(case)
            cases.append(case)
        return cases

    def _timeline(self, case: _Case) -> None:
        """Decision, effect and closing after filing; a date beyond the export date stays empty."""
        rng = self.rng
        span = rng.randrange(20, 150) if case.general else rng.randrange(0, 8)
        case.decided = self._known(case.filed + timedelta(days=span))
        if case.decided is None:
            return
        case.effective = self._known(case.decided + timedelta(days=rng.randrange(0, 16)))
        if case.effective is not None and rng.random() < 0.85:
            case.closed = self._known(case.effective + timedelta(days=rng.randrange(5, 90)))

    def _deal_publication(self, cases: list[_Case]) -> None:
        """3.6: the designed share of this year's effective 一般程序 decisions goes online within 20 days."""
        rng = self.rng
        counted = [c for c in cases if c.general and c.effective and c.effective.year == self.year]
        for case, on_time in zip(
            counted, _deal(rng, len(counted), self.profile.published_share), strict=True
        ):
            case.published = self._publish(case.effective, on_time)
        dealt = {id(case) for case in counted}
        for case in cases:
            if id(case) in dealt or case.effective is None:
                continue
            if case.general or rng.random() < 0.3:  # 简易 decisions need not go online, some do
                case.published = self._publish(case.effective, rng.random() < 0.9)

    def _publish(self, effective: date | None, on_time: bool) -> date | None:
        if effective is None:
            return None
        if on_time:
            return effective + timedelta(days=self.rng.randrange(min(20, (self.as_of - effective).days) + 1))
        if self.rng.random() < 0.5:
            return None  # never published
        return self._known(effective + timedelta(days=self.rng.randrange(21, 61)))

    def _deal_outcomes(self, cases: list[_Case]) -> None:
        """3.7: the designed number of this year's decisions revoked, changed or declared illegal (never
        an exposed model case); other decisions mostly stand unchallenged."""
        rng = self.rng
        candidates = [c for c in cases if c.decided and c.decided.year == self.year and not c.exposed]
        chosen = rng.sample(range(len(candidates)), min(self.profile.overturned, len(candidates)))
        for case in cases:
            if case.decided is not None:
                case.outcome = "维持" if rng.random() < 0.04 else "无"
        for i in sorted(chosen):
            candidates[i].outcome = rng.choice(OVERTURNED)

    def _expose(self, cases: list[_Case]) -> None:
        """3.5: expose one closed major land case and/or one mineral case in the year, as designed; now and
        then a minor closed case too (which does not count)."""
        rng = self.rng
        if self.profile.land_exposed:
            carried = [c for c in cases if c.filed.year < self.year]
            land = carried[0] if carried else self._model_case(cases)
            land.mineral, land.major = False, True
            self._close_and_expose(land)
        if self.profile.mineral_exposed:
            mineral = self._model_case(cases)
            mineral.mineral = True
            self._close_and_expose(mineral)
        for case in cases:
            if not case.major and case.closed and case.closed.year == self.year and rng.random() < 0.03:
                case.exposed = self._known(case.closed + timedelta(days=rng.randrange(3, 30)))

    def _model_case(self, cases: list[_Case]) -> _Case:
        """A case of the year to expose: the earliest major one not yet exposed if it is early enough to
        be closed and exposed within the year, else the earliest one, made major without changing the
        public-filing count."""
        this_year = [c for c in cases if c.filed.year == self.year and c.exposed is None]
        majors = [c for c in this_year if c.major and c.filed <= date(self.year, 4, 30)]
        case = majors[0] if majors else this_year[0]
        if not case.major:
            case.public = False
        case.major, case.general = True, True
        return case

    def _close_and_expose(self, case: _Case) -> None:
        """A model case: decided, closed and then exposed in the year's spring or summer."""
        rng = self.rng
        case.decided = case.filed + timedelta(days=rng.randrange(20, 60))
        case.effective = case.decided + timedelta(days=rng.randrange(0, 16))
        case.closed = case.effective + timedelta(days=rng.randrange(20, 90))
        case.exposed = max(case.closed, date(self.year, 1, 1)) + timedelta(days=rng.randrange(3, 30))

    # 报送记录

    def submissions(self) -> list[Row]:
        p, rows = self.profile, []
        for kind, late in (("巡查月报", p.patrol_reports_late), ("案件月报", p.case_reports_late)):
            late_months = set(self.rng.sample(range(1, 13), late))
            for month in range(1, 13):
                submitted = self._monthly_submission(month, month in late_months)
                if submitted:
                    rows.append((self.code, kind, f"{self.year}-{month:02d}", submitted))
        halves = ("H1", "H2")[: p.analyses]
        for half in halves:
            first = date(self.year, 7, 1) if half == "H1" else date(self.year, 12, 15)
            day = self._day(first, first + timedelta(days=25))
            rows.append(
                (self.code, "形势分析", f"{self.year}{half}", f"{_iso(day)} {_office_time(self.rng)}")
            )
        return rows

    def _monthly_submission(self, month: int, late: bool) -> str | None:
        """Due on the 20th of its month; a late month is missing a third of the time."""
        rng = self.rng
        due = date(self.year, month, 20)
        if not late:
            day = self._day(date(self.year, month, 8), due)
        elif rng.random() < 1 / 3:
            return None
        else:
            day = due + timedelta(days=rng.randrange(1, 25))
        return f"{_iso(day)} {_office_time(rng)}"

    # 举报线索

    def tips(self) -> list[Row]:
        p, rng, rows = self.profile, self.rng, []
        handled = _deal(rng, p.tips, p.tips_handled_share)
        registered = sorted(self._day(self.start, self.end) for _ in range(p.tips))
        for seq, (day, ok) in enumerate(zip(registered, handled, strict=True), start=1):
            rows.append(self._tip(f"JB{self.code}-{self.year}-{seq:04d}", day, ok))
        # A couple registered late in the previous year: they count there, not here.
        for seq in range(1, 1 + (rng.randrange(0, 3) if self.carryover else 0)):
            day = self._day(date(self.year - 1, 12, 1), date(self.year - 1, 12, 31))
            rows.append(self._tip(f"JB{self.code}-{self.year - 1}-{900 + seq:04d}", day, True))
        return rows

    def _tip(self, number: str, registered: date, handled: bool) -> Row:
        rng = self.rng
        deadline = registered + timedelta(days=rng.choice((15, 30, 30, 30, 60)))
        reported = True
        if handled:
            last = min(deadline, self.as_of)
            closed: date | None = self._day(registered, last)
        else:
            failure = rng.randrange(3)
            if failure == 0:  # closed late
                closed = self._known(deadline + timedelta(days=rng.randrange(1, 40)))
            elif failure == 1:  # still open
                closed = None
            else:  # closed in time but never reported to the brigade
                closed, reported = self._day(registered, min(deadline, self.as_of)), False
        return (number, self.code, _iso(registered), _iso(deadline), _iso(closed), _yes(reported))

    # 卫片图斑

    def patches(self) -> list[Row]:
        p, rng = self.profile, self.rng
        n = p.patches
        illegal = _deal(rng, n, p.illegal_share)
        m = sum(illegal)
        flags = iter(
            zip(
                _deal(rng, m, p.dossier_share),
                _deal(rng, m, p.duty_share),
                _deal(rng, m, p.investigated_share),
                _deal(rng, m, p.rectified_share),
                strict=True,
            )
        )
        rows = []
        for seq, is_illegal in enumerate(illegal, start=1):
            monitored = 20 + int(rng.random() * rng.random() * rng.random() * 8000) + rng.randrange(300)
            farmland = 0 if rng.random() < 0.3 else int(monitored * rng.random())
            number = f"{self.code}-{self.year}-WP{seq:04d}"
            if is_illegal:
                dossiers, duty, investigated, rectified = next(flags)
                patch_dossier = dossiers or rng.random() < 0.5
                case_dossier = dossiers or not patch_dossier
                verdict = "违法"
            else:
                # Nothing to investigate: the dossier of evidence exists, no case file.
                patch_dossier, case_dossier, duty, investigated, rectified = True, False, True, True, True
                verdict = "合法" if rng.random() < 0.8 else "其他"
            rows.append(
                (
                    number,
                    self.code,
                    verdict,
                    _cents(monitored),
                    _cents(farmland),
                    _yes(duty),
                    _yes(investigated),
                    _yes(rectified),
                    _yes(patch_dossier),
                    _yes(case_dossier),
                )
            )
        return rows

    # 工作事项

    def events(self) -> list[Row]:
        p, rng, rows = self.profile, self.rng, []
        for quarter in sorted(rng.sample(range(1, 5), p.briefing_quarters)):
            # Late in the quarter, once there is a quarter's work to report on.
            first = date(self.year, 3 * quarter - 2, 1) + timedelta(days=30)
            day = self._day(first, first + timedelta(days=55))
            note = f"局党组会议听取{self.year}年第{quarter}季度执法监察工作情况汇报，研究解决重大疑难问题"
            rows.append((self.code, "党组听取汇报", _iso(day), note))
        topics = rng.sample(
            ("执法监察业务知识", "卫片执法检查", "行政处罚案卷制作", "矿产资源执法"), p.trainings
        )
        days = sorted(self._day(date(self.year, 2, 1), date(self.year, 11, 30)) for _ in topics)
        for n, (day, topic) in enumerate(zip(days, topics, strict=True), start=1):
            rows.append((self.code, "业务培训", _iso(day), f"举办{self.year}年第{n}期{topic}培训班"))
        if p.summoned:
            day = self._day(date(self.year, 4, 1), date(self.year, 10, 31))
            rows.append((self.code, "约谈", _iso(day), "卫片执法检查违法用地比例偏高，市局约谈局主要负责人"))
        if p.accountable:
            day = self._day(date(self.year, 5, 1), date(self.year, 11, 30))
            rows.append((self.code, "问责", _iso(day), "违法占用耕地建房制止不力，对执法大队负责人问责"))
        if p.false_data:
            day = self._day(date(self.year, 11, 15), date(self.year, 12, 20))
            rows.append((self.code, "数据不实", _iso(day), "自评材料中卫片整改数据与实地核查不符"))
        rows.sort(key=lambda row: row[2])
        return rows

    # 案卷评查

    def casefile_reviews(self) -> list[Row]:
        """City-level case-file reviews in the autumn, of case files decided this year."""
        p, rng = self.profile, self.rng
        numbers = self.decided_case_numbers
        chosen = sorted(rng.sample(range(len(numbers)), min(p.casefile_reviews, len(numbers))))
        rows = []
        for i in chosen:
            # Half points only; three uniforms summed give a bell of ±9 around the unit's mean.
            noise = (rng.random() + rng.random() + rng.random() - 1.5) * 12
            score = Decimal(int(max(60.0, min(100.0, p.casefile_mean + noise)) * 2)) / 2
            day = self._day(date(self.year, 10, 15), date(self.year, 12, 15))
            rows.append((numbers[i], self.code, _iso(day), _points(score)))
        self.casefile_reviews_count = len(rows)
        return rows


# ─── self and review scores ───

# Per manual item: what assessors typically find wrong ({d} is the deduction).
DEDUCTION_REASONS: dict[str, tuple[str, ...]] = {
    "1.2": ("执法大队未比照局内设科室管理，人员编制未落实到位，扣{d}分",),
    "1.3": ("部分供地、采矿审批事项未经执法监察机构会审会签，扣{d}分",),
    "1.5": ("矿产执法检查专项行动经费未足额保障，扣{d}分", "卫片执法检查所需装备保障不到位，扣{d}分"),
    "1.6": ("1名执法人员在查办案件中存在程序违规问题，扣{d}分",),
    "1.7": ("部分乡镇村级信息员、协管员未落实到位，扣{d}分",),
    "1.8": ("未形成联合执法的制度性文件，共同责任机制不健全，扣{d}分",),
    "2.1": ("巡查区域责任人未落实到村组，对下级巡查督查记录不全，扣{d}分",),
    "2.2": ("巡查台帐个别月份记录不全，扣{d}分", "巡查台帐内容过于简单，未记录处置情况，扣{d}分"),
    "2.5": (
        "部分违法行为未及时下达《责令停止违法行为通知书》，扣{d}分",
        "制止无效的违法行为未及时书面报告同级人民政府，扣{d}分",
    ),
    "2.6": ("节假日巡查记录缺失，扣{d}分",),
    "3.1": ("举报线索信息系统查阅、反馈不及时，扣{d}分",),
    "3.3": ("1件省厅督办案件回复超期，扣{d}分", "媒体报道违法问题核查回复质量不高，被再次督办，扣{d}分"),
    "4.1": ("未按要求上报年度案件自查清理专项报告，扣{d}分",),
    "4.2": ("部分案卷材料装订不规范、归档不及时，扣{d}分",),
    "5.1": ("变更调查中发现的违法用地查处不及时，扣{d}分",),
    "5.2": ("未以政府名义印发卫片执法检查工作通知，扣{d}分",),
    "5.3": ("半月报有2期逾期上报，扣{d}分", "未编印卫片执法检查工作简报，扣{d}分"),
    "5.5": ("在线填报数据与实地核查不一致，扣{d}分", "数据审核不及时，多次退回修改，扣{d}分"),
    "6.1": (
        "闲置土地处置推进缓慢，监测监管系统信息录入不及时，扣{d}分",
        "部分项目未按时开展竣工验收，扣{d}分",
    ),
    "6.2": ("新开工项目用地自查清理情况上报逾期，扣{d}分", "新开工项目用地清查有遗漏，扣{d}分"),
    "6.3": ("打非治违专项整治台帐不完整，扣{d}分", "矿产领域专项整治发现问题整改不到位，扣{d}分"),
    "6.4": ("超深越界巷道井口密闭工作未全部完成，扣{d}分", "超深越界执法监测任务完成滞后，扣{d}分"),
}
GENERIC_REASON = "相关工作落实不到位，资料不齐全，扣{d}分"
FULL_MARKS_NOTE = "经查阅资料，符合要求"
SELF_FULL_NOTES = ("已按要求落实，相关资料已归档备查", "全面完成，详见佐证材料", "按要求完成，台帐资料齐全")


def _manual_deductions(rng: random.Random, items: Sequence[Item], loss: Decimal) -> dict[str, Decimal]:
    """Spread the profile's loss over the manual items in half points, bigger items taking more, none
    losing more than 60% of its points."""
    caps = {item.id: int(item.points * 2 * 6 / 10) for item in items}
    taken = dict.fromkeys(caps, 0)
    for _ in range(int(loss * 2)):
        open_items = [item for item in items if taken[item.id] < caps[item.id]]
        if not open_items:
            break
        chosen = rng.choices(open_items, weights=[int(i.points * 2) for i in open_items])[0]
        taken[chosen.id] += 1
    return {item_id: Decimal(halves) / 2 for item_id, halves in taken.items()}


def _deduction_note(rng: random.Random, item_id: str, deduction: Decimal) -> str:
    template = rng.choice(DEDUCTION_REASONS.get(item_id, (GENERIC_REASON,)))
    return template.format(d=_points(deduction))


def score_rows(unit: UnitYear, rubric: Rubric) -> tuple[list[Row], list[Row]]:
    """(self scores, review scores): a self score for every item, a review score for every manual item,
    for 4.3 where no case file was reviewed, and for the profile's overrides."""
    rng, p, code = unit.rng, unit.profile, unit.code
    manual = [item for item in rubric.items if item.method == "manual"]
    deductions = _manual_deductions(rng, manual, p.manual_loss)
    overrides = {item_id: (score, reason) for item_id, score, reason in p.overrides}
    self_rows, review_rows = [], []
    for item in rubric.items:
        review: tuple[Decimal, str] | None = None
        if item.method == "manual":
            lost = deductions[item.id]
            note = _deduction_note(rng, item.id, lost) if lost else FULL_MARKS_NOTE
            review = (item.points - lost, note)
        elif item.id in overrides:
            review = overrides[item.id]
        elif item.rule == "casefile_quality" and not unit.casefile_reviews_count:
            score = min(p.casefile_assessor_score, item.points)
            review = (
                score,
                f"本年度无案卷评查记录，考评组现场抽查案卷3宗，文书基本规范，扣{_points(item.points - score)}分",
            )
        if review is not None:
            review_rows.append((code, item.id, _points(review[0]), review[1]))
        self_rows.append((code, item.id, *_self_claim(rng, unit, item, review)))
    return self_rows, review_rows


def _self_claim(rng: random.Random, unit: UnitYear, item: Item, review: tuple[Decimal, str] | None) -> Row:
    """Units claim at least what they will get, usually full marks; they own up to a 约谈."""
    if item.rule == "no_event" and unit.profile.summoned:
        return (_points(Decimal(0)), "本年度被市局约谈1次，自扣5分")
    final = review[0] if review else item.points
    if final >= item.points or rng.random() < 0.6:
        return (_points(item.points), rng.choice(SELF_FULL_NOTES))
    claim = min(item.points, final + Decimal(rng.randrange(0, 3)) / 2)
    if claim == item.points:
        return (_points(claim), rng.choice(SELF_FULL_NOTES))
    return (_points(claim), f"基本完成，个别环节尚有不足，自扣{_points(item.points - claim)}分")


# ─── writing ───


class _Sink(Protocol):
    def write(self, rows: Sequence[Row]) -> None: ...

    def close(self) -> None: ...


class _CsvSink:
    def __init__(self, path: Path, header: Sequence[str]):
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.file, lineterminator="\n")
        self.writer.writerow(header)

    def write(self, rows: Sequence[Row]) -> None:
        self.writer.writerows(rows)

    def close(self) -> None:
        self.file.close()


class _XlsxSink:
    """write_only keeps memory flat; numbers go in as numbers, dates as text (formats.md accepts both)."""

    NUMERIC = frozenset({"监测面积", "耕地面积", "评查得分", "得分"})

    def __init__(self, path: Path, header: Sequence[str]):
        from openpyxl import Workbook  # only needed for this format

        self.path = path
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(path.stem)
        self.sheet.append(list(header))
        self.numeric = [column in self.NUMERIC for column in header]

    def write(self, rows: Sequence[Row]) -> None:
        for row in rows:
            self.sheet.append([Decimal(v) if num else v for v, num in zip(row, self.numeric, strict=True)])

    def close(self) -> None:
        self.workbook.save(self.path)


def generate_year(
    out_dir: Path,
    *,
    year: int = 2017,
    units: int = 8,
    seed: int = 2017,
    fmt: str = "csv",
    scores: bool = True,
    carryover: bool = True,
    only: Sequence[str] | None = None,
) -> dict[str, Path]:
    """Write one synthetic year's import files into out_dir; return {kind: path}.

    scores=False leaves out the self and review scores; carryover=False leaves out the records dated in
    the previous year (a few cases and tips), for a year generated next to one already imported.
    only=("cases",) writes those kinds only, with the same rows as a full generation."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}")
    unknown = set(only or ()) - set(HEADERS)
    if unknown:
        raise ValueError(f"unknown kinds: {', '.join(sorted(unknown))}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    kinds = LEDGER_KINDS + (SCORE_KINDS if scores else ())
    if only is not None:
        kinds = tuple(kind for kind in kinds if kind in only)
    paths = {kind: out_dir / f"{kind}.{fmt}" for kind in kinds}
    sink_type = _CsvSink if fmt == "csv" else _XlsxSink
    sinks: dict[str, _Sink] = {kind: sink_type(paths[kind], HEADERS[kind]) for kind in kinds}
    rubric = load_rubric_file(RUBRIC_FILE) if set(SCORE_KINDS) & set(kinds) else None
    try:
        for code, name in unit_list(units):
            unit = UnitYear(code, name, year, seed, _profile(code, year, seed), carryover)
            _write_unit(sinks, unit, rubric)
    finally:
        for sink in sinks.values():
            sink.close()
    return paths


def _write_unit(sinks: dict[str, _Sink], unit: UnitYear, rubric: Rubric | None) -> None:
    def write(kind: str, rows: Sequence[Row]) -> None:
        if kind in sinks:
            sinks[kind].write(rows)

    write("units", [(unit.code, unit.name)])
    # Order matters: case-file reviews pick from the cases, and the draws follow one fixed sequence,
    # so every kind is drawn even when only some are written.
    write("cases", unit.cases())
    write("submissions", unit.submissions())
    write("tips", unit.tips())
    write("patches", unit.patches())
    write("events", unit.events())
    write("casefile-reviews", unit.casefile_reviews())
    if rubric is not None:
        self_rows, review_rows = score_rows(unit, rubric)
        write("self-scores", self_rows)
        write("review-scores", review_rows)


def _profile(code: str, year: int, seed: int) -> Profile:
    if code in YIYANG_PROFILES:
        return YIYANG_PROFILES[code]
    return synthetic_profile(random.Random(f"profile/{seed}/{year}/{code}"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kaoping.demo.generate", description="生成一个考评年度的模拟导入文件（确定性）"
    )
    parser.add_argument("--units", type=int, default=8, help="单位数（前 8 个为益阳各区县，默认 8）")
    parser.add_argument("--year", type=int, default=2017, help="考评年度（默认 2017）")
    parser.add_argument("--seed", type=int, default=2017, help="随机种子（默认 2017）")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="文件格式（默认 csv）")
    parser.add_argument("--no-scores", action="store_true", help="不生成自评表和考评表")
    parser.add_argument("--no-carryover", action="store_true", help="不生成上一年度立案的案件和登记的线索")
    parser.add_argument("--kinds", help="只生成这些类型，逗号分隔，如 units,cases（行与完整生成相同）")
    parser.add_argument("-o", "--out", type=Path, required=True, help="输出目录")
    args = parser.parse_args(argv)
    only = args.kinds.split(",") if args.kinds else None
    if only and set(only) - set(HEADERS):
        parser.error(f"--kinds 可选：{','.join(HEADERS)}")
    if args.units < 1:
        parser.error("--units 至少为 1")
    paths = generate_year(
        args.out,
        year=args.year,
        units=args.units,
        seed=args.seed,
        fmt=args.format,
        scores=not args.no_scores,
        carryover=not args.no_carryover,
        only=only,
    )
    for kind, path in paths.items():
        print(f"{kind}\t{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
