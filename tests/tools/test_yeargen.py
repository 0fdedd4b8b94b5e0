"""The synthetic year generator (tools/yeargen): deterministic, valid per formats.md, and the shipped demo
scores as designed.

Its headers are the import specs' (pinned to formats.md in tests/ledgers/test_imports.py). The scoring check
below counts UnitFacts straight from the CSV rows, per scoring.md, and uses only the pure packages
kaoping.scoring and kaoping.rubrics.schema.
"""

import csv
import os
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from kaoping.demo import DATA_DIR
from kaoping.importing import KINDS as IMPORT_KINDS
from kaoping.org.defaults import YIYANG_UNITS
from kaoping.rubrics.schema import Rubric, load_rubric_file
from kaoping.scoring.facts import UnitFacts
from kaoping.scoring.grading import EXCELLENT, FAILED, PASSED, GradeSettings, UnitStanding, rank_and_grade
from sheets import header
from yeargen import KINDS, LEDGER_KINDS, RUBRIC_FILE, SCORE_KINDS, generate_year
from yeargen.__main__ import main

SHIPPED = DATA_DIR / "2017"
OPEN_YEAR = DATA_DIR / "2018"
YEAR = 2017
TOOLS = Path(__file__).resolve().parents[2] / "tools"
KEYS = {
    "units": ("单位代码",),
    "cases": ("案件编号",),
    "submissions": ("单位代码", "报表类型", "所属期"),
    "tips": ("线索编号",),
    "patches": ("图斑编号",),
    "events": ("单位代码", "类型", "日期", "说明"),
    "casefile-reviews": ("案卷编号",),
    "self-scores": ("单位代码", "条目"),
    "review-scores": ("单位代码", "条目"),
}
YES_NO = {"是", "否"}
OVERTURNED = {"撤销", "变更", "确认违法"}


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_file(RUBRIC_FILE)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate_year(out)
    return out


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def read_year(directory: Path) -> dict[str, list[dict[str, str]]]:
    return {kind: read_rows(directory / f"{kind}.csv") for kind in KINDS}


def day(text: str) -> date:
    return date.fromisoformat(text)


def optional_day(text: str) -> date | None:
    return day(text) if text else None


# ─── determinism, headers, shipped files ───


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    first = generate_year(tmp_path / "a", units=40, seed=7)
    second = generate_year(tmp_path / "b", units=40, seed=7)
    for kind, path in first.items():
        assert path.read_bytes() == second[kind].read_bytes(), kind


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    first = generate_year(tmp_path / "a", seed=1, scores=False)
    second = generate_year(tmp_path / "b", seed=2, scores=False)
    assert set(first) == set(LEDGER_KINDS)
    assert first["cases"].read_bytes() != second["cases"].read_bytes()


def test_some_kinds_only_have_the_rows_of_a_full_generation(tmp_path: Path) -> None:
    full = generate_year(tmp_path / "full", units=12, seed=3)
    some = generate_year(tmp_path / "some", units=12, seed=3, only=("units", "casefile-reviews"))
    assert set(some) == {"units", "casefile-reviews"}
    assert sorted(p.name for p in (tmp_path / "some").iterdir()) == ["casefile-reviews.csv", "units.csv"]
    for kind, path in some.items():
        assert path.read_bytes() == full[kind].read_bytes(), kind


def test_it_writes_every_importable_kind_with_the_import_specs_headers(demo_dir: Path) -> None:
    assert set(KINDS) == set(IMPORT_KINDS) and set(SCORE_KINDS) == set(KINDS) - set(LEDGER_KINDS)
    for kind in KINDS:
        with (demo_dir / f"{kind}.csv").open(encoding="utf-8", newline="") as file:
            assert next(csv.reader(file)) == header(kind), kind


def test_shipped_files_equal_a_fresh_generation(demo_dir: Path) -> None:
    for kind in KINDS:
        shipped = SHIPPED / f"{kind}.csv"
        assert shipped.read_bytes() == (demo_dir / f"{kind}.csv").read_bytes(), f"{kind}: regenerate the demo"


def test_the_shipped_open_year_equals_a_fresh_generation(tmp_path: Path) -> None:
    # `kaoping demo` imports these next to 2017: 2017's units, no scores, nothing dated in 2017.
    fresh = generate_year(tmp_path, year=2018, seed=2018, scores=False, carryover=False)
    ledgers = [kind for kind in LEDGER_KINDS if kind != "units"]
    assert sorted(path.name for path in OPEN_YEAR.iterdir()) == sorted(f"{kind}.csv" for kind in ledgers)
    for kind in ledgers:
        shipped = OPEN_YEAR / f"{kind}.csv"
        assert shipped.read_bytes() == fresh[kind].read_bytes(), f"{kind}: regenerate the open year"


def test_xlsx_has_the_same_rows(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    csv_paths = generate_year(tmp_path / "csv", units=9)
    xlsx_paths = generate_year(tmp_path / "xlsx", units=9, fmt="xlsx")
    for kind in ("cases", "patches", "review-scores"):
        sheet = openpyxl.load_workbook(xlsx_paths[kind], read_only=True).worksheets[0]
        cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        with csv_paths[kind].open(encoding="utf-8", newline="") as file:
            expected = list(csv.reader(file))
        assert len(cells) == len(expected)
        assert cells[0] == expected[0]
        if kind == "cases":
            assert cells[1:] == expected[1:]


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--units", "12", "--seed", "1", "--format", "csv", "-o", str(tmp_path)]) == 0
    assert len(read_rows(tmp_path / "units.csv")) == 12
    assert "cases" in capsys.readouterr().out


def test_it_runs_as_a_module_with_tools_on_the_path(tmp_path: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(TOOLS)}
    argv = [sys.executable, "-m", "yeargen", "--units", "3", "--kinds", "units", "-o", str(tmp_path)]
    result = subprocess.run(argv, capture_output=True, text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [row["单位名称"] for row in read_rows(tmp_path / "units.csv")] == ["资阳区", "赫山区", "南县"]


def test_on_time_means_what_the_rubric_says(tmp_path: Path) -> None:
    """Another rubric's due day and publication window move the generated dates with them."""
    text = RUBRIC_FILE.read_text(encoding="utf-8")
    facts = tomllib.loads(text)["facts"]
    assert (facts["monthly_report_due_day"], facts["publish_within_days"]) == (20, 20)
    rubric_file = tmp_path / "earlier.toml"
    rubric_file.write_text(
        text.replace("monthly_report_due_day = 20", "monthly_report_due_day = 10").replace(
            "publish_within_days = 20", "publish_within_days = 7"
        ),
        encoding="utf-8",
    )
    generate_year(tmp_path / "year", units=2, scores=False, rubric_file=rubric_file)
    # 赫山区 (430903) is never late and publishes 95% of its 一般 decisions in time.
    rows = {kind: read_rows(tmp_path / "year" / f"{kind}.csv") for kind in ("submissions", "cases")}
    monthly = [r for r in rows["submissions"] if r["单位代码"] == "430903" and r["报表类型"] != "形势分析"]
    assert len(monthly) == 24 and all(int(r["提交时间"][8:10]) <= 10 for r in monthly)
    counted = [
        r
        for r in rows["cases"]
        if r["单位代码"] == "430903" and r["处罚程序"] == "一般" and in_year(optional_day(r["生效日期"]))
    ]
    in_time = [
        r
        for r in counted
        if r["网上公布日期"] and day(r["网上公布日期"]) <= day(r["生效日期"]) + timedelta(days=7)
    ]
    assert len(in_time) == int(len(counted) * 0.95 + 0.5)


# ─── every row valid for its format ───


def check_year(rows: dict[str, list[dict[str, str]]], rubric: Rubric) -> None:
    for kind, kind_rows in rows.items():
        keys = [tuple(row[column] for column in KEYS[kind]) for row in kind_rows]
        assert len(keys) == len(set(keys)), f"{kind}: duplicate keys"
    units = {row["单位代码"] for row in rows["units"]}
    assert all(re.fullmatch(r"\d{6}", code) for code in units)
    assert all(row["单位名称"] for row in rows["units"])
    for kind in KINDS:
        if kind != "units":
            assert {row["单位代码"] for row in rows[kind]} <= units, kind
    for row in rows["cases"]:
        check_case(row)
    for row in rows["submissions"]:
        check_submission(row)
    for row in rows["tips"]:
        check_tip(row)
    for row in rows["patches"]:
        check_patch(row)
    for row in rows["events"]:
        assert row["类型"] in {"党组听取汇报", "业务培训", "约谈", "问责", "数据不实"}
        assert day(row["日期"]).year == YEAR and row["说明"]
    for row in rows["casefile-reviews"]:
        assert day(row["评查日期"]).year == YEAR
        assert 60 <= Decimal(row["评查得分"]) <= 100
    case_numbers = {row["案件编号"] for row in rows["cases"]}
    assert {row["案卷编号"] for row in rows["casefile-reviews"]} <= case_numbers
    check_scores(rows, rubric, units)


def check_case(row: dict[str, str]) -> None:
    assert row["违法类型"] in {"土地", "矿产"}
    assert row["发现方式"] in {"动态巡查", "卫片监测", "群众举报", "新闻媒体", "部门移送", "上级交办", "其他"}
    assert row["处罚程序"] in {"一般", "简易"}
    assert row["复议诉讼结果"] in {"无", "维持"} | OVERTURNED
    for column in ("是否重大案件", "是否公开立案", "是否公开曝光"):
        assert row[column] in YES_NO
    filed = day(row["立案日期"])
    assert filed.year in (YEAR - 1, YEAR)
    decided, effective = optional_day(row["处罚决定日期"]), optional_day(row["生效日期"])
    published, closed = optional_day(row["网上公布日期"]), optional_day(row["结案日期"])
    exposed = optional_day(row["曝光日期"])
    if decided is None:
        assert effective is None and published is None and closed is None
        assert row["复议诉讼结果"] == "无"
    else:
        assert decided >= filed
    if effective is not None:
        assert decided is not None and effective >= decided
    for later in (published, closed):
        if later is not None:
            assert effective is not None and later >= effective
    assert (row["是否公开曝光"] == "是") == (exposed is not None)
    if exposed is not None:
        assert closed is not None and exposed >= closed


def check_submission(row: dict[str, str]) -> None:
    kind, period = row["报表类型"], row["所属期"]
    assert kind in {"巡查月报", "案件月报", "形势分析"}
    pattern = r"\d{4}H[12]" if kind == "形势分析" else r"\d{4}-(0[1-9]|1[0-2])"
    assert re.fullmatch(pattern, period), period
    assert period.startswith(str(YEAR))
    submitted = datetime.strptime(row["提交时间"], "%Y-%m-%d %H:%M")
    if kind != "形势分析":
        assert submitted.date() >= date(YEAR, int(period[5:]), 1)


def check_tip(row: dict[str, str]) -> None:
    registered, deadline = day(row["登记日期"]), day(row["办理期限"])
    assert deadline > registered
    closed = optional_day(row["办结日期"])
    assert closed is None or closed >= registered
    assert row["是否上报支队"] in YES_NO


def check_patch(row: dict[str, str]) -> None:
    assert row["判定结果"] in {"合法", "违法", "其他"}
    monitored, farmland = Decimal(row["监测面积"]), Decimal(row["耕地面积"])
    assert 0 <= farmland <= monitored
    assert monitored.as_tuple().exponent == -2
    for column in header("patches")[5:]:
        assert row[column] in YES_NO


def check_scores(rows: dict[str, list[dict[str, str]]], rubric: Rubric, units: set[str]) -> None:
    items = rubric.item_map
    for kind in ("self-scores", "review-scores"):
        for row in rows[kind]:
            score = Decimal(row["得分"])
            assert 0 <= score <= items[row["条目"]].points
            assert score.as_tuple().exponent >= -2
    self_keys = {(row["单位代码"], row["条目"]) for row in rows["self-scores"]}
    assert self_keys == {(code, item) for code in units for item in items}
    reviewed = {(row["单位代码"], row["条目"]) for row in rows["review-scores"]}
    manual = {(code, i.id) for code in units for i in rubric.items if i.method == "manual"}
    assert manual <= reviewed
    for row in rows["review-scores"]:
        item = items[row["条目"]]
        if Decimal(row["得分"]) < item.points or item.method == "rule":
            assert row["说明"], row


def test_demo_rows_are_valid(demo_dir: Path, rubric: Rubric) -> None:
    check_year(read_year(demo_dir), rubric)


def test_synthetic_rows_are_valid(tmp_path: Path, rubric: Rubric) -> None:
    generate_year(tmp_path, units=150, seed=3)
    rows = read_year(tmp_path)
    check_year(rows, rubric)
    codes = [row["单位代码"] for row in rows["units"]]
    assert [(c, n) for c, n in zip(codes[:8], (r["单位名称"] for r in rows["units"]), strict=False)] == list(
        YIYANG_UNITS
    )
    assert len(set(codes)) == 150


# ─── the scoring check: facts per scoring.md from the rows, totals and grades ───


def in_year(value: date | None) -> bool:
    return value is not None and value.year == YEAR


def unit_facts(rows: dict[str, list[dict[str, str]]], code: str) -> UnitFacts:
    """What the ledgers say about one unit in YEAR, counted as scoring.md describes."""
    facts = UnitFacts(year=YEAR)
    mine = {kind: [row for row in kind_rows if row["单位代码"] == code] for kind, kind_rows in rows.items()}
    quarters: dict[str, set[int]] = defaultdict(set)
    for row in mine["events"]:
        when = day(row["日期"])
        if in_year(when):
            facts.event_counts[row["类型"]] = facts.event_counts.get(row["类型"], 0) + 1
            quarters[row["类型"]].add((when.month - 1) // 3 + 1)
    facts.event_quarters = dict(quarters)
    count_submissions(facts, mine["submissions"])
    count_cases(facts, mine["cases"])
    for row in mine["tips"]:
        if in_year(day(row["登记日期"])):
            facts.tips_registered += 1
            closed = optional_day(row["办结日期"])
            on_time = closed is not None and closed <= day(row["办理期限"])
            facts.tips_handled += on_time and row["是否上报支队"] == "是"
    for row in mine["casefile-reviews"]:
        if in_year(day(row["评查日期"])):
            facts.casefiles_reviewed += 1
            facts.casefile_score_sum += Decimal(row["评查得分"])
    for row in mine["patches"]:
        if row["判定结果"] == "违法":
            facts.illegal_patches += 1
            facts.patches_with_both_dossiers += row["是否形成卫片卷宗"] == row["是否形成查处案卷"] == "是"
            facts.patches_duty_performed += row["是否履职到位"] == "是"
            facts.patches_investigated += row["是否查处到位"] == "是"
            facts.patches_rectified += row["是否整改到位"] == "是"
    return facts


def count_submissions(facts: UnitFacts, rows: list[dict[str, str]]) -> None:
    for row in rows:
        kind, period = row["报表类型"], row["所属期"]
        if not period.startswith(str(YEAR)):
            continue
        facts.reports_present[kind] = facts.reports_present.get(kind, 0) + 1
        if kind != "形势分析":
            due = date(YEAR, int(period[5:]), 20)
            on_time = datetime.strptime(row["提交时间"], "%Y-%m-%d %H:%M").date() <= due
            facts.reports_on_time[kind] = facts.reports_on_time.get(kind, 0) + on_time


def count_cases(facts: UnitFacts, rows: list[dict[str, str]]) -> None:
    for row in rows:
        major = row["是否重大案件"] == "是"
        if in_year(day(row["立案日期"])):
            facts.cases_filed += 1
            facts.cases_filed_by_patrol += row["发现方式"] == "动态巡查"
            facts.major_public_filings += major and row["是否公开立案"] == "是"
        exposed = row["是否公开曝光"] == "是" and in_year(optional_day(row["曝光日期"]))
        if major and row["结案日期"] and exposed:
            if row["违法类型"] == "土地":
                facts.land_exposures += 1
            else:
                facts.mineral_exposures += 1
        effective = optional_day(row["生效日期"])
        if row["处罚程序"] == "一般" and in_year(effective):
            facts.general_decisions_effective += 1
            published = optional_day(row["网上公布日期"])
            facts.general_decisions_published_in_time += published is not None and published <= (
                effective + timedelta(days=20)
            )
        if in_year(optional_day(row["处罚决定日期"])) and row["复议诉讼结果"] in OVERTURNED:
            facts.decisions_overturned += 1


def score_year(rows: dict[str, list[dict[str, str]]], rubric: Rubric) -> dict[str, tuple[dict, UnitStanding]]:
    """Per unit: final item scores (review, else computed) and its standing after ranking and grading."""
    reviews = {(row["单位代码"], row["条目"]): Decimal(row["得分"]) for row in rows["review-scores"]}
    vetoing = set(rubric.veto_events)
    result, standings = {}, []
    for unit in rows["units"]:
        code = unit["单位代码"]
        facts = unit_facts(rows, code)
        finals: dict[str, Decimal] = {}
        for item in rubric.items:
            computed = item.compute(facts)
            final = reviews.get((code, item.id), computed.score if computed else None)
            assert final is not None, f"{code} {item.id} 未评"
            finals[item.id] = final
        vetoes = tuple(sorted(vetoing & set(facts.event_counts)))
        standing = UnitStanding(code=code, total=sum(finals.values(), Decimal(0)), vetoes=vetoes)
        standings.append(standing)
        result[code] = (finals, standing)
    rank_and_grade(standings, GradeSettings())
    return result


def test_demo_year_shows_every_grade(demo_dir: Path, rubric: Rubric) -> None:
    scored = score_year(read_year(demo_dir), rubric)
    grades = {code: standing.grade for code, (_, standing) in scored.items()}
    assert set(grades.values()) == {EXCELLENT, PASSED, FAILED}
    assert grades["430903"] == grades["430902"] == EXCELLENT
    assert grades["430923"] == FAILED
    assert sum(grade == EXCELLENT for grade in grades.values()) == 3
    # 沅江市: above the line, but 问责 takes it out of 优胜.
    finals, yuanjiang = scored["430981"]
    assert yuanjiang.total >= 90 and yuanjiang.vetoes == ("问责",) and yuanjiang.grade == PASSED
    # 南县: summoned, so 5.7 is 0.
    assert scored["430921"][0]["5.7"] == 0
    assert all(finals_["5.7"] == 5 for code, (finals_, _) in scored.items() if code != "430921")


def test_without_carryover_nothing_is_dated_in_the_previous_year(tmp_path: Path, rubric: Rubric) -> None:
    generate_year(tmp_path, carryover=False)
    rows = read_year(tmp_path)
    check_year(rows, rubric)
    assert all(day(row["立案日期"]).year == YEAR for row in rows["cases"])
    assert all(day(row["登记日期"]).year == YEAR for row in rows["tips"])
    # The designed exposures then come from cases of the year itself.
    scored = score_year(rows, rubric)
    assert {standing.grade for _, standing in scored.values()} == {EXCELLENT, PASSED, FAILED}
    assert scored["430903"][0]["3.5"] == 6
