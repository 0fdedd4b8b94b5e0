"""`kaoping rubric new --from yiyang-2017 --year 2018 -o FILE.toml`: next year's rubric from the last."""

from kaoping.cli import main
from kaoping.rubrics.schema import DATA_DIR, load_rubric_file

RUBRIC_2017 = DATA_DIR / "yiyang-2017.toml"


def test_a_new_years_rubric_from_the_shipped_one(tmp_path, capsys):
    out = tmp_path / "2018.toml"
    assert main(["rubric", "new", "--from", "yiyang-2017", "--year", "2018", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"已从 系统自带细则 yiyang-2017 生成 2018 年度细则：{out}" in printed
    assert "  - 编号 yiyang-2017 → yiyang-2018" in printed
    assert "  - 通知文号 益国土资发〔2017〕22号 已清空" in printed
    assert "  - 第 83 行（条目 1.5）：“2017年” → “2018年”" in printed
    assert "新年度的考评通知印发后，填写 document_number（通知文号）" in printed
    assert "共 35 项，校验通过。" in printed

    made, old = load_rubric_file(out), load_rubric_file(RUBRIC_2017)
    assert (made.id, made.year, made.title, made.document_number) == (
        "yiyang-2018",
        2018,
        "2018年全市国土资源执法监察工作目标管理考评细则",
        "",
    )
    assert [(s.title, s.points) for s in made.sections] == [(s.title, s.points) for s in old.sections]
    assert [(i.id, i.points, i.rule, dict(i.params)) for i in made.items] == [
        (i.id, i.points, i.rule, dict(i.params)) for i in old.items
    ]
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[83 - 1].startswith('text = "经费保障有力') and "2018年度矿产执法" in text
    assert "# [[adjustments]]" in text  # how to add a 加分项, as comments
    assert "# 每月20日前上报月报" in text  # last year's comments stay


def test_from_a_file_with_adjustments_keeps_them_and_another_id(tmp_path, capsys):
    out = tmp_path / "2019.toml"
    assert (
        main(
            [
                "rubric",
                "new",
                "--from",
                str(DATA_DIR / "yiyang-2018.toml"),
                "--year",
                "2019",
                "-o",
                str(out),
                "--id",
                "yiyang-2019-revised",
            ]
        )
        == 0
    )
    assert "上一年度的 1 个加分项、扣分项已保留，请核对是否仍适用" in capsys.readouterr().out
    made = load_rubric_file(out)
    assert (made.id, made.year, [a.id for a in made.adjustments]) == ("yiyang-2019-revised", 2019, ["J1"])
    assert "〔2011〕18号" in made.item("6.4").text and "2019年度矿山" in made.item("6.4").text


def test_what_it_refuses(tmp_path, capsys):
    out = tmp_path / "2018.toml"
    out.write_text("已有内容", encoding="utf-8")
    assert main(["rubric", "new", "--from", "yiyang-2017", "--year", "2018", "-o", str(out)]) == 1
    assert f"文件已存在：{out}；换一个文件名，或加 --force 覆盖" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "已有内容"
    assert main(["rubric", "new", "--from", "yiyang-2017", "--year", "2018", "-o", str(out), "--force"]) == 0
    capsys.readouterr()

    assert (
        main(["rubric", "new", "--from", "yiyang-1999", "--year", "2018", "-o", str(tmp_path / "x.toml")])
        == 1
    )
    assert "没有编号为 yiyang-1999 的系统自带细则，也没有这个文件（自带细则：yiyang-2017、yiyang-2018）" in (
        capsys.readouterr().err
    )
    assert (
        main(["rubric", "new", "--from", "yiyang-2017", "--year", "2017", "-o", str(tmp_path / "y.toml")])
        == 1
    )
    assert "细则已是 2017 年度的；新年度应不同于 2017" in capsys.readouterr().err
    assert (
        main(["rubric", "new", "--from", "yiyang-2017", "--year", "2018", "-o", str(tmp_path / "z.txt")]) == 1
    )
    assert "输出文件应以 .toml 结尾" in capsys.readouterr().err
    assert not (tmp_path / "x.toml").exists() and not (tmp_path / "y.toml").exists()
