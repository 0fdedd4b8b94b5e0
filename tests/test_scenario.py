"""A small year built only through the command line, checked against figures computed by hand.

Unit 430902 (资阳区) has ledgers touching every rule item; 430903 (赫山区) has only a 问责; 430921
(南县) loses 25 points on manual items; the other five have no ledgers. Hand computation in comments.
"""

import json

import pytest

from kaoping.cli import main
from sheets import header, row

ZY, HS, NX = "430902", "430903", "430921"
OTHERS = ["430922", "430923", "430971", "430972", "430981"]
ALL = [ZY, HS, NX, *OTHERS]
RULE_ITEMS = {"1.1", "1.4", "2.3", "2.4", "3.2", "3.4", "3.5", "3.6", "3.7", "4.3", "5.4", "5.6", "5.7"}
MANUAL = {
    "1.2": 1,
    "1.3": 2,
    "1.5": 2,
    "1.6": 2,
    "1.7": 2,
    "1.8": 2,
    "2.1": 3,
    "2.2": 3,
    "2.5": 3,
    "2.6": 1,
    "3.1": 2,
    "3.3": 2,
    "4.1": 2,
    "4.2": 2,
    "5.1": 1,
    "5.2": 1,
    "5.3": 1,
    "5.5": 5,
    "6.1": 5,
    "6.2": 5,
    "6.3": 5,
    "6.4": 5,
}

EVENTS = [
    [ZY, "党组听取汇报", "2017-02-10", "一季度"],
    [ZY, "党组听取汇报", "2017-05-10", "二季度"],
    [ZY, "党组听取汇报", "2017-11-10", "四季度"],
    [ZY, "党组听取汇报", "2016-12-30", "上年度，不计"],
    [ZY, "业务培训", "2017-06-01", "执法培训"],
    [ZY, "约谈", "2017-09-01", "卫片整改不力被约谈"],
    [HS, "问责", "2017-08-01", "违法用地问责"],
]


def _submissions():
    rows = []
    for month in range(1, 13):
        patrol = {3: "2017-03-21 00:10", 5: "2017-05-20 23:59"}.get(month, f"2017-{month:02d}-15 09:00")
        if month != 12:  # December's patrol report is missing
            rows.append([ZY, "巡查月报", f"2017-{month:02d}", patrol])
        case = "2017-07-25 10:00" if month == 7 else f"2017-{month:02d}-18"
        rows.append([ZY, "案件月报", f"2017-{month:02d}", case])
    rows += [[ZY, "形势分析", "2017H1", "2017-07-10"], [ZY, "形势分析", "2016H2", "2017-01-10"]]
    return rows


CASES = [
    row(
        "cases",
        案件编号="C1",
        单位代码=ZY,
        违法类型="土地",
        发现方式="动态巡查",
        是否重大案件="是",
        立案日期="2017-02-01",
        是否公开立案="是",
        处罚程序="一般",
        处罚决定日期="2017-02-20",
        生效日期="2017-03-01",
        网上公布日期="2017-03-21",
        结案日期="2017-05-01",
        是否公开曝光="是",
        曝光日期="2017-06-01",
        复议诉讼结果="无",
    ),
    row(
        "cases",
        案件编号="C2",
        单位代码=ZY,
        违法类型="土地",
        发现方式="群众举报",
        是否重大案件="是",
        立案日期="2017-03-01",
        是否公开立案="是",
        处罚程序="一般",
        处罚决定日期="2017-03-20",
        生效日期="2017-04-01",
        网上公布日期="2017-04-22",
        是否公开曝光="否",
        复议诉讼结果="无",
    ),
    row(
        "cases",
        案件编号="C3",
        单位代码=ZY,
        违法类型="矿产",
        发现方式="卫片监测",
        是否重大案件="是",
        立案日期="2016-11-01",
        是否公开立案="是",
        处罚程序="一般",
        处罚决定日期="2016-11-20",
        生效日期="2016-12-01",
        网上公布日期="2016-12-05",
        结案日期="2017-01-10",
        是否公开曝光="是",
        曝光日期="2017-02-01",
        复议诉讼结果="维持",
    ),
    row(
        "cases",
        案件编号="C4",
        单位代码=ZY,
        违法类型="土地",
        发现方式="动态巡查",
        是否重大案件="否",
        立案日期="2017-05-01",
        是否公开立案="否",
        处罚程序="简易",
        处罚决定日期="2017-05-02",
        生效日期="2017-05-02",
        是否公开曝光="否",
        复议诉讼结果="撤销",
    ),
    row(
        "cases",
        案件编号="C5",
        单位代码=ZY,
        违法类型="矿产",
        发现方式="动态巡查",
        是否重大案件="否",
        立案日期="2017-06-01",
        是否公开立案="否",
        处罚程序="一般",
        处罚决定日期="2017-06-20",
        生效日期="2017-07-01",
        是否公开曝光="否",
    ),
]
TIPS = [
    ["T1", ZY, "2017-01-05", "2017-02-05", "2017-02-05", "是"],
    ["T2", ZY, "2017-01-05", "2017-02-05", "2017-02-10", "是"],
    ["T3", ZY, "2017-03-05", "2017-04-05", "2017-04-01", "否"],
    ["T4", ZY, "2017-04-05", "2017-05-05", "", "是"],
]
REVIEWS = [
    ["R1", ZY, "2017-11-01", "80"],
    ["R2", ZY, "2017-11-02", "91"],
    ["R3", ZY, "2016-12-01", "10"],
]
PATCHES = [
    ["P1", ZY, "违法", "10", "2", "是", "是", "是", "是", "是"],
    ["P2", ZY, "违法", "10", "2", "是", "是", "是", "是", "是"],
    ["P3", ZY, "违法", "10", "2", "是", "否", "是", "否", "是"],
    ["P4", ZY, "违法", "10", "2", "是", "是", "否", "是", "是"],
    ["P5", ZY, "合法", "10", "2", "否", "否", "否", "否", "否"],
]


def _review_scores():
    rows = []
    for unit in ALL:
        for item, points in MANUAL.items():
            score, reason = points, ""
            if unit == ZY and item == "2.2":
                score, reason = 2.5, "巡查台帐个别月份记录不全"
            if unit == NX and item in ("5.5", "6.1", "6.2", "6.3", "6.4"):
                score, reason = 0, "未开展，无佐证材料"
            rows.append([unit, item, score, reason])
        if unit != ZY:
            rows.append([unit, "4.3", 5, "无评查记录，查阅案卷后评定"])
    rows.append([ZY, "3.7", 1, "撤销系程序瑕疵，酌情给分"])
    return rows


@pytest.fixture
def scenario(db, write_csv, capsys):
    def run(*args: str) -> None:
        assert main(list(args)) == 0, capsys.readouterr().err

    from kaoping.system import system_init

    system_init()
    run("campaign", "create", "--year", "2017", "--excellent-min", "81.5")
    for kind, rows in (
        ("events", EVENTS),
        ("submissions", _submissions()),
        ("cases", CASES),
        ("tips", TIPS),
        ("casefile-reviews", REVIEWS),
        ("patches", PATCHES),
        ("review-scores", _review_scores()),
        ("self-scores", [[ZY, "1.1", "3", "党组按季度听取汇报"]]),
    ):
        run("import", kind, str(write_csv(f"{kind}.csv", [header(kind), *rows])), "--year", "2017")
    capsys.readouterr()
    assert main(["results", "--year", "2017", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_rule_items_match_the_hand_computation(scenario):
    zy = next(u for u in scenario["units"] if u["code"] == ZY)
    scores = {item: zy["items"][item]["score"] for item in sorted(RULE_ITEMS)}
    assert (
        scores
        == {
            "1.1": 2.25,  # quarters 1, 2, 4: 3×3/4
            "1.4": 1.0,  # one training: 2×1/2
            "2.3": 1.67,  # March late (00:10 on the 21st), May on time (23:59 on the 20th), December missing: 2×10/12
            "2.4": 2.0,  # filed in 2017: C1 C2 C4 C5; by patrol C1 C4 C5 = 75% ≥ 60%
            "3.2": 0.5,  # T1 only: closed by the deadline and reported: 2×1/4
            "3.4": 3.25,  # July late: 3×11/12 = 2.75; 2017H1 only: 1×1/2
            "3.5": 3.0,  # C1 C2 public major filings: 4×2/8 = 1; land C1 + mineral C3 (filed 2016) exposed in 2017
            "3.6": 0.67,  # 一般 effective in 2017: C1 (day 20: on time) C2 (day 21) C5 (none): 2×1/3
            "3.7": 1.0,  # computed 0 (C4 撤销), overridden by the assessor
            "4.3": 5.13,  # mean of 80 and 91 (2016's review excluded): 6×85.5/100
            "5.4": 1.5,  # P1 P2 P4 have both dossiers: 2×3/4
            "5.6": 1.67,  # duty 100% met; investigated 75% and rectified 75% not: 5/3
            "5.7": 0.0,  # summoned
        }
    )
    assert zy["items"]["3.7"]["source"] == "override"
    assert zy["items"]["3.7"]["explanation"] == (
        "自动计分：本年度作出的处罚决定有 1 件经复议或诉讼被撤销、变更或确认违法，得 0.00 分；"
        "考评调整为 1.00 分：撤销系程序瑕疵，酌情给分"
    )
    assert zy["items"]["2.2"] == {
        "score": 2.5,
        "self": None,
        "source": "review",
        "explanation": "巡查台帐个别月份记录不全",
    }
    assert zy["items"]["1.1"]["source"] == "rule" and zy["items"]["1.1"]["self"] == 3.0
    assert zy["items"]["1.2"] == {"score": 1.0, "self": None, "source": "review", "explanation": ""}
    assert zy["items"]["2.3"]["explanation"] == "12 个月中 10 个月巡查月报按时上报，得 2×10/12=1.67 分"
    assert zy["sections"] == {"1": 14.25, "2": 13.17, "3": 12.42, "4": 9.13, "5": 11.17, "6": 20.0}
    assert zy["total"] == 80.14


def test_totals_ranks_grades_and_vetoes(scenario):
    assert scenario["complete"] is True and scenario["year"] == 2017 and scenario["rubric"] == "yiyang-2017"
    table = [(u["code"], u["total"], u["rank"], u["grade"], u["vetoes"]) for u in scenario["units"]]
    # No ledgers: 1.1 1.4 2.3 3.4 3.5 score 0, the rest full; 4.3 reviewed 5 → 25 + 57 manual = 82.
    assert table == [
        (HS, 82.0, 1, "达标", ["问责"]),  # vetoed: keeps its score and rank, loses 优胜
        ("430922", 82.0, 1, "优胜", []),
        ("430923", 82.0, 1, "优胜", []),
        ("430971", 82.0, 1, "优胜", []),
        ("430972", 82.0, 1, "优胜", []),
        ("430981", 82.0, 1, "优胜", []),  # five tied at the quota's edge: all admitted
        (ZY, 80.14, 7, "达标", []),
        (NX, 57.0, 8, "不合格", []),
    ]


def test_the_year_moves_to_approval_and_then_refuses_writes(scenario, write_csv, capsys):
    for state in ("自评中", "考评中", "公示中", "待审定", "已审定"):
        assert main(["campaign", "advance", "--year", "2017"]) == 0
        assert state in capsys.readouterr().out
    path = write_csv("late.csv", [header("review-scores"), [ZY, "1.2", "0", "迟到的修改"]])
    assert main(["import", "review-scores", str(path), "--year", "2017"]) == 1
    assert "已审定，所有分数和台帐已冻结" in capsys.readouterr().err
    path = write_csv("events.csv", [header("events"), [ZY, "约谈", "2017-12-01", "补录"]])
    assert main(["import", "events", str(path)]) == 1  # a dated kind: its dates decide the year
    assert (
        "第 2 行 [日期]: 该记录计入已审定的 2017 年度考评，导入会改变该年度已冻结的结果"
        in capsys.readouterr().err
    )


def test_an_approved_record_keeps_the_unit_names_it_was_approved_with(scenario, capsys):
    from kaoping.org.models import Unit

    for _ in range(5):
        assert main(["campaign", "advance", "--year", "2017"]) == 0
    Unit.objects.filter(code=ZY).update(name="改名区")
    capsys.readouterr()
    assert main(["results", "--year", "2017", "--json"]) == 0
    names = {u["code"]: u["name"] for u in json.loads(capsys.readouterr().out)["units"]}
    assert names[ZY] == "资阳区"
