"""自评表 and 考评表: a self score for every item; a review score for every manual item, for 4.3 where no
case file was reviewed, and for the profile's overrides."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

from kaoping.rubrics.schema import Item, Rubric

from .cells import Row, points
from .unit_year import UnitYear

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
    return template.format(d=points(deduction))


def score_rows(unit: UnitYear, rubric: Rubric) -> tuple[list[Row], list[Row]]:
    """(self scores, review scores), drawn after every ledger of the unit."""
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
                f"本年度无案卷评查记录，考评组现场抽查案卷3宗，文书基本规范，扣{points(item.points - score)}分",
            )
        if review is not None:
            review_rows.append((code, item.id, points(review[0]), review[1]))
        self_rows.append((code, item.id, *_self_claim(rng, unit, item, review)))
    return self_rows, review_rows


def _self_claim(rng: random.Random, unit: UnitYear, item: Item, review: tuple[Decimal, str] | None) -> Row:
    """Units claim at least what they will get, usually full marks; they own up to a 约谈."""
    if item.rule == "no_event" and unit.profile.summoned:
        return (points(Decimal(0)), f"本年度被市局约谈1次，自扣{points(item.points)}分")
    final = review[0] if review else item.points
    if final >= item.points or rng.random() < 0.6:
        return (points(item.points), rng.choice(SELF_FULL_NOTES))
    claim = min(item.points, final + Decimal(rng.randrange(0, 3)) / 2)
    if claim == item.points:
        return (points(claim), rng.choice(SELF_FULL_NOTES))
    return (points(claim), f"基本完成，个别环节尚有不足，自扣{points(item.points - claim)}分")
