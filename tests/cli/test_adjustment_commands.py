"""`kaoping adjustment add / list / remove` and the results table's 加减分 column."""

import json

import pytest

from kaoping.audit.models import AuditEvent
from kaoping.cli import main
from kaoping.org.services import user_create

ZY = "430902"
BASIS = "湘国土资办函〔2017〕12号 通报表扬"


def add(tmp_path, *extra: str, basis: str = BASIS, date: str = "2017-06-01") -> int:
    evidence = tmp_path / "表扬通报.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return main(
        [
            "adjustment",
            "add",
            "--year",
            "2017",
            "--unit",
            ZY,
            "--item",
            "J1",
            "--date",
            date,
            "--basis",
            basis,
        ]
        + ["--evidence", str(evidence), *extra]
    )


def test_the_group_records_lists_and_removes_entries_on_the_command_line(bonus_year, tmp_path, capsys):
    assert add(tmp_path) == 0
    out = capsys.readouterr().out
    assert "已记录（编号 " in out and f"资阳区 加分项 J1“经验推广和表彰” 2017-06-01 {BASIS}" in out
    assert "本项：1 项×1 分=1 分，加分 1 分，总分现为 95.98" in out

    assert main(["results", "--year", "2017"]) == 0
    table = capsys.readouterr().out
    assert "加减分" in table.splitlines()[0]
    assert any(
        line.split()[2] == "资阳区" and "+1.00" in line and "95.98" in line
        for line in table.splitlines()[1:9]
    )
    assert "加分项 J1“经验推广和表彰”：每项加 1 分，最多加 2 分" in table

    assert main(["adjustment", "list", "--year", "2017", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert {k: listed[k] for k in ("unit", "item", "kind", "date", "points", "basis", "evidence")} == {
        "unit": ZY,
        "item": "J1",
        "kind": "bonus",
        "date": "2017-06-01",
        "points": 1.0,
        "basis": BASIS,
        "evidence": "表扬通报.pdf",
    }
    assert main(["adjustment", "list", "--year", "2017"]) == 0
    assert f"{listed['id']}\t{ZY} 资阳区\tJ1 经验推广和表彰\t2017-06-01\t+1.00\t{BASIS}\t表扬通报.pdf" in (
        capsys.readouterr().out
    )

    assert main(["adjustment", "remove", str(listed["id"]), "--reason", "误录"]) == 0
    assert f"已删除加分、扣分记录 {listed['id']}" in capsys.readouterr().out
    assert main(["adjustment", "list", "--year", "2017"]) == 0
    assert capsys.readouterr().out.strip() == "2017 年度没有加分、扣分记录"
    assert AuditEvent.objects.get(action="adjustment_remove").reason == "误录"


def test_the_command_line_refuses_with_the_reason(bonus_year, tmp_path, capsys):
    user_create(username="zy-tb", password="Kaoping-Test-2017!", role="filler", unit_code=ZY)
    assert add(tmp_path, "--as", "zy-tb") == 1
    assert capsys.readouterr().err.strip() == "错误：只有考评小组可以记录加分和扣分"
    assert add(tmp_path, basis="  ") == 1
    assert "必须写明依据" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        add(tmp_path, date="2017-13-01")
    assert usage.value.code == 2
    assert "参数 --date：“2017-13-01”不是日期，应写作 2018-06-30" in capsys.readouterr().err
    assert main(["adjustment", "remove", "999", "--reason", "x"]) == 1
    assert "没有该加分、扣分记录，或您无权查看" in capsys.readouterr().err
    missing = main(
        ["adjustment", "add", "--year", "2017", "--unit", ZY, "--item", "J1", "--date", "2017-06-01"]
        + ["--basis", BASIS, "--evidence", str(tmp_path / "none.pdf")]
    )
    assert missing == 1 and "佐证材料文件不存在" in capsys.readouterr().err
