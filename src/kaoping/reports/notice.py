"""The city-wide notice (通报) of a campaign's results, laid out as an official document (GB/T 9704-2012)."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from kaoping.scoring.grading import EXCELLENT, FAILED, PASSED
from kaoping.scoring.numbers import fmt, signed2
from kaoping.scoring.outcome import CampaignOutcome, UnitOutcome

from .common import chinese_date, points_text, rubric_year, section_heading, section_numeral, veto_reason

# Fonts the standard names (GB/T 9704-2012 7.1; the usual font files of a government office).
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_1_FONT = "黑体"
HEADING_2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(10.5)  # 五号: “100.00” and “不合格*” fit their columns in any font a reader has
PAGE_NUMBER_SIZE = Pt(14)  # 四号
# 22 lines in the 225 mm type area (GB/T 9704-2012 5.2.2): 225 mm / 22 ≈ 28.9 pt.
LINE = Pt(28.9)
TABLE_LINE = Pt(18)
RED = RGBColor(0xFF, 0x00, 0x00)

ADDRESSEES = "各区县（市）国土资源局（分局）："
PROCEDURE = "区县（市）国土资源局（分局）自评——市局目标管理考评小组考评——市局党组审定"
TYPE_AREA_WIDTH = Mm(156)
# The 版记's rules span the type area but for 2.5 mm each side: LibreOffice lays a positioned table
# nearly as wide as the text area in the text instead of at the foot of the page.
IMPRINT_WIDTH = Mm(151)


def write_notice(
    outcome: CampaignOutcome,
    path: Path,
    *,
    authority: str,
    document_number: str,
    issue_date: date,
    city: str,
    fingerprint: str = "",
    basis_number: str | None = None,
) -> Path:
    """Write the 通报 to `path` and return it; refuse while any item is 未评. `fingerprint` goes in 版记;
    `basis_number` is the 文号 of the year's 通知 it cites (the rubric's when None). Before the 党组 has
    approved the results (已审定) every page is marked as a draft."""
    if not outcome.complete:
        raise ValueError("尚有未评条目，不能生成通报")
    if not outcome.units:
        raise ValueError("没有被考评单位，不能生成通报")
    path = Path(path)
    document = Document()
    _page_setup(document)
    _base_style(document)
    draft = not outcome.state.is_frozen
    _masthead(document, authority, document_number)
    _title(document, [f"关于{outcome.year}年度全市国土资源执法监察工作", "目标管理考评情况的通报"])
    _blank(document)
    _paragraph(document, ADDRESSEES, indent=False)
    # The attachment's title, broken where the words break for its own page.
    attachment = [f"{city}{outcome.year}年度国土资源执法监察工作", "目标管理考评得分及排名表"]
    _body(document, outcome, outcome.rubric.document_number if basis_number is None else basis_number)
    _keep_with_next(_blank(document))
    _keep_with_next(_attachment_note(document, "".join(attachment)))
    _signature(document, authority, issue_date)
    _attachment(document, outcome, attachment)
    _imprint(document, authority, issue_date, fingerprint)
    _page_numbers(document)
    if draft:
        _draft_marks(document)
    # The empty paragraph python-docx's template starts with would put a blank line above the masthead.
    first = document.paragraphs[0]
    if not first.text and not first.runs:
        first._element.getparent().remove(first._element)
    document.save(path)
    return path


# ─── page and styles ───


def _page_setup(document: DocumentObject) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The page number's dash sits about 7 mm below the type area (GB/T 9704-2012 7.5).
    section.footer_distance = Mm(21)


def _base_style(document: DocumentObject) -> None:
    # The template's defaults name theme fonts and English; theme fonts would win over named ones.
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _east_asian(defaults, BODY_FONT)
    language = defaults.find(qn("w:lang"))
    if language is not None:
        language.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)
    paragraph = normal.paragraph_format
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = LINE


def _east_asian(rpr: BaseOxmlElement, font: str) -> None:
    """Name the font for every script: Word picks w:eastAsia for Chinese, so font.name alone is not enough."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # rFonts comes first in w:rPr
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _styled(run: Run, font: str, size: Pt, *, bold: bool = False, colour: RGBColor | None = None) -> Run:
    _east_asian(run._element.get_or_add_rPr(), font)
    run.font.size = size
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _spacing(paragraph: Paragraph, line: Pt = LINE) -> None:
    layout = paragraph.paragraph_format
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = line


def _first_line_indent(paragraph: Paragraph, size: Pt = BODY_SIZE) -> None:
    """Two characters: in points for every reader, in characters for Word."""
    paragraph.paragraph_format.first_line_indent = Pt(2 * size.pt)
    indent = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    indent.set(qn("w:firstLineChars"), "200")


# ─── building blocks ───


def _blank(document: DocumentObject) -> Paragraph:
    paragraph = document.add_paragraph()
    _spacing(paragraph)
    return paragraph


def _paragraph(document: DocumentObject, text: str, *, indent: bool = True) -> Paragraph:
    paragraph = document.add_paragraph()
    _spacing(paragraph)
    if indent:
        _first_line_indent(paragraph)
    _styled(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    return paragraph


def _heading_1(document: DocumentObject, text: str) -> Paragraph:
    paragraph = document.add_paragraph()
    _spacing(paragraph)
    _first_line_indent(paragraph)
    _styled(paragraph.add_run(text), HEADING_1_FONT, BODY_SIZE)
    return paragraph


def _heading_2(document: DocumentObject, heading: str, text: str) -> Paragraph:
    """（一）… in 楷体, the rest of the paragraph in 仿宋, as notices run them on."""
    paragraph = document.add_paragraph()
    _spacing(paragraph)
    _first_line_indent(paragraph)
    _styled(paragraph.add_run(heading), HEADING_2_FONT, BODY_SIZE)
    _styled(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    return paragraph


def _masthead(document: DocumentObject, authority: str, document_number: str) -> None:
    """发文机关标志 in red, 文号 two lines below it, and the red rule 4 mm under the 文号."""
    mark = f"{authority}文件"
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    size = Pt(min(42, int(0.95 * TYPE_AREA_WIDTH.pt / max(len(mark), 1))))
    _spacing(paragraph, Pt(size.pt * 1.25))
    paragraph.paragraph_format.space_before = Mm(35)  # top edge 35 mm below the type area
    _styled(paragraph.add_run(mark), TITLE_FONT, size, colour=RED)
    _blank(document)
    _blank(document)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(number)
    _styled(number.add_run(document_number), BODY_FONT, BODY_SIZE)
    _red_rule(number)
    _blank(document)
    _blank(document)


def _red_rule(paragraph: Paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "FF0000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # w:pPr children have a fixed order; Word rejects a file that breaks it.
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )


def _title(document: DocumentObject, lines: Sequence[str]) -> None:
    """Centred, broken where the words break, long line over short (GB/T 9704-2012 7.3.2)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(paragraph, Pt(35))
    for index, line in enumerate(lines):
        run = _styled(paragraph.add_run(line), TITLE_FONT, TITLE_SIZE)
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _keep_with_next(paragraph: Paragraph) -> Paragraph:
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _attachment_note(document: DocumentObject, title: str) -> Paragraph:
    """附件：… two characters in; a second line aligns with the title's first character (GB/T 9704-2012 7.3.4)."""
    paragraph = _paragraph(document, f"附件：{title}", indent=False)
    layout = paragraph.paragraph_format
    layout.left_indent = Pt(5 * BODY_SIZE.pt)
    layout.first_line_indent = Pt(-3 * BODY_SIZE.pt)
    return paragraph


SEAL_ROOM_LINES = 3  # a 42 mm seal over 署名 and date reaches about three lines above the 署名


def _signature(document: DocumentObject, authority: str, issue_date: date) -> None:
    """署名 centred over the date; the date 4 characters from the right edge (GB/T 9704-2012 7.3.5.1).
    The lines above them are left for the seal, and the whole block, with the 附件说明, stays on one page
    so that the seal never lands on a page without the date."""
    dated = chinese_date(issue_date)
    for _ in range(SEAL_ROOM_LINES):
        _keep_with_next(_blank(document))
    date_indent = 4 * BODY_SIZE.pt
    offset = (_width_in_characters(dated) - _width_in_characters(authority)) / 2 * BODY_SIZE.pt
    for text, right_indent in ((authority, max(date_indent + offset, 0)), (dated, date_indent)):
        paragraph = _paragraph(document, text, indent=False)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(right_indent)
        if text == authority:
            _keep_with_next(paragraph)


COPIED_TO = "抄送：市局党组成员，市局各科室，市国土资源执法监察支队。"
IMPRINT_SIZE = Pt(14)  # 4号


def _imprint(document: DocumentObject, authority: str, issue_date: date, fingerprint: str = "") -> None:
    """版记: 抄送, then 印发机关 and 印发日期, between rules (GB/T 9704-2012 7.4), at the foot of the last
    page (7.4.1: the last rule on the lower edge of the type area), whatever the attachment leaves free."""
    copied = _paragraph(document, COPIED_TO, indent=False)
    if fingerprint:  # a printed copy can be checked against the approved results
        copied.add_run().add_break()
        copied.add_run(f"结果指纹：{fingerprint}")
    issued = _paragraph(document, "", indent=False)
    _styled(issued.add_run(f"{authority}办公室"), BODY_FONT, IMPRINT_SIZE)
    issued.add_run("\t")
    _styled(issued.add_run(f"{chinese_date(issue_date)}印发"), BODY_FONT, IMPRINT_SIZE)
    issued.paragraph_format.tab_stops.add_tab_stop(Mm(156 - 2 * 5), WD_TAB_ALIGNMENT.RIGHT)
    for run in copied.runs:
        run.font.size = IMPRINT_SIZE
    for paragraph in (copied, issued):
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(14)
        paragraph.paragraph_format.first_line_indent = Pt(0)
    _at_the_foot(document, [(copied, "12", "4"), (issued, None, "12")])


def _at_the_foot(document: DocumentObject, rows: list[tuple[Paragraph, str | None, str | None]]) -> Table:
    """A borderless table floating at the bottom of the type area of the page the document ends on, one
    paragraph a row, with rules (eighths of a point) above and below each row (Word and LibreOffice both
    place a positioned table)."""
    table = document.add_table(rows=len(rows), cols=1)
    table.autofit = False
    for row, (paragraph, top, bottom) in zip(table.rows, rows, strict=True):
        cell = row.cells[0]
        cell.width = IMPRINT_WIDTH
        placeholder = cell.paragraphs[0]._p
        placeholder.addprevious(paragraph._p)
        placeholder.getparent().remove(placeholder)
        borders = OxmlElement("w:tcBorders")
        for side, size in (("w:top", top), ("w:bottom", bottom)):
            if size is None:
                continue
            rule = OxmlElement(side)
            for key, value in (("w:val", "single"), ("w:sz", size), ("w:space", "0"), ("w:color", "000000")):
                rule.set(qn(key), value)
            borders.append(rule)
        cell._tc.get_or_add_tcPr().insert_element_before(borders, "w:shd", "w:noWrap", "w:tcMar", "w:vAlign")
    properties = table._tbl.tblPr
    position = OxmlElement("w:tblpPr")
    for key, value in (
        ("w:leftFromText", "0"),
        ("w:rightFromText", "0"),
        ("w:topFromText", "0"),
        ("w:bottomFromText", "0"),
        ("w:vertAnchor", "margin"),
        ("w:horzAnchor", "margin"),
        ("w:tblpXSpec", "center"),
        ("w:tblpYSpec", "bottom"),
    ):
        position.set(qn(key), value)
    properties.insert_element_before(
        position, "w:tblOverlap", "w:bidiVisual", "w:tblW", "w:jc", "w:tblLayout"
    )
    properties.get_or_add_tblLayout().set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")  # the paragraphs' own indents only
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    width = properties.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(IMPRINT_WIDTH.twips)))
    # A document ends in a paragraph; this one takes no room of its own.
    _spacing(document.add_paragraph(), Pt(1))
    return table


DRAFT_MARK = "草稿"
DRAFT_NOTE = "未经市局党组审定，不得印发"


def _draft_marks(document: DocumentObject) -> None:
    """草稿 and 未经市局党组审定 in red at the head of every page, odd and even, of a notice before 已审定."""
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, Pt(24))
        _styled(paragraph.add_run(f"【{DRAFT_MARK}】"), HEADING_1_FONT, Pt(18), bold=True, colour=RED)
        _styled(paragraph.add_run(f"　{DRAFT_NOTE}"), HEADING_1_FONT, PAGE_NUMBER_SIZE, colour=RED)


def _width_in_characters(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


# ─── the wording ───


def _names(units: Sequence[UnitOutcome]) -> str:
    return "、".join(u.name for u in units)


def _body(document: DocumentObject, outcome: CampaignOutcome, basis_number: str) -> None:
    rubric = outcome.rubric
    cited = (
        f"《关于全市{rubric_year(rubric, outcome.year)}年度国土资源执法监察工作目标管理考评有关事项的通知》"
    )
    cited += f"（{basis_number}，以下简称《通知》）" if basis_number else "（以下简称《通知》）"
    _paragraph(
        document,
        f"为切实做好{outcome.year}年全市国土资源执法监察工作，市局对全市国土资源执法监察工作实行年度目标管理。"
        f"根据{cited}要求，按照{PROCEDURE}的程序，市局对全市{len(outcome.units)}个区县（市）国土资源局（分局）"
        f"{outcome.year}年度执法监察工作目标管理情况进行了考评。考评小组在各单位自评的基础上，查阅统计报表、归档资料，"
        "结合卫片执法和例行督察中的工作情况以及执法监察日常管理情况，逐项进行了评分，"
        f"{_approval(outcome)}现将有关情况通报如下：",
    )
    _results(document, outcome)
    _consequences(document, outcome)
    _requirements(document, outcome)


def _approval(outcome: CampaignOutcome) -> str:
    # Only a campaign the 党组 has approved may say so; an earlier export is a draft for that meeting.
    if outcome.state.is_frozen:
        return "考评结果经市局党组审定。"
    return "考评结果报市局党组审定。"


def _results(document: DocumentObject, outcome: CampaignOutcome) -> None:
    totals = [u.total for u in outcome.units]
    average = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"))
    _heading_1(document, "一、考评结果")
    _paragraph(
        document,
        f"经考评，全市{len(outcome.units)}个单位平均得分{average}分，最高{max(totals):.2f}分，最低{min(totals):.2f}分。"
        f"按照考评细则，总分低于{points_text(outcome.pass_min)}分的为不合格单位；"
        f"无取消评优情形、总分不低于{points_text(outcome.excellent_min)}分的单位中，"
        f"总分前{outcome.excellent_quota}名为优胜单位；其余为达标单位。各单位得分及排名情况见附件。",
    )
    for numeral, grade in (("（一）", EXCELLENT), ("（二）", PASSED), ("（三）", FAILED)):
        units = outcome.by_grade(grade)
        heading = f"{numeral}{grade}单位" + (f"（{len(units)}个）" if units else "")
        explained = _quota_explained(outcome, units) if grade == EXCELLENT else ""
        _heading_2(document, heading, f"：{_names(units) or '无'}。{explained}")
    vetoed = [u for u in outcome.units if u.vetoes]
    if vetoed:
        _heading_2(document, "（四）取消评优资格情况", "：" + _veto_text(outcome, vetoed))
    if outcome.rubric.adjustments:
        numeral = "（五）" if vetoed else "（四）"
        _heading_2(document, f"{numeral}加分和扣分情况", "：" + _adjustments_text(outcome))


def _quota_explained(outcome: CampaignOutcome, excellent: Sequence[UnitOutcome]) -> str:
    """Why there are more or fewer 优胜 units than the quota, when there are."""
    quota = outcome.excellent_quota
    if len(excellent) > quota and excellent:
        edge = excellent[-1].total
        tied = [u for u in excellent if u.total == edge]
        return (
            f"其中{_names(tied)}{len(tied)}个单位总分均为{edge:.2f}分，并列第{tied[0].rank}名，"
            f"处在前{quota}名的名额边界上，按照考评细则一并评为优胜单位。"
        )
    if len(excellent) < quota:
        return (
            f"无取消评优情形、总分不低于{points_text(outcome.excellent_min)}分的单位"
            f"{'仅' + str(len(excellent)) + '个' if excellent else '没有'}，优胜单位不足{quota}个名额。"
        )
    return ""


def _veto_text(outcome: CampaignOutcome, vetoed: Sequence[UnitOutcome]) -> str:
    reasons = "，".join(f"{u.name}因{veto_reason(u.vetoes)}" for u in vetoed)
    text = f"{reasons}，按照《通知》和考评细则规定，取消其本年度评优资格。"
    # Say it plainly where the veto is what kept a unit from 优胜.
    barred = [u for u in vetoed if u.total >= outcome.excellent_min and u.grade != EXCELLENT]
    for unit in barred:
        text += (
            f"{unit.name}考评总分{unit.total:.2f}分，居全市第{unit.rank}名，因取消评优资格未评为优胜单位。"
        )
    return text


def _adjustments_text(outcome: CampaignOutcome) -> str:
    """Who gained or lost points on the rubric's 加分项 / 扣分项, on what basis (already in the totals)."""
    parts = []
    for unit in outcome.units:
        for adjustment in outcome.rubric.adjustments:
            counted = unit.adjustments.get(adjustment.id)
            if counted is None or not counted.entries:
                continue
            bases = "、".join(e.basis for e in counted.entries)
            parts.append(
                f"{unit.name}因{bases}，按考评细则{adjustment.kind.label}项“{adjustment.name}”"
                f"{adjustment.kind.verb}{fmt(abs(counted.score))}分"
                + ("（已达上限）" if counted.capped else "")
            )
    if not parts:
        return "本年度没有单位加分或扣分。"
    return "；".join(parts) + "。以上加分、扣分已计入总分。"


def _consequences(document: DocumentObject, outcome: CampaignOutcome) -> None:
    excellent, failed = outcome.by_grade(EXCELLENT), outcome.by_grade(FAILED)
    _heading_1(document, "二、奖励和整改")
    if excellent:
        _paragraph(
            document,
            f"对{_names(excellent)}{len(excellent)}个优胜单位予以通报表扬，并按照《通知》规定予以奖励。",
        )
    if failed:
        _paragraph(
            document,
            f"{_names(failed)}考评不合格，要认真查找问题，深刻剖析原因，制定切实可行的整改措施，限期整改到位，"
            "并将整改情况书面报市局执法监察支队。对整改措施不力、自查自改不到位的，按照《通知》规定，"
            "对其分管局领导、大队负责人给予黄牌警告，对局主要负责人进行诫勉谈话。",
        )
    else:
        _paragraph(document, "本年度无不合格单位。各单位对考评中发现的问题要逐项整改到位。")


def _requirements(document: DocumentObject, outcome: CampaignOutcome) -> None:
    _heading_1(document, "三、下一步工作要求")
    weakest = _weakest_sections(outcome, 2)
    findings = "和".join(
        f"{title}（平均得分{average:.2f}分，得分率{rate}%）" for title, average, rate in weakest
    )
    # Only sections where points were lost; a year without any says so instead.
    seen = (
        f"从考评情况看，全市失分主要集中在{findings}{'等方面' if len(weakest) > 1 else '方面'}。"
        if weakest
        else "从考评情况看，全市各单位各部分均得满分，未发现失分问题。"
    )
    _paragraph(
        document,
        seen + "各区县（市）国土资源局（分局）要认真对照考评细则和本次考评中发现的问题，查漏补缺，举一反三，"
        "以强化日常执法监管为重点，最大限度地减少和遏制违法行为，推动执法监察工作常态化、立体化和制度化，"
        "切实维护国土资源管理利用秩序和群众权益。",
    )


def _weakest_sections(outcome: CampaignOutcome, count: int) -> list[tuple[str, Decimal, str]]:
    rates = []
    for section in outcome.rubric.sections:
        average = outcome.section_average(section.number)
        rate = average / section.points * 100 if section.points else Decimal(100)
        rates.append((rate, section.title, average))
    rates.sort(key=lambda r: r[0])
    lost = [(rate, title, average) for rate, title, average in rates if rate < 100]
    return [(title, average, fmt(rate.quantize(Decimal("0.01")))) for rate, title, average in lost[:count]]


# ─── the attachment: the ranking table ───


def _attachment(document: DocumentObject, outcome: CampaignOutcome, title: Sequence[str]) -> None:
    """On a new page: 附件 at the top left, the title on line 3, then the table (GB/T 9704-2012 8)."""
    label = document.add_paragraph()
    _spacing(label)
    label.paragraph_format.page_break_before = True
    _styled(label.add_run("附件"), HEADING_1_FONT, BODY_SIZE)
    _blank(document)
    _title(document, title)
    _blank(document)
    _ranking_table(document, outcome)
    sections = "；".join(section_heading(s) for s in outcome.rubric.sections)
    note = document.add_paragraph()
    _spacing(note, TABLE_LINE)
    note.paragraph_format.space_before = Pt(6)
    text = f"注：表头一至{section_numeral(outcome.rubric.sections[-1])}分别为{sections}。"
    vetoed = [u for u in outcome.units if u.vetoes]
    if vetoed:
        reasons = "、".join(f"{u.name}（{veto_reason(u.vetoes)}）" for u in vetoed)
        text += f"等次后标“{VETO_MARK}”的单位取消本年度评优资格：{reasons}。"
    _styled(note.add_run(text), BODY_FONT, TABLE_SIZE)


def _ranking_table(document: DocumentObject, outcome: CampaignOutcome) -> Table:
    sections = outcome.rubric.sections
    adjusted = bool(outcome.rubric.adjustments)  # a 加减分 column only where the rubric declares any
    columns = 4 + len(sections) + adjusted
    table = document.add_table(rows=2, cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table)
    # Widths before merging: a merged cell then spans the sum, and added rows copy the grid.
    widths = _column_widths(len(sections), adjusted)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width

    top, bottom = table.rows[0].cells, table.rows[1].cells
    headings = [(0, "名次"), (1, "单位"), (columns - 2, "总分"), (columns - 1, "等次")]
    for column, text in headings + ([(columns - 3, "加减分")] if adjusted else []):
        _cell_text(top[column].merge(bottom[column]), text, header=True)
    _cell_text(top[2].merge(top[1 + len(sections)]), "分项得分", header=True)
    for offset, section in enumerate(sections):
        _cell_text(bottom[2 + offset], f"{section_numeral(section)}\n{fmt(section.points)}分", header=True)
    for row in table.rows:
        _row_properties(row, header=True)

    # One row per unit, as WordprocessingML text parsed at once: python-docx's per-cell calls take
    # minutes for 2,850 units.
    twips = [int(w.twips) for w in widths]
    rows = []
    for unit in outcome.units:
        values = [
            str(unit.rank),
            unit.name,
            *(f"{unit.sections.get(s.number, Decimal(0)):.2f}" for s in sections),
            *([signed2(unit.adjustments_net)] if adjusted else []),
            f"{unit.total:.2f}",
            (unit.grade or "") + (VETO_MARK if unit.vetoes else ""),
        ]
        rows.append(_ROW_START + "".join(map(_cell_xml, twips, values)) + "</w:tr>")
    for chunk in range(0, len(rows), 500):
        parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows[chunk : chunk + 500])}</w:tbl>")
        for row_element in list(parsed):
            table._tbl.append(row_element)
    return table


VETO_MARK = "*"  # on the grade of a unit whose 评优 was cancelled; the note under the table says why
_ROW_START = (
    f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{int(Mm(8).pt * 20)}" w:hRule="atLeast"/></w:trPr>'
)
_CELL_RUN = (
    f'<w:r><w:rPr><w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" '
    f'w:cs="{BODY_FONT}"/><w:b w:val="0"/><w:sz w:val="{int(TABLE_SIZE.pt * 2)}"/></w:rPr>'
)


def _cell_xml(width: int, text: str) -> str:
    """A body cell as _cell_text makes it: centred both ways, 仿宋 小四 on 18 pt lines."""
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:lineRule="exact" w:line="{int(TABLE_LINE.pt * 20)}"/>'
        f'<w:jc w:val="center"/></w:pPr>{_CELL_RUN}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
    )


def _column_widths(section_count: int, adjusted: bool = False) -> list[Mm]:
    """名次, 单位, the sections, (加减分,) 总分, 等次: together exactly the 156 mm type area."""
    # 名次 holds “2850”, 总分 “100.00” and 等次 “不合格*” in 五号 with the cells’ 1 mm margins.
    fixed = {"rank": 12.0, "unit": 24.0, "total": 18.0, "grade": 18.0}
    if adjusted:  # “+2.00”; the sections keep “16.00” on one line
        fixed["adjusted"] = 14.0
    section_width = (156.0 - sum(fixed.values())) / max(section_count, 1)
    return [
        Mm(fixed["rank"]),
        Mm(fixed["unit"]),
        *(Mm(section_width) for _ in range(section_count)),
        *([Mm(fixed["adjusted"])] if adjusted else []),
        Mm(fixed["total"]),
        Mm(fixed["grade"]),
    ]


def _fixed_layout(table: Table) -> None:
    properties = table._tbl.tblPr
    properties.get_or_add_tblLayout().set(qn("w:type"), "fixed")
    # Narrow cell margins (1 mm) so that “16.00” fits the section columns on one line.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _row_properties(row: _Row, *, header: bool) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        # The header rows repeat at the top of every page the table runs onto.
        properties.append(OxmlElement("w:tblHeader"))
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(Mm(8).pt * 20)))
    height.set(qn("w:hRule"), "atLeast")
    properties.append(height)


def _cell_text(cell: _Cell, text: str, *, header: bool) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(paragraph, TABLE_LINE)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = _styled(paragraph.add_run(line), HEADING_1_FONT if header else BODY_FONT, TABLE_SIZE)
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


# ─── page numbers ───


def _page_numbers(document: DocumentObject) -> None:
    """“— 1 —” in 宋体 四号: odd pages on the right, even pages on the left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        layout = paragraph.paragraph_format
        layout.space_before = layout.space_after = Pt(0)
        layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            layout.right_indent = PAGE_NUMBER_SIZE
        else:
            layout.left_indent = PAGE_NUMBER_SIZE
        _styled(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        _page_field(paragraph)
        _styled(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field, so that Word and LibreOffice number the pages themselves."""
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = _styled(paragraph.add_run(), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        elif kind == "text":
            run.text = text
        else:
            character = OxmlElement("w:fldChar")
            character.set(qn("w:fldCharType"), kind)
            run._r.append(character)
