"""How well a unit works, as its ledgers will show it: hand-made for the eight 益阳 units, drawn for others.

The 益阳 profiles are chosen so that the scored demo year shows every outcome of scoring.md: three 优胜, a
unit above 90 vetoed by 问责, a summoned unit (约谈), a 不合格 unit, late and missing reports, a 4.3 without
case-file reviews (scored by the assessor), one assessor override.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal


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
    published_share: float  # 一般程序 decisions effective in the year, published within the rubric's window
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


def profile_for(code: str, year: int, seed: int) -> Profile:
    if code in YIYANG_PROFILES:
        return YIYANG_PROFILES[code]
    return synthetic_profile(random.Random(f"profile/{seed}/{year}/{code}"))
