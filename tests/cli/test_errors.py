"""Bad arguments, files and databases end in a Chinese message and an exit status, never a traceback."""

import os
import subprocess
import sys

import pytest

from sheets import header


def kaoping(*args: str, home, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(KAOPING_HOME=str(home), **env)
    return subprocess.run(
        [sys.executable, "-m", "kaoping.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_bad_usage_exits_2_with_guidance(tmp_path):
    result = kaoping("results", home=tmp_path)
    assert result.returncode == 2
    assert "用法错误" in result.stderr and "--year" in result.stderr


def test_an_uninitialised_database_says_to_run_init(tmp_path):
    result = kaoping("results", "--year", "2017", home=tmp_path / "home")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"错误：数据库尚未初始化（没有 {tmp_path / 'home' / 'kaoping.sqlite3'}）；请先运行 kaoping init，"
        "或检查 KAOPING_HOME"
    )
    assert not (tmp_path / "home").exists()  # no empty database file (nor its folder) left behind


def test_an_unreachable_database_is_named_without_a_traceback(tmp_path):
    result = kaoping("init", home=tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere")
    assert result.returncode == 1
    assert "数据库操作失败" in result.stderr and "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["campaign", "advance", "--year", "2030"],
            "没有 2030 年度的考评；请先运行 kaoping campaign create --year 2030",
        ),
        (["import", "cases", "missing.csv", "--year", "2017"], "找不到文件 missing.csv"),
        (["template", "case", "-o", "x.xlsx"], "未知的导入类型“case”"),
        (["campaign", "advance", "--year", "2017", "--to", "完成"], "未知的状态“完成”"),
        (["export", "notice", "--year", "2017", "-o", "notice.docx"], "还有 184 个条目未评，不能生成通报"),
    ],
)
def test_input_errors_exit_1_with_what_and_how(tmp_path, args, message):
    assert kaoping("init", home=tmp_path).returncode == 0
    assert kaoping("campaign", "create", "--year", "2017", home=tmp_path).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "kaoping.cli", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, "KAOPING_HOME": str(tmp_path)},
    )
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_file_lists_its_row_errors_and_imports_nothing(tmp_path):
    assert kaoping("init", home=tmp_path).returncode == 0
    assert kaoping("campaign", "create", "--year", "2017", home=tmp_path).returncode == 0
    bad = tmp_path / "tips.csv"
    bad.write_text(
        ",".join(header("tips")) + "\n"
        "T1,430902,2017-01-05,2017-02-05,,是\n"
        "T2,430902,2017-01-05,2017-01-01,,是\n"
        "T3,430902,17日,2017-02-05,,否\n",
        encoding="utf-8",
    )
    result = kaoping("import", "tips", str(bad), "--year", "2017", home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "错误：tips.csv：发现 2 处错误，未导入任何数据：",
        "第 3 行 [办理期限]: 2017-01-01 早于登记日期 2017-01-05",
        "第 4 行 [登记日期]: “17日”不是日期；应写作 2017-05-03、2017/5/3 或 2017年5月3日",
    ]


def test_settings_and_paths_that_make_no_sense(tmp_path):
    assert kaoping("init", home=tmp_path).returncode == 0
    nan = kaoping("campaign", "create", "--year", "2017", "--pass-min", "NaN", home=tmp_path)
    assert nan.returncode == 2 and "“NaN”不是数字" in nan.stderr
    quota = kaoping("campaign", "create", "--year", "2017", "--excellent-quota", "-1", home=tmp_path)
    assert quota.returncode == 1 and "优胜名额应为不小于 0 的整数" in quota.stderr
    folder = kaoping("import", "cases", str(tmp_path), "--year", "2017", home=tmp_path)
    assert folder.returncode == 1
