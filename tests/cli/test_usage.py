"""The command line speaks Chinese even when argparse answers, and touches no database before `init`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kaoping.cli import main

ENGLISH = re.compile(
    r"\b(the|following|arguments?|required|invalid|choose|expected|unrecognized|usage|error|value)\b", re.I
)
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "kaoping" / "demo" / "data" / "2017"


def kaoping(*args: str, home: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(KAOPING_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "kaoping.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def usage_error(capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as caught:
        main(list(args))
    assert caught.value.code == 2
    return capsys.readouterr().err


def test_kaoping_alone_lists_its_commands_in_chinese(capsys):
    err = usage_error(capsys)
    assert err.startswith("用法：kaoping [-h] 命令 ...\n")
    assert "    import    导入台帐、自评表或考评表\n" in err and "    init      创建或升级数据库" in err
    assert err.splitlines()[-1] == "用法错误：请指定命令"
    assert not ENGLISH.search(err), err


def test_a_group_of_commands_alone_lists_its_actions(capsys):
    err = usage_error(capsys, "campaign")
    assert "    create    开启一个考评年度\n    advance   推进考评状态\n" in err
    assert err.splitlines()[-1] == "用法错误：请指定操作"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import"], "用法错误：缺少必填参数 kind、file"),
        (["export", "ranking"], "用法错误：缺少必填参数 --year、-o/--output"),
        (["results", "--year", "x"], "用法错误：参数 --year：“x”不是整数"),
        (["results", "--year"], "用法错误：参数 --year：需要一个值"),
        (["results", "--year", "2017", "--bar"], "用法错误：无法识别的参数 --bar"),
        (
            ["publish"],
            "用法错误：参数 命令：“publish”不是可选的值；可选：init、rubric、campaign、import、adjustment、objections、template、"
            "results、export、demo、serve、user、token、audit、backup、restore、remind",
        ),
        (
            ["user", "create", "x", "--role", "boss"],
            "用法错误：参数 --role：“boss”不是可选的值；可选：filler、assessor、group、party、admin",
        ),
    ],
)
def test_argparse_messages_come_out_in_chinese(capsys, args, message):
    err = usage_error(capsys, *args)
    assert message in err.splitlines()
    assert not ENGLISH.search(err), err


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["init", "x"],
        ["rubric"],
        ["rubric", "check"],
        ["campaign"],
        ["campaign", "create"],
        ["campaign", "advance"],
        ["import"],
        ["import", "cases"],
        ["template"],
        ["results"],
        ["export"],
        ["demo", "-o"],
        ["serve", "--port", "x"],
        ["user"],
        ["user", "create"],
        ["token"],
        ["token", "create"],
    ],
)
def test_no_sub_command_without_its_arguments_answers_in_english(capsys, args):
    err = usage_error(capsys, *args)
    assert "用法错误：" in err
    assert not ENGLISH.search(err), err


@pytest.mark.parametrize(
    "args",
    [
        ["results", "--year", "2017"],
        ["campaign", "create", "--year", "2017"],
        ["import", "cases", str(SAMPLE / "cases.csv"), "--year", "2017"],
        ["template", "cases", "-o", "cases.xlsx"],
        ["user", "create", "someone", "--role", "group", "--password", "x"],
        ["serve", "--port", "0"],
    ],
)
def test_a_command_before_init_refuses_and_leaves_no_database_behind(tmp_path, args):
    home = tmp_path / "home"
    result = kaoping(*args, home=home)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"错误：数据库尚未初始化（没有 {home / 'kaoping.sqlite3'}）；请先运行 kaoping init，或检查 KAOPING_HOME"
    )
    assert not home.exists()


def test_an_import_into_a_year_nobody_opened_names_the_years_there_are(tmp_path):
    home = tmp_path / "home"
    assert kaoping("init", home=home).returncode == 0
    for year in ("2017", "2018"):
        assert kaoping("campaign", "create", "--year", year, home=home).returncode == 0
    result = kaoping("import", "patches", str(SAMPLE / "patches.csv"), "--year", "2031", home=home)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "错误：没有 2031 年度的考评；已有年度：2017、2018。请核对 --year，或先运行 kaoping campaign create --year 2031"
    )
    first = kaoping("import", "tips", str(SAMPLE / "tips.csv"), "--year", "2017", home=home)
    assert first.returncode == 0, first.stderr
    again = kaoping("import", "tips", str(SAMPLE / "tips.csv"), home=home)  # dated: no year needed
    assert again.returncode == 0, again.stderr
    count = first.stdout.split("新增 ")[1].split(" 条")[0]
    assert again.stdout.strip() == f"已导入 {count} 条举报线索：新增 0 条，更新 {count} 条"


def test_serve_refuses_zero_workers_or_threads_instead_of_starting_with_its_defaults(capsys):
    err = usage_error(capsys, "serve", "--workers", "0")
    assert "用法错误：参数 --workers：应为 1 或更大的整数，而不是 0" in err
    err = usage_error(capsys, "serve", "--threads", "两个")
    assert "用法错误：参数 --threads：“两个”不是整数" in err
