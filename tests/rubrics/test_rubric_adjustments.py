"""加分项 and 扣分项 declared as rubric data ([[adjustments]]): the 2018 example, and every problem named."""

from decimal import Decimal

import pytest

from kaoping.cli import main
from kaoping.rubrics.schema import DATA_DIR, RubricError, load_rubric_file, parse_rubric
from kaoping.scoring.adjustments import AdjustmentKind

RUBRIC_2017 = DATA_DIR / "yiyang-2017.toml"
RUBRIC_2018 = DATA_DIR / "yiyang-2018.toml"


def with_adjustments(toml: str) -> str:
    return RUBRIC_2017.read_text(encoding="utf-8") + "\n" + toml


def problems_of(toml: str) -> list[str]:
    with pytest.raises(RubricError) as raised:
        parse_rubric(with_adjustments(toml), "test.toml")
    return raised.value.problems


def test_the_2017_rubric_declares_none_and_the_2018_example_one_bonus_item():
    assert load_rubric_file(RUBRIC_2017).adjustments == ()
    rubric = load_rubric_file(RUBRIC_2018)
    (bonus,) = rubric.adjustments
    assert (bonus.id, bonus.kind, bonus.name, bonus.points, bonus.max) == (
        "J1",
        AdjustmentKind.BONUS,
        "经验推广和表彰",
        Decimal(1),
        Decimal(2),
    )
    assert bonus.text.endswith("每项加1分，最多加2分。")
    assert rubric.adjustment("J1") is bonus and rubric.adjustment("J2") is None


def test_the_2018_example_is_2017s_rubric_for_another_year():
    old, new = load_rubric_file(RUBRIC_2017), load_rubric_file(RUBRIC_2018)
    assert (new.id, new.year, new.total) == ("yiyang-2018", 2018, Decimal(100))
    assert [(i.id, i.points, i.departments, i.method, i.rule, dict(i.params)) for i in new.items] == [
        (i.id, i.points, i.departments, i.method, i.rule, dict(i.params)) for i in old.items
    ]
    assert [i.text for i in new.items] == [i.text.replace("2017年", "2018年") for i in old.items]
    assert new.item("1.5").text.count("2018年度") == 1 and "〔2011〕18号" in new.item("6.4").text


def test_a_deduction_is_declared_like_a_bonus():
    rubric = parse_rubric(
        with_adjustments(
            '[[adjustments]]\nid = "K1"\nkind = "deduction"\nname = "挂牌督办"\n'
            'text = "违法案件被国土资源部挂牌督办的，每起扣2分，最多扣4分。"\npoints = 2\nmax = 4\n'
        )
    )
    (deduction,) = rubric.adjustments
    assert (deduction.kind, deduction.kind.sign, deduction.label) == (
        AdjustmentKind.DEDUCTION,
        -1,
        "扣分项 K1",
    )
    assert rubric.total == Decimal(100)  # the items' total; adjustments come on top of it


def test_every_problem_of_the_adjustments_is_named_with_where_it_is():
    problems = problems_of(
        """
[[adjustments]]
id = "J1"
kind = "plus"
name = "经验推广"
text = "每项加1分"
points = 1
max = 2

[[adjustments]]
id = "J1"
kind = "bonus"
name = ""
text = ""
points = 0
max = 2.555
maximum = 3

[[adjustments]]
kind = "deduction"
name = "挂牌督办"
text = "每起扣2分，最多扣1分"
points = 2
max = 1

[[adjustments]]
id = "1.1"
kind = "bonus"
name = "这是一个超过二十个字的很长很长很长很长的加分项简称"
text = "x"
points = "一分"
max = 2
"""
    )
    assert problems == [
        "加减分项 J1: kind 应为 bonus（加分）、deduction（扣分），而不是 'plus'",
        "加分项 J1: 没有字段 'maximum'（可用字段：id、kind、name、text、points、max）",
        "加分项 J1: id 重复",
        '加分项 J1: 缺少简称 name（如 "经验推广"），用于排名表和通报',
        "加分项 J1: 缺少细则原文 text",
        "加分项 J1: points（每项分值） 应为正数，而不是 0",
        "加分项 J1: max（最多加减的分值） 最多保留两位小数，而不是 2.555",
        '第 3 个扣分项（[[adjustments]]）: 缺少 id（如 "J1"）',
        "第 3 个扣分项（[[adjustments]]）: max 1 小于每项分值 points 2，一项都不能全额计分",
        "加分项 1.1: id 应以字母开头、由字母和数字组成、不超过 10 个字符，如 J1 或 K2",
        "加分项 1.1: 简称 name 最多 20 个字，现有 25 个",
        "加分项 1.1: points（每项分值） 应为正数，而不是 '一分'",
    ]


def test_adjustments_must_be_an_array_of_tables():
    with pytest.raises(RubricError) as raised:
        parse_rubric('adjustments = "J1"\n' + RUBRIC_2017.read_text(encoding="utf-8"), "test.toml")
    assert raised.value.problems == ["[[adjustments]] 应为表的数组，每个加分项或扣分项一个 [[adjustments]]"]


def test_rubric_check_prints_the_adjustments_or_every_problem(tmp_path, capsys):
    assert main(["rubric", "check", str(RUBRIC_2018)]) == 0
    out = capsys.readouterr().out
    assert "加分项 J1“经验推广和表彰”：每项加 1 分，最多加 2 分" in out
    assert "共 35 项，另有加减分项 1 项，校验通过。" in out
    bad = tmp_path / "bad.toml"
    bad.write_text(
        with_adjustments('[[adjustments]]\nid = "J1"\nkind = "bonus"\nname = "x"\ntext = "y"\n'), "utf-8"
    )
    assert main(["rubric", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}：发现 2 处问题：" in err
    assert "  - 加分项 J1: points（每项分值） 应为正数，而不是 None" in err
    assert "  - 加分项 J1: max（最多加减的分值） 应为正数，而不是 None" in err
