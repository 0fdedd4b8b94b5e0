"""Input that used to get through: a year nobody opened, a CSV in GBK or with its Chinese lost, and an import
that did not say whether it added or replaced."""

import csv
from pathlib import Path

import pytest

from kaoping.assessments.workflow import campaign_create
from kaoping.audit.models import AuditEvent
from kaoping.errors import KaopingError, NotFound, RowErrors
from kaoping.importing import KINDS, file_import
from kaoping.ledgers.models import Case
from sheets import header

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "kaoping" / "demo" / "data" / "2017"
YEAR_KINDS = [name for name, kind in KINDS.items() if kind.takes_year]
DATED_KINDS = ["cases", "submissions", "tips", "events", "casefile-reviews"]
NOT_UTF8 = (
    "cases.csv：不是 UTF-8 编码，无法读出列名；请在 WPS 或 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入"
)


def sample(tmp_path: Path, kind: str, rows: int, encoding: str = "utf-8") -> Path:
    """The shipped 2017 sample of `kind`: its header and first `rows` rows."""
    with (SAMPLE / f"{kind}.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))[: rows + 1]
    path = tmp_path / f"{kind}.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(lines)
    return path


@pytest.fixture
def two_years(campaign):
    campaign_create(year=2018)
    return campaign


def imports() -> int:
    return AuditEvent.objects.filter(action__startswith="import_").count()


@pytest.mark.parametrize("kind", YEAR_KINDS)
def test_a_year_without_a_campaign_is_refused_with_the_years_there_are(two_years, tmp_path, kind):
    with pytest.raises(NotFound) as caught:
        file_import(kind=kind, path=sample(tmp_path, kind, 2), year=2031)
    assert str(caught.value) == (
        "没有 2031 年度的考评；已有年度：2017、2018。请核对 --year，或先运行 kaoping campaign create --year 2031"
    )
    assert caught.value.http_status == 404
    assert imports() == 0


def test_with_no_campaign_at_all_the_refusal_says_so(loaded, tmp_path):
    with pytest.raises(NotFound) as caught:
        file_import(kind="patches", path=sample(tmp_path, "patches", 2), year=2017)
    assert str(caught.value) == (
        "没有 2017 年度的考评；尚未开启任何年度。请核对 --year，或先运行 kaoping campaign create --year 2017"
    )


@pytest.mark.parametrize("kind", DATED_KINDS)
def test_dated_records_may_come_without_a_year(loaded, tmp_path, kind):
    report = file_import(kind=kind, path=sample(tmp_path, kind, 2), year=None)
    assert (report.created, report.updated) == (2, 0)


def test_the_units_file_takes_no_year_so_any_year_is_ignored(loaded, tmp_path):
    assert file_import(kind="units", path=sample(tmp_path, "units", 2), year=2031).rows == 2


# (created, updated) for the first row alone, then for the first two rows: the units are already there.
COUNTS = {"units": ((0, 1), (0, 2))}


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_import_says_how_many_rows_it_added_and_how_many_it_replaced(campaign, tmp_path, kind):
    label = KINDS[kind].label
    first, second = COUNTS.get(kind, ((1, 0), (1, 1)))
    year = None if kind == "units" else 2017
    report = file_import(kind=kind, path=sample(tmp_path, kind, 1), year=year)
    assert str(report) == f"已导入 1 条{label}：新增 {first[0]} 条，更新 {first[1]} 条"
    report = file_import(kind=kind, path=sample(tmp_path, kind, 2), year=year)
    assert (report.created, report.updated) == second
    assert str(report) == f"已导入 2 条{label}：新增 {second[0]} 条，更新 {second[1]} 条"
    latest = AuditEvent.objects.filter(action=f"import_{KINDS[kind].name}").latest("id")
    assert (latest.new["created"], latest.new["updated"]) == second


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_a_csv_saved_by_excel_on_chinese_windows_is_read(campaign, tmp_path, encoding):
    report = file_import(kind="cases", path=sample(tmp_path, "cases", 3, encoding=encoding), year=2017)
    assert report.rows == 3
    utf8 = sample(tmp_path / "..", "cases", 3)
    stored = {case.number: case.violation_type for case in Case.objects.all()}
    with utf8.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert stored == {r["案件编号"]: r["违法类型"] for r in rows}


def test_a_gbk_file_of_the_wrong_kind_is_read_and_its_columns_named(campaign, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(",".join(header("tips")).encode("gbk") + b"\r\nT1,430902\r\n")
    with pytest.raises(RowErrors) as caught:
        file_import(kind="cases", path=path, year=2017)
    assert caught.value.errors[0].startswith("第 1 行: 多余的列 线索编号、登记日期")


def test_a_file_in_another_encoding_gets_one_line_on_utf8(campaign, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("序号,名称\r\n1,资阳区\r\n".encode("gbk"))  # GBK, but no column of the kind
    with pytest.raises(KaopingError) as caught:
        file_import(kind="cases", path=path, year=2017)
    assert str(caught.value) == NOT_UTF8
    path.write_bytes(",".join(header("cases")).encode("utf-16"))
    with pytest.raises(KaopingError) as caught:
        file_import(kind="cases", path=path, year=2017)
    assert str(caught.value) == NOT_UTF8


def test_a_header_whose_chinese_became_question_marks_gets_one_line_not_thirteen(campaign, tmp_path):
    path = tmp_path / "cases.csv"
    lost = ["?" * len(h) for h in header("cases")]  # an “ANSI” export on a machine without Chinese
    path.write_text(",".join(lost) + "\nZY-001,430902\n", encoding="ascii")
    with pytest.raises(KaopingError) as caught:
        file_import(kind="cases", path=path, year=2017)
    assert str(caught.value) == NOT_UTF8
    assert Case.objects.count() == 0


def test_utf8_with_a_bom_is_still_read(campaign, tmp_path):
    assert (
        file_import(kind="tips", path=sample(tmp_path, "tips", 2, encoding="utf-8-sig"), year=2017).rows == 2
    )
