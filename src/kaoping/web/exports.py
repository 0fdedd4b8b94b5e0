"""Any table of a page as an Excel workbook, exactly as shown (the ranking has its own workbook)."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def table_response(
    title: str, headers: list[str], rows: list[list], numeric: set[int] = frozenset()
) -> HttpResponse:
    """`numeric` column indexes hold 2-decimal strings; they are written as numbers shown with 2 decimals."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append([float(v) if i in numeric and v not in ("", None) else v for i, v in enumerate(row)])
        # Text a person typed stays text: openpyxl takes a string beginning with = for a formula, so a reason
        # such as =HYPERLINK(…) would become a live link in the group's workbook.
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        width = max([len(str(header)) * 2 + 2] + [len(str(r[index - 1])) + 2 for r in rows[:200]])
        sheet.column_dimensions[letter].width = min(max(width, 8), 60)
        if index - 1 in numeric:
            for cell in sheet[letter][1:]:
                cell.number_format = "0.00"
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), f"{title}.xlsx")
