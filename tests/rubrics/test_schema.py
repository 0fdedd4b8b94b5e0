"""Rubric files are validated completely before use, and every problem is named."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from kaoping.rubrics.schema import RubricError, load_rubric_file, parse_rubric, shipped_rubric_files

SHIPPED = shipped_rubric_files()[0]
SEED = Path(__file__).resolve().parents[3] / "shared/seeds/000_14152df778e28031.txt"


def test_the_2017_rubric_has_the_notice_sections_and_points():
    rubric = load_rubric_file(SHIPPED)
    assert [(s.title, s.points) for s in rubric.sections] == [
        ("机构建设和执法保障", 16),
        ("动态巡查", 14),
        ("案件查处", 20),
        ("案件质量评查", 10),
        ("土地矿产卫片执法检查", 20),
        ("专项工作", 20),
    ]
    assert rubric.total == 100
    assert [len(s.items) for s in rubric.sections] == [8, 6, 7, 3, 7, 4]
    rules = {i.id for i in rubric.items if i.method == "rule"}
    assert rules == {
        "1.1",
        "1.4",
        "2.3",
        "2.4",
        "3.2",
        "3.4",
        "3.5",
        "3.6",
        "3.7",
        "4.3",
        "5.4",
        "5.6",
        "5.7",
    }
    assert rubric.item("3.5").points == Decimal(6)
    assert rubric.item("3.5").text.startswith("采取公开立案方式查处8件以上重大国土资源违法案件")


def _notice_items(seed_text: str) -> dict[str, str]:
    """The notice's item texts by id, punctuation made full-width, the trailing "(N分)" dropped."""
    body = seed_text[seed_text.index("目 标 管 理 考 评 细 则") :]
    widths = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})
    items, section = {}, 0
    for line in (raw.strip() for raw in body.splitlines()):
        if re.match(r"^[一二三四五六]、", line):
            section += 1
        elif (match := re.match(r"^(\d+)\.(.*)$", line)) and section:
            text = re.sub(r"[(（]?\d+分\)?\s*$", "", match.group(2)).strip()
            items[f"{section}.{match.group(1)}"] = text.translate(widths)
    return items


def test_item_texts_are_the_notice_text():
    seed = Path(SEED)
    if not seed.exists():
        pytest.skip("the seed notice is not beside this checkout")
    notice = _notice_items(seed.read_text(encoding="utf-8"))
    rubric = load_rubric_file(SHIPPED)
    assert set(notice) == {item.id for item in rubric.items}
    for item in rubric.items:
        # The one place the extraction lost characters inside an item: 〔2011〕18号）.
        assert item.text.replace("〔2011〕18号）", "〔201118号") == notice[item.id], item.id


def _broken(text: str) -> list[str]:
    with pytest.raises(RubricError) as caught:
        parse_rubric(text, "broken.toml")
    return caught.value.problems


def test_every_problem_is_reported_at_once():
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace('id = "1.2"', 'id = "1.1"')  # duplicate id
    text = text.replace('rule = "tips_handled_share"', 'rule = "tips_guess"')  # unknown rule
    text = text.replace('params = { event = "约谈" }', 'params = { event = "约谈", points_off = 5 }')
    text = text.replace("total = 100", "total = 99")
    problems = _broken(text)
    assert any("1.1: 编号重复" in p for p in problems)
    assert any("未知的计分规则 'tips_guess'" in p for p in problems)
    assert any("没有参数 'points_off'" in p for p in problems)
    assert any("与声明的总分 99 不符" in p for p in problems)


def test_items_must_sum_to_their_section():
    text = SHIPPED.read_text(encoding="utf-8").replace('id = "1.2"\ntext', 'id = "1.2"\ntext', 1)
    text = text.replace('points = 1\ndepartments = ["rsjy"]', 'points = 2\ndepartments = ["rsjy"]', 1)
    problems = _broken(text)
    assert any("第 1 部分“机构建设和执法保障”: 各条目分值之和为 17" in p for p in problems)


def test_not_toml_is_a_clear_error():
    assert "不是有效的 TOML" in _broken("id = [")[0]


def test_cli_rubric_check(tmp_path, capsys):
    from kaoping.cli import main

    assert main(["rubric", "check", str(SHIPPED)]) == 0
    assert "共 35 项，校验通过" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(SHIPPED.read_text(encoding="utf-8").replace("total = 100", "total = 98"), encoding="utf-8")
    assert main(["rubric", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "发现 1 处问题" in err and "98" in err


def test_names_outside_the_ledger_vocabulary_and_shares_over_one_are_refused():
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace('event = "党组听取汇报"', 'event = "党组听取报告"')
    text = text.replace('report = "巡查月报"', 'report = "巡察月报"')
    text = text.replace('threshold = "0.60"', 'threshold = "60"')
    text = text.replace('events = ["问责", "数据不实"]', 'events = ["问责", "数据失实"]')
    text = text.replace('id = "1.8"', 'id = "5.9"')
    problems = _broken(text)
    assert any("'event' 的值 '党组听取报告' 不是台帐中的类型" in p for p in problems)
    assert any("'report' 的值 '巡察月报' 不是台帐中的类型" in p for p in problems)
    assert any("'threshold' 是比例，应在 0–1 之间" in p for p in problems)
    assert any("'数据失实' 不是工作事项类型" in p for p in problems)
    assert any("条目 5.9: 编号应为“1.序号”" in p for p in problems)


def test_the_rubric_vocabulary_is_the_ledgers_vocabulary():
    from kaoping.ledgers.models import EventKind, ReportKind
    from kaoping.scoring.facts import EVENT_KINDS, HALF_YEAR_REPORTS, MONTHLY_REPORTS

    assert tuple(EventKind.values) == EVENT_KINDS
    assert tuple(ReportKind.values) == MONTHLY_REPORTS + HALF_YEAR_REPORTS
