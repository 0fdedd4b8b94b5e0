"""The computed (`rule`) items: each turns a unit's facts into a score and a one-sentence reason.

A rule declares its parameters so that a rubric file can be validated before anything is scored.
Thresholds, counts and point splits come from the rubric; nothing numeric is fixed here.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .facts import EVENT_KINDS, HALF_YEAR_REPORTS, MONTHLY_REPORTS, UnitFacts
from .numbers import fmt, fmt2, percent, share_below, threshold_percent, to_points


@dataclass(frozen=True)
class Computed:
    """A computed item score; `score` is None when the data cannot decide it (an assessor must)."""

    score: Decimal | None
    explanation: str


@dataclass(frozen=True)
class Param:
    kind: type  # str, int or Decimal
    default: Any = None  # None: required
    choices: tuple[str, ...] = ()  # the values a str parameter may take
    share: bool = False  # a Decimal that is a proportion, 0–1


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    params: Mapping[str, Param]
    compute: "RuleFunction"


RULES: dict[str, Rule] = {}
RuleFunction = Callable[[UnitFacts, Mapping[str, Any], Decimal], Computed]


def rule(name: str, label: str, **params: Param) -> Callable[[RuleFunction], RuleFunction]:
    def register(fn: RuleFunction) -> RuleFunction:
        RULES[name] = Rule(name=name, label=label, params=params, compute=fn)
        return fn

    return register


def _share_met(part: int, whole: int, threshold: Decimal) -> bool:
    return Fraction(part, whole) >= Fraction(threshold)


@rule("quarterly_event", "每季度至少一次的事项", event=Param(str, choices=EVENT_KINDS))
def quarterly_event(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    quarters = sorted(facts.event_quarters.get(p["event"], set()))
    q = len(quarters)
    score = to_points(Fraction(points) * q / 4, points)
    if q == 4:
        return Computed(score, f"4 个季度均有“{p['event']}”记录，得 {fmt2(score)} 分")
    covered = "、".join(f"第{n}季度" for n in quarters) or "无"
    return Computed(
        score,
        f"4 个季度中 {q} 个季度有“{p['event']}”记录（{covered}），得 {fmt(points)}×{q}/4={fmt2(score)} 分",
    )


@rule("event_count", "年度事项次数", event=Param(str, choices=EVENT_KINDS), required=Param(int))
def event_count(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    n, required = facts.event_counts.get(p["event"], 0), p["required"]
    counted = min(n, required)
    score = to_points(Fraction(points) * counted / required, points)
    return Computed(
        score,
        f"本年度“{p['event']}”{n} 次（要求至少 {required} 次），得 {fmt(points)}×{counted}/{required}={fmt2(score)} 分",
    )


@rule("monthly_reports_on_time", "月报按时上报", report=Param(str, choices=MONTHLY_REPORTS))
def monthly_reports_on_time(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    k = facts.reports_on_time.get(p["report"], 0)
    score = to_points(Fraction(points) * k / 12, points)
    return Computed(
        score, f"12 个月中 {k} 个月{p['report']}按时上报，得 {fmt(points)}×{k}/12={fmt2(score)} 分"
    )


@rule("patrol_found_share", "动态巡查发现案件比例", threshold=Param(Decimal, share=True))
def patrol_found_share(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    total, patrol, threshold = facts.cases_filed, facts.cases_filed_by_patrol, p["threshold"]
    line = threshold_percent(threshold)
    if total == 0:
        return Computed(to_points(points, points), f"本年度无立案查处案件，不扣分，得 {fmt2(points)} 分")
    share = share_below(patrol, total)
    if _share_met(patrol, total, threshold):
        return Computed(
            to_points(points, points),
            f"立案 {total} 件中动态巡查发现 {patrol} 件（{share}），不低于 {line}，得 {fmt2(points)} 分",
        )
    return Computed(
        Decimal("0.00"), f"立案 {total} 件中动态巡查发现 {patrol} 件（{share}），低于 {line}，得 0.00 分"
    )


@rule("tips_handled_share", "举报线索按期办结并上报")
def tips_handled_share(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    total, handled = facts.tips_registered, facts.tips_handled
    if total == 0:
        return Computed(to_points(points, points), f"本年度无登记的举报线索，不扣分，得 {fmt2(points)} 分")
    score = to_points(Fraction(points) * handled / total, points)
    return Computed(
        score,
        f"登记线索 {total} 条中 {handled} 条在期限内办结并上报支队（{percent(handled, total)}），"
        f"得 {fmt(points)}×{handled}/{total}={fmt2(score)} 分",
    )


@rule(
    "monthly_reports_and_analysis",
    "案件月报与半年形势分析",
    report=Param(str, choices=MONTHLY_REPORTS),
    monthly_points=Param(Decimal),
    analysis_points=Param(Decimal),
    analyses_required=Param(int),
    analysis_report=Param(str, "形势分析", choices=HALF_YEAR_REPORTS),
)
def monthly_reports_and_analysis(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    k = facts.reports_on_time.get(p["report"], 0)
    h = min(facts.reports_present.get(p["analysis_report"], 0), p["analyses_required"])
    monthly = Fraction(p["monthly_points"]) * k / 12
    analysis = Fraction(p["analysis_points"]) * h / p["analyses_required"]
    score = to_points(monthly + analysis, points)
    return Computed(
        score,
        f"12 个月中 {k} 个月{p['report']}按时上报，得 {fmt(p['monthly_points'])}×{k}/12={fmt(monthly)} 分；"
        f"半年{p['analysis_report']} {h}/{p['analyses_required']} 份，得 {fmt(analysis)} 分；合计 {fmt2(score)} 分",
    )


@rule(
    "public_filing_and_exposure",
    "公开立案与公开曝光",
    filing_points=Param(Decimal),
    filings_required=Param(int),
    land_exposure_points=Param(Decimal),
    mineral_exposure_points=Param(Decimal),
)
def public_filing_and_exposure(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    filed, required = facts.major_public_filings, p["filings_required"]
    filing = Fraction(p["filing_points"]) * min(filed, required) / required
    land = Fraction(p["land_exposure_points"]) if facts.land_exposures else Fraction(0)
    mineral = Fraction(p["mineral_exposure_points"]) if facts.mineral_exposures else Fraction(0)
    score = to_points(filing + land + mineral, points)
    return Computed(
        score,
        f"公开立案重大案件 {filed} 件（要求 {required} 件），得 {fmt(filing)} 分；"
        f"公开曝光已办结重大土地案件 {facts.land_exposures} 起，得 {fmt(land)} 分；"
        f"矿产案件 {facts.mineral_exposures} 起，得 {fmt(mineral)} 分；合计 {fmt2(score)} 分",
    )


@rule("decisions_published_share", "处罚决定书按期上网公布")
def decisions_published_share(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    total, published = facts.general_decisions_effective, facts.general_decisions_published_in_time
    if total == 0:
        return Computed(
            to_points(points, points), f"本年度无生效的一般程序处罚决定，不扣分，得 {fmt2(points)} 分"
        )
    score = to_points(Fraction(points) * published / total, points)
    return Computed(
        score,
        f"一般程序处罚决定生效 {total} 件中 {published} 件按期上网公布（{percent(published, total)}），"
        f"得 {fmt(points)}×{published}/{total}={fmt2(score)} 分",
    )


@rule("no_overturned_decisions", "处罚决定未被撤销、变更、确认违法")
def no_overturned_decisions(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    n = facts.decisions_overturned
    if n:
        return Computed(
            Decimal("0.00"), f"本年度作出的处罚决定有 {n} 件经复议或诉讼被撤销、变更或确认违法，得 0.00 分"
        )
    return Computed(
        to_points(points, points), f"本年度作出的处罚决定无被撤销、变更、确认违法情况，得 {fmt2(points)} 分"
    )


@rule("casefile_quality", "案卷质量评查平均分", full_marks=Param(Decimal))
def casefile_quality(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    n = facts.casefiles_reviewed
    if n == 0:
        return Computed(None, "本年度无案卷评查记录，需考评员评分")
    mean = Fraction(facts.casefile_score_sum) / n
    score = to_points(Fraction(points) * mean / Fraction(p["full_marks"]), points)
    return Computed(
        score,
        f"评查案卷 {n} 宗，平均 {fmt(mean)} 分（满分 {fmt(p['full_marks'])}），"
        f"得 {fmt(points)}×{fmt(mean)}/{fmt(p['full_marks'])}={fmt2(score)} 分",
    )


@rule("patch_dossiers_share", "违法图斑形成卫片卷宗和查处案卷")
def patch_dossiers_share(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    total, both = facts.illegal_patches, facts.patches_with_both_dossiers
    if total == 0:
        return Computed(to_points(points, points), f"本年度无违法图斑，不扣分，得 {fmt2(points)} 分")
    score = to_points(Fraction(points) * both / total, points)
    return Computed(
        score,
        f"违法图斑 {total} 个中 {both} 个同时形成卫片卷宗和查处案卷（{percent(both, total)}），"
        f"得 {fmt(points)}×{both}/{total}={fmt2(score)} 分",
    )


@rule(
    "patch_three_rates",
    "履职、查处、整改三个到位率",
    performed_min=Param(Decimal, share=True),
    investigated_min=Param(Decimal, share=True),
    rectified_min=Param(Decimal, share=True),
)
def patch_three_rates(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    total = facts.illegal_patches
    if total == 0:
        return Computed(to_points(points, points), f"本年度无违法图斑，不扣分，得 {fmt2(points)} 分")
    third = Fraction(points) / 3
    parts, earned = [], Fraction(0)
    for label, count, key in (
        ("履职到位率", facts.patches_duty_performed, "performed_min"),
        ("查处到位率", facts.patches_investigated, "investigated_min"),
        ("整改到位率", facts.patches_rectified, "rectified_min"),
    ):
        line = threshold_percent(p[key])
        met = _share_met(count, total, p[key])
        earned += third if met else 0
        parts.append(f"{label} {share_below(count, total)}（{'达到' if met else '未达到'} {line}）")
    score = to_points(earned, points)
    return Computed(score, f"违法图斑 {total} 个：" + "，".join(parts) + f"，得 {fmt2(score)} 分")


@rule("no_event", "无某类事项", event=Param(str, choices=EVENT_KINDS))
def no_event(facts: UnitFacts, p: Mapping[str, Any], points: Decimal) -> Computed:
    n = facts.event_counts.get(p["event"], 0)
    if n:
        return Computed(Decimal("0.00"), f"本年度被{p['event']} {n} 次，扣 {fmt(points)} 分，得 0.00 分")
    return Computed(to_points(points, points), f"本年度无{p['event']}记录，得 {fmt2(points)} 分")
