"""A hand-built 2017 outcome over the real rubric: eight units, all three grades, two vetoes, a tie."""

import copy
from collections.abc import Callable
from decimal import Decimal

import pytest

from kaoping.rubrics.schema import DATA_DIR, Rubric, load_rubric_file
from kaoping.scoring.enums import CampaignState
from kaoping.scoring.grading import GradeSettings, section_totals
from kaoping.scoring.outcome import CampaignOutcome, ItemOutcome, Standing, UnitOutcome, standings_decide

D = Decimal

# What the rules say when a unit earns the full points.
FULL_MARKS = {
    "1.1": "4 个季度均听取汇报，得 3×4/4=3 分",
    "1.4": "组织业务培训 2 次，得 2×2/2=2 分",
    "2.3": "12 个月中 12 个月按时上报，得 2×12/12=2 分",
    "2.4": "立案 12 件，动态巡查发现 9 件，占 75%，不低于 60%，得 2 分",
    "3.2": "登记线索 15 条，15 条按期办结并上报支队，得 2×15/15=2 分",
    "3.4": "案件月报 12 个月均按时上报，得 3 分；形势分析 2 期，得 1 分，共 4 分",
    "3.5": "重大案件公开立案 8 件，得 4 分；土地、矿产案件各公开曝光 1 起，得 2 分，共 6 分",
    "3.6": "一般程序案件 10 件，10 件在 20 日内上网公布，得 2 分",
    "3.7": "本年度无被撤销、变更、确认违法的处罚决定，得 2 分",
    "4.3": "评查案卷 5 宗，平均 100 分，得 6×100/100=6 分",
    "5.4": "违法图斑 12 个，均形成卫片卷宗和查处案卷，得 2 分",
    "5.6": "违法图斑 12 个，三项到位率均达标，得 5 分",
    "5.7": "本年度未被约谈，得 5 分",
}

# item → (final score, note); a rule item's note is its explanation unless it is an override
# ("override", computed, explanation, review note).
Deduction = tuple
UNITS: list[tuple[str, str, list[str], dict[str, Deduction]]] = [
    (
        "430903",
        "赫山区",
        ["问责"],
        {
            "3.5": (
                "5.00",
                "重大案件公开立案 6 件，得 4×6/8=3 分；土地、矿产案件各公开曝光 1 起，得 2 分，共 5 分",
            ),
            "6.2": ("3.00", "新开工项目用地自查清理情况未按时上报"),
        },
    ),
    (
        "430902",
        "资阳区",
        [],
        {
            "1.2": ("0.00", "执法监察机构未比照局内设科室管理"),
            "2.3": ("1.50", "12 个月中 9 个月按时上报，得 2×9/12=1.5 分"),
            "4.3": (
                "4.00",
                (
                    "override",
                    "5.40",
                    "评查案卷 5 宗，平均 90 分，得 6×90/100=5.4 分",
                    "抽查 2 宗案卷证据链不完整",
                ),
            ),
            "6.3": ("4.00", "打非治违专项整治台帐不全"),
        },
    ),
    (
        "430921",
        "南县",
        [],
        {
            "1.5": ("1.00", "微信举报平台未建成"),
            "2.2": ("2.00", "巡查台帐记录不够详实"),
            "2.6": ("0.00", "节假日未开展矿产领域暗访检查"),
            "3.5": (
                "4.00",
                "重大案件公开立案 4 件，得 4×4/8=2 分；土地、矿产案件各公开曝光 1 起，得 2 分，共 4 分",
            ),
            "5.5": ("4.00", "卫片在线数据填报有 3 处与实地不符"),
            "6.1": ("3.00", "闲置土地处置进度滞后"),
        },
    ),
    (
        "430922",
        "桃江县",
        [],
        {
            "1.8": ("1.00", "未建立联合执法机制"),
            "2.5": ("2.00", "制止无效的违法行为未及时书面报告"),
            "3.4": (
                "3.50",
                "案件月报 12 个月中 10 个月按时上报，得 3×10/12=2.5 分；形势分析 2 期，得 1 分，共 3.5 分",
            ),
            "3.6": ("1.00", "一般程序案件 8 件，4 件在 20 日内上网公布，得 2×4/8=1 分"),
            "5.6": (
                "3.33",
                "违法图斑 24 个：履职到位率 100%、查处到位率 91.67%、整改到位率 95.83%，得 5×2/3=3.33 分",
            ),
            "6.1": ("4.00", "批后监管信息录入不及时"),
            "6.4": ("3.00", "超深越界巷道井口密闭未全部完成"),
        },
    ),
    (
        "430923",
        "安化县",
        [],
        {
            "1.1": ("2.25", "4 个季度中 3 个季度听取汇报，得 3×3/4=2.25 分"),
            "2.2": ("2.00", "巡查台帐内容不够详实"),
            "3.3": ("1.00", "省厅督办案件回复超期"),
            "4.2": ("1.25", "部分案卷未及时归档"),
            "5.7": ("0.00", "本年度被约谈 1 次，得 0 分"),
            "6.2": ("4.00", "新开工项目用地清理清查不彻底"),
        },
    ),
    (
        "430981",
        "沅江市",
        [],
        {
            "1.1": ("1.50", "4 个季度中 2 个季度听取汇报，得 3×2/4=1.5 分"),
            "2.4": ("0.00", "立案 10 件，动态巡查发现 5 件，占 50%，低于 60%，得 0 分"),
            "3.5": ("2.00", "重大案件公开立案 2 件，得 4×2/8=1 分；土地案件公开曝光 1 起，得 1 分，共 2 分"),
            "4.3": ("5.10", "评查案卷 4 宗，平均 85 分，得 6×85/100=5.1 分"),
            "5.6": ("1.67", "违法图斑 15 个：仅履职到位率达标，得 5×1/3=1.67 分"),
            "5.7": ("0.00", "本年度被约谈 1 次，得 0 分"),
            "6.1": ("2.00", "闲置土地清理处置工作滞后"),
            "6.3": ("3.00", "矿产领域专项整治开展不够深入"),
        },
    ),
    (
        "430972",
        "益阳高新区",
        [],
        {
            "1.2": ("0.00", "执法监察机构未比照局内设科室管理"),
            "1.3": ("1.00", "部分审批事项未参与会审会签"),
            "1.7": ("1.00", "村级信息员制度不健全"),
            "2.1": ("2.00", "对下级巡查主体责任落实情况督查不够"),
            "2.3": ("1.33", "12 个月中 8 个月按时上报，得 2×8/12=1.33 分"),
            "3.2": ("1.44", "登记线索 18 条，13 条按期办结并上报支队，占 72.22%，得 2×13/18=1.44 分"),
            "3.5": ("2.00", "重大案件公开立案 2 件，得 4×2/8=1 分；土地案件公开曝光 1 起，得 1 分，共 2 分"),
            "3.7": ("0.00", "处罚决定被复议撤销 1 件，得 0 分"),
            "4.1": ("1.00", "未形成专项工作报告"),
            "5.2": ("0.00", "未以政府名义印发卫片执法检查工作通知"),
            "5.5": ("3.00", "在线数据审核不及时"),
            "6.1": ("2.00", "闲置土地清理处置工作滞后"),
            "6.2": ("3.00", "新开工项目用地自查清理情况迟报"),
            "6.4": ("3.50", "超深越界执法监测任务完成不及时"),
        },
    ),
    (
        "430971",
        "大通湖区",
        ["数据不实"],
        {
            "1.1": ("0.75", "4 个季度中 1 个季度听取汇报，得 3×1/4=0.75 分"),
            "1.4": ("1.00", "组织业务培训 1 次，得 2×1/2=1 分"),
            "2.1": ("1.00", "巡查责任制未落实到人"),
            "2.2": ("1.00", "巡查台帐不规范"),
            "2.3": ("0.67", "12 个月中 4 个月按时上报，得 2×4/12=0.67 分"),
            "3.2": ("1.00", "登记线索 4 条，2 条按期办结并上报支队，占 50%，得 2×2/4=1 分"),
            "3.4": (
                "2.00",
                "案件月报 12 个月中 6 个月按时上报，得 3×6/12=1.5 分；形势分析 1 期，得 0.5 分，共 2 分",
            ),
            "3.5": ("0.00", "重大案件公开立案 0 件，得 0 分；无公开曝光案件，共 0 分"),
            "4.3": (
                "3.00",
                (
                    "override",
                    "4.20",
                    "评查案卷 3 宗，平均 70 分，得 6×70/100=4.2 分",
                    "案卷装订不规范，文书缺失",
                ),
            ),
            "5.4": ("1.00", "违法图斑 6 个，3 个形成卫片卷宗和查处案卷，得 2×3/6=1 分"),
            "5.5": ("1.00", "在线数据填报不真实"),
            "5.6": ("0.00", "违法图斑 6 个：三项到位率均未达标，得 0 分"),
            "5.7": ("0.00", "本年度被约谈 1 次，得 0 分"),
            "6.1": ("1.00", "批后监管工作未开展"),
            "6.2": ("2.00", "新开工项目用地清理未完成"),
            "6.3": ("2.00", "打非治违工作不力"),
            "6.4": ("2.00", "超深越界整治不到位"),
        },
    ),
]
NO_SELF_SCORE = {("430971", "6")}  # 大通湖区 did not self-assess section 六

EXPECTED_TOTALS = {
    "430903": D("97.00"),
    "430902": D("95.50"),
    "430921": D("92.00"),
    "430922": D("91.83"),
    "430923": D("90.50"),
    "430981": D("78.27"),
    "430972": D("78.27"),
    "430971": D("51.42"),
}


def rubric() -> Rubric:
    return load_rubric_file(DATA_DIR / "yiyang-2017.toml")


def _item(rubric: Rubric, code: str, item_id: str, deductions: dict[str, Deduction]) -> ItemOutcome:
    item = rubric.item(item_id)
    self_score = None if (code, item.section) in NO_SELF_SCORE else item.points
    if item_id not in deductions:
        if item.method == "rule":
            return ItemOutcome(item_id, item.points, self_score, "rule", item.points, FULL_MARKS[item_id], "")
        return ItemOutcome(item_id, item.points, self_score, "review", None, "", "")
    score, note = D(deductions[item_id][0]), deductions[item_id][1]
    if isinstance(note, tuple):
        _, computed, explanation, reason = note
        return ItemOutcome(item_id, score, self_score, "override", D(computed), explanation, reason)
    if item.method == "rule":
        return ItemOutcome(item_id, score, score if self_score is not None else None, "rule", score, note, "")
    return ItemOutcome(item_id, score, self_score, "review", None, "", note)


def build_outcome(settings: GradeSettings | None = None) -> CampaignOutcome:
    settings = settings or GradeSettings()
    r = rubric()
    section_of = {i.id: i.section for i in r.items}
    units: list[UnitOutcome] = []
    for code, name, vetoes, deductions in UNITS:
        items = {i.id: _item(r, code, i.id, deductions) for i in r.items}
        sections = section_totals({k: v.score for k, v in items.items()}, section_of)
        total = sum(sections.values(), D("0.00"))
        assert total == EXPECTED_TOTALS[code], f"fixture drifted: {name} {total}"
        units.append(UnitOutcome(code, name, total, None, None, vetoes, sections, items))
    _grade(units, settings)
    return CampaignOutcome(
        2017,
        CampaignState.APPROVED,
        r,
        settings.pass_min,
        settings.excellent_min,
        settings.excellent_quota,
        units,
    )


def _grade(units: list[UnitOutcome], settings: GradeSettings) -> None:
    decided = standings_decide([Standing(u.code, u.total, u.vetoes, u.unscored) for u in units], settings)
    for unit in units:
        unit.rank, unit.grade = decided[unit.code]
    units.sort(key=lambda u: (u.rank, u.code))


def make_incomplete(outcome: CampaignOutcome) -> CampaignOutcome:
    """南县's 4.3 has no reviewed case file and no assessor score yet: 未评."""
    pending = copy.deepcopy(outcome)
    pending.state = CampaignState.REVIEW
    for unit in pending.units:
        unit.rank = unit.grade = None
        if unit.code == "430921":
            lost = unit.items["4.3"].score
            unit.items["4.3"] = ItemOutcome(
                "4.3", None, D(6), None, None, "本年度无评查案卷，须由考评人评分", ""
            )
            unit.sections["4"] -= lost
            unit.total -= lost
            unit.unscored = 1
    return pending


@pytest.fixture
def outcome() -> CampaignOutcome:
    return build_outcome()


@pytest.fixture
def outcome_with() -> Callable[..., CampaignOutcome]:
    """The same scores under other grade settings, e.g. outcome_with(pass_min=D(50))."""
    return lambda **settings: build_outcome(GradeSettings(**settings))


@pytest.fixture
def incomplete_outcome() -> CampaignOutcome:
    return make_incomplete(build_outcome())
