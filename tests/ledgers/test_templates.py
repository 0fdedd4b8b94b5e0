"""Templates users download, and files made by spreadsheet programs, import as they are."""

import datetime
from pathlib import Path

from openpyxl import load_workbook

from kaoping.cli import main
from kaoping.importing import file_import
from kaoping.ledgers.models import Case
from sheets import header

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_sheet_saved_by_libreoffice_imports(campaign):
    # Made by LibreOffice Calc from a CSV: code cells became numbers, dates partly date cells and partly
    # text (2017/4/1, 2017年4月10日), headers kept stray spaces, a trailing empty row.
    assert file_import(kind="cases", path=FIXTURES / "cases-libreoffice.xlsx", year=2017).rows == 2
    first = Case.objects.get(number="LO-001")
    assert first.unit.code == "430902"
    assert (first.filed_on, first.decided_on, first.effective_on) == (
        datetime.date(2017, 3, 1),
        datetime.date(2017, 4, 1),
        datetime.date(2017, 4, 10),
    )
    second = Case.objects.get(number="LO-002")
    assert (second.discovery, second.procedure, second.review_outcome) == ("群众举报", "", "无")


def test_a_template_has_headers_drop_downs_and_notes_and_imports_once_filled(campaign, tmp_path, capsys):
    path = tmp_path / "tips.xlsx"
    assert main(["template", "tips", "-o", str(path)]) == 0
    assert "已生成举报线索模板" in capsys.readouterr().out
    workbook = load_workbook(path)
    sheet = workbook["举报线索"]
    assert [c.value for c in sheet[1]] == header("tips")
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert set(lists) == {"B2:B20000", "F2:F20000"}  # unit codes and 是/否
    notes = workbook["填写说明"]
    assert notes["A2"].value == "线索编号" and "未办结留空" in notes["C6"].value
    sheet.append(["T-9", "430902", datetime.date(2017, 3, 1), datetime.date(2017, 3, 31), None, "是"])
    workbook.save(path)
    assert file_import(kind="tips", path=path, year=2017).rows == 1


def test_template_refuses_a_wrong_output_name(loaded, tmp_path, capsys):
    assert main(["template", "cases", "-o", str(tmp_path / "cases.csv")]) == 1
    assert "输出文件应以 .xlsx 结尾" in capsys.readouterr().err
