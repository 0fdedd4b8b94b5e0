"""Empty import templates: the headers, drop-down lists for closed value sets, and a notes sheet."""

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .imports import ImportKind

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_ROWS = 20000


def write_template(
    kind: ImportKind, path: Path | str, extra_choices: dict[str, Sequence[str]] | None = None
) -> Path:
    """`extra_choices` adds drop-downs known only at run time (unit codes, item ids)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.label
    lists = workbook.create_sheet("可选值")
    notes = workbook.create_sheet("填写说明")
    choices = {c.header: list(c.choices) for c in kind.columns if c.choices}
    choices.update({k: list(v) for k, v in (extra_choices or {}).items()})
    list_column = 0
    for index, column in enumerate(kind.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        values = choices.get(column.header)
        if values:
            # Lists live on their own sheet: inline lists are capped at 255 characters.
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column.header).font = Font(bold=True)
            for row, value in enumerate(values, start=2):
                lists.cell(row=row, column=list_column, value=value)
            rule = DataValidation(
                type="list",
                formula1=f"'可选值'!${list_letter}$2:${list_letter}${len(values) + 1}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="值不在可选范围内",
                error=f"{column.header}只能填：{'、'.join(values[:20])}{'……' if len(values) > 20 else ''}",
            )
            rule.add(f"{letter}2:{letter}{MAX_ROWS}")
            sheet.add_data_validation(rule)
        if column.parse.__name__ in ("date", "timestamp"):
            for row in range(2, 202):
                sheet.cell(row=row, column=index).number_format = (
                    "yyyy-mm-dd" if column.parse.__name__ == "date" else "yyyy-mm-dd hh:mm"
                )
        elif column.header in ("单位代码", "条目", "所属期"):
            for row in range(2, 202):
                sheet.cell(row=row, column=index).number_format = "@"  # keep codes as text
    sheet.freeze_panes = "A2"
    notes.append(["列名", "是否必填", "说明", "可选值"])
    for cell in notes[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for column in kind.columns:
        notes.append(
            [
                column.header,
                "必填" if column.required else "可空",
                column.note,
                "、".join(choices.get(column.header, [])[:50]),
            ]
        )
    notes.append([])
    notes.append(
        [
            "导入规则",
            "",
            "第一行为表头，列顺序不限；不能有多余的列。整个文件校验通过才会导入，否则一条也不导入。"
            "同一编号再次导入会覆盖原记录，修改后可整份重新导入。",
        ]
    )
    for letter, width in (("A", 16), ("B", 10), ("C", 60), ("D", 40)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    lists.sheet_state = "hidden"
    path = Path(path)
    workbook.save(path)
    return path
