"""The 通报 as a reader sees it after opening the .docx again."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from kaoping.reports.notice import write_notice
from kaoping.scoring.enums import CampaignState
from kaoping.scoring.grading import EXCELLENT
from kaoping.scoring.outcome import CampaignOutcome

D = Decimal

NOTICE = {
    "authority": "益阳市国土资源局",
    "document_number": "益国土资发〔2017〕86号",
    "issue_date": date(2017, 12, 28),
    "city": "益阳市",
}


def _write(outcome: CampaignOutcome, tmp_path: Path) -> DocumentObject:
    path = write_notice(outcome, tmp_path / "通报.docx", **NOTICE)
    assert path == tmp_path / "通报.docx"
    return Document(str(path))


@pytest.fixture
def notice(outcome: CampaignOutcome, tmp_path: Path) -> DocumentObject:
    return _write(outcome, tmp_path)


def _paragraph(document: DocumentObject, start: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(start))


def _east_asian_font(run: Run) -> str | None:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def _close(length: int, expected: int) -> bool:
    return abs(length - expected) < Mm(0.1)  # Word stores twips


def test_page_is_a4_with_official_margins(notice: DocumentObject) -> None:
    section = notice.sections[0]
    assert _close(section.page_width, Mm(210)) and _close(section.page_height, Mm(297))
    assert _close(section.top_margin, Mm(37)) and _close(section.bottom_margin, Mm(35))
    assert _close(section.left_margin, Mm(28)) and _close(section.right_margin, Mm(26))


def test_masthead_document_number_and_title(notice: DocumentObject) -> None:
    mark = _paragraph(notice, "益阳市国土资源局文件")
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    number = _paragraph(notice, "益国土资发〔2017〕86号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"  # the red line under the 文号

    title = _paragraph(notice, "关于2017年度全市国土资源执法监察工作")
    assert title.text.replace("\n", "") == "关于2017年度全市国土资源执法监察工作目标管理考评情况的通报"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {_east_asian_font(r) for r in title.runs} == {"方正小标宋简体"}
    assert {r.font.size for r in title.runs} == {Pt(22)}


def test_addressees_follow_the_title(notice: DocumentObject) -> None:
    texts = [p.text for p in notice.paragraphs]
    title = next(i for i, t in enumerate(texts) if t.startswith("关于2017年度"))
    assert texts[title + 1] == ""  # one blank line
    assert texts[title + 2] == "各区县（市）国土资源局（分局）："


def test_body_in_fangsong_sanhao_with_indent_and_fixed_lines(notice: DocumentObject) -> None:
    opening = _paragraph(notice, "为切实做好2017年")
    assert {_east_asian_font(r) for r in opening.runs} == {"仿宋_GB2312"}
    assert {r.font.size for r in opening.runs} == {Pt(16)}
    layout = opening.paragraph_format
    assert layout.first_line_indent == Pt(32)
    assert layout.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= layout.line_spacing <= Pt(29)
    normal = notice.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_body_cites_the_notice_and_the_procedure(notice: DocumentObject) -> None:
    opening = _paragraph(notice, "为切实做好2017年").text
    assert "（益国土资发〔2017〕22号，以下简称《通知》）" in opening
    assert "自评——市局目标管理考评小组考评——市局党组审定" in opening
    assert "全市8个区县（市）国土资源局（分局）" in opening
    assert "考评结果经市局党组审定" in opening


def test_headings_in_heiti_and_kaiti(notice: DocumentObject) -> None:
    for text in ("一、考评结果", "二、奖励和整改", "三、下一步工作要求"):
        heading = _paragraph(notice, text)
        assert heading.text == text and _east_asian_font(heading.runs[0]) == "黑体"
    excellent = _paragraph(notice, "（一）优胜单位")
    assert _east_asian_font(excellent.runs[0]) == "楷体_GB2312"
    assert _east_asian_font(excellent.runs[1]) == "仿宋_GB2312"


def test_units_are_listed_under_their_grades(notice: DocumentObject) -> None:
    assert _paragraph(notice, "（一）").text == "（一）优胜单位（3个）：资阳区、南县、桃江县。"
    assert _paragraph(notice, "（二）").text == "（二）达标单位（4个）：赫山区、安化县、益阳高新区、沅江市。"
    assert _paragraph(notice, "（三）").text == "（三）不合格单位（1个）：大通湖区。"


def test_vetoes_are_explained(notice: DocumentObject) -> None:
    vetoes = _paragraph(notice, "（四）取消评优资格情况").text
    assert "赫山区因本年度被问责" in vetoes
    assert "大通湖区因自评中存在数据不实问题" in vetoes
    assert "赫山区考评总分97.00分，居全市第1名，因取消评优资格未评为优胜单位" in vetoes


def test_consequences_from_the_notice(notice: DocumentObject) -> None:
    text = "\n".join(p.text for p in notice.paragraphs)
    assert "对资阳区、南县、桃江县3个优胜单位予以通报表扬，并按照《通知》规定予以奖励" in text
    assert "大通湖区考评不合格" in text
    assert "黄牌警告" in text and "诫勉谈话" in text
    assert "附件：益阳市2017年度国土资源执法监察工作目标管理考评得分及排名表" in text


def test_no_failed_unit_says_so(outcome_with: Callable[..., CampaignOutcome], tmp_path: Path) -> None:
    document = _write(outcome_with(pass_min=Decimal(50)), tmp_path)
    assert _paragraph(document, "（三）").text == "（三）不合格单位：无。"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "本年度无不合格单位" in text and "黄牌警告" not in text


def test_ranking_table_with_repeated_header(notice: DocumentObject) -> None:
    table = notice.tables[0]
    assert len(table.rows) == 2 + 8
    header = [c.text for c in table.rows[0].cells]
    assert header[:3] == ["名次", "单位", "分项得分"] and header[-2:] == ["总分", "等次"]
    assert [c.text for c in table.rows[1].cells][2:8] == [
        "一\n16分",
        "二\n14分",
        "三\n20分",
        "四\n10分",
        "五\n20分",
        "六\n20分",
    ]
    for row in table.rows[:2]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    rows = [[c.text for c in row.cells] for row in table.rows[2:]]
    assert rows[0] == ["1", "赫山区", "16.00", "14.00", "19.00", "10.00", "20.00", "18.00", "97.00", "达标*"]
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5", "6", "6", "8"]
    assert [r[1] for r in rows] == [
        "赫山区",
        "资阳区",
        "南县",
        "桃江县",
        "安化县",
        "益阳高新区",
        "沅江市",
        "大通湖区",
    ]
    assert rows[-1][-2:] == ["51.42", "不合格*"]
    cell_run = table.rows[2].cells[1].paragraphs[0].runs[0]
    assert _east_asian_font(cell_run) == "仿宋_GB2312" and cell_run.font.size == Pt(10.5)


def test_signature_and_date_at_the_right(notice: DocumentObject) -> None:
    texts = [p.text for p in notice.paragraphs]
    dated = texts.index("2017年12月28日")
    assert texts[dated - 1] == "益阳市国土资源局"
    for paragraph in notice.paragraphs[dated - 1 : dated + 1]:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert notice.paragraphs[dated].paragraph_format.right_indent == Pt(64)  # 4 characters from the edge


def test_page_numbers_with_dashes_in_songti(notice: DocumentObject) -> None:
    section = notice.sections[0]
    assert notice.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert " PAGE " in [t.text for t in paragraph._p.iter(qn("w:instrText"))]
        assert {_east_asian_font(r) for r in paragraph.runs} == {"宋体"}
        assert {r.font.size for r in paragraph.runs} == {Pt(14)}
    assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_unapproved_campaign_is_a_draft_for_the_party_group(outcome: CampaignOutcome, tmp_path: Path) -> None:
    outcome.state = CampaignState.PENDING_APPROVAL
    opening = _paragraph(_write(outcome, tmp_path), "为切实做好").text
    assert "考评结果报市局党组审定" in opening


def test_incomplete_campaign_has_no_notice(incomplete_outcome: CampaignOutcome, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="^尚有未评条目，不能生成通报$"):
        write_notice(incomplete_outcome, tmp_path / "通报.docx", **NOTICE)
    assert not (tmp_path / "通报.docx").exists()


def test_the_imprint_closes_the_document_at_the_foot_of_its_last_page(notice: DocumentObject) -> None:
    ranking, imprint = notice.tables
    texts = [c.text for row in imprint.rows for c in row.cells]
    assert texts[0] == "抄送：市局党组成员，市局各科室，市国土资源执法监察支队。"
    assert texts[1].startswith("益阳市国土资源局办公室") and texts[1].endswith("印发")
    # Nothing but the empty line a document ends in comes after it.
    assert not "".join(p.text for p in notice.paragraphs[-1:])
    # A table positioned at the bottom of the type area: the foot of the page the document ends on.
    position = imprint._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:vertAnchor")) == "margin" and position.get(qn("w:tblpYSpec")) == "bottom"
    assert position.get(qn("w:tblpXSpec")) == "center"
    width = int(imprint._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) * 635  # twips → EMU
    assert Mm(150) <= width <= Mm(156)
    # A thick rule above 抄送 and below 印发, a thin one between them.
    rules = []
    for row in imprint.rows:
        borders = row.cells[0]._tc.tcPr.find(qn("w:tcBorders"))
        rules += [(side.tag.split("}")[1], side.get(qn("w:sz"))) for side in borders]
    assert rules == [("top", "12"), ("bottom", "4"), ("bottom", "12")]
    # After the attachment's table and its note, not before them.
    body = list(notice.element.body)
    assert body.index(ranking._tbl) < body.index(imprint._tbl)


def test_cancelled_excellence_is_marked_in_the_attachment_and_explained(notice: DocumentObject) -> None:
    table = notice.tables[0]
    marked = {row.cells[1].text for row in table.rows[2:] if row.cells[-1].text.endswith("*")}
    assert marked == {"赫山区", "大通湖区"}
    note = _paragraph(notice, "注：表头").text
    assert "等次后标“*”的单位取消本年度评优资格" in note
    assert "赫山区（本年度被问责）" in note and "大通湖区（自评中存在数据不实问题）" in note


def test_scores_of_100_fit_their_columns(outcome: CampaignOutcome, tmp_path: Path) -> None:
    top = outcome.units[0]
    top.total = Decimal("100.00")
    document = _write(outcome, tmp_path)
    table = document.tables[0]
    row = next(r for r in table.rows[2:] if r.cells[1].text == top.name)
    margins = 2 * 57  # twips, the table's cell margins
    for cell in row.cells:
        width = int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) - margins
        # 五号 (10.5 pt = 210 twips): a Chinese character takes 210 twips, a figure at most 0.65 of one
        # (in the fonts a reader may have instead of 仿宋_GB2312), a point or an asterisk about half that.
        needed = sum({".": 0.35, "*": 0.5}.get(c, 0.65 if ord(c) < 0x2E80 else 1) * 210 for c in cell.text)
        assert needed <= width, (cell.text, needed, width)
    assert row.cells[-2].text == "100.00"


def test_a_draft_says_so_on_every_page(outcome: CampaignOutcome, tmp_path: Path) -> None:
    for state in (CampaignState.REVIEW, CampaignState.PENDING_APPROVAL):
        outcome.state = state
        document = _write(outcome, tmp_path)
        section = document.sections[0]
        assert document.settings.odd_and_even_pages_header_footer
        for header in (section.header, section.even_page_header):
            assert not header.is_linked_to_previous
            assert "草稿" in header.paragraphs[0].text
            assert "未经市局党组审定" in header.paragraphs[0].text
            assert {r.font.color.rgb for r in header.paragraphs[0].runs} == {RGBColor(0xFF, 0, 0)}


def test_an_approved_notice_has_no_draft_mark(notice: DocumentObject) -> None:
    section = notice.sections[0]
    for header in (section.header, section.even_page_header):
        assert "草稿" not in "".join(p.text for p in header.paragraphs)
    assert "未经" not in "\n".join(p.text for p in notice.paragraphs)


def test_ties_at_the_quota_edge_are_explained(outcome: CampaignOutcome, tmp_path: Path) -> None:
    for unit in outcome.units:
        unit.total, unit.vetoes, unit.rank, unit.grade = Decimal("100.00"), [], 1, EXCELLENT
    text = _paragraph(_write(outcome, tmp_path), "（一）优胜单位").text
    assert text.startswith("（一）优胜单位（8个）：赫山区、")
    assert "8个单位总分均为100.00分，并列第1名，处在前3名的名额边界上，按照考评细则一并评为优胜单位" in text


def test_fewer_excellent_units_than_the_quota_are_explained(
    outcome_with: Callable[..., CampaignOutcome], tmp_path: Path
) -> None:
    text = _paragraph(_write(outcome_with(excellent_min=D(95)), tmp_path), "（一）优胜单位").text
    assert text.startswith("（一）优胜单位（1个）：资阳区。")
    assert "总分不低于95分的单位仅1个，优胜单位不足3个名额" in text


def test_nothing_lost_says_so_instead_of_naming_full_sections(
    outcome: CampaignOutcome, tmp_path: Path
) -> None:
    for unit in outcome.units:
        unit.sections = {s.number: s.points for s in outcome.rubric.sections}
    text = _paragraph(_write(outcome, tmp_path), "从考评情况看").text
    assert "失分主要集中在" not in text and "得分率100%" not in text
    assert text.startswith("从考评情况看，全市各单位各部分均得满分")


def test_only_sections_with_lost_points_are_named(outcome: CampaignOutcome, tmp_path: Path) -> None:
    for unit in outcome.units:
        unit.sections = {s.number: s.points for s in outcome.rubric.sections}
    outcome.units[0].sections["3"] -= 2
    text = _paragraph(_write(outcome, tmp_path), "从考评情况看").text
    assert text.startswith("从考评情况看，全市失分主要集中在案件查处（平均得分19.75分，得分率98.75%）方面。")


def test_the_basis_document_number_is_the_one_given(outcome: CampaignOutcome, tmp_path: Path) -> None:
    path = write_notice(outcome, tmp_path / "通报.docx", **NOTICE, basis_number="益国土资发〔2017〕99号")
    opening = _paragraph(Document(str(path)), "为切实做好").text
    assert "（益国土资发〔2017〕99号，以下简称《通知》）" in opening


def test_the_signature_block_keeps_room_for_the_seal_on_one_page(notice: DocumentObject) -> None:
    paragraphs = notice.paragraphs
    texts = [p.text for p in paragraphs]
    note, dated = texts.index(next(t for t in texts if t.startswith("附件："))), texts.index("2017年12月28日")
    between = paragraphs[note + 1 : dated - 1]
    # A 42 mm seal over 署名 and date: at least three empty 28.9 pt lines above the 署名.
    assert len(between) >= 3 and all(not p.text for p in between)
    assert sum(p.paragraph_format.line_spacing for p in between) + 2 * Pt(28.9) >= Mm(42)
    # From the 附件说明 to the 署名 each line keeps with the next: the block never breaks across pages.
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[note:dated])
