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
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from kaoping.reports.notice import write_notice
from kaoping.scoring.enums import CampaignState
from kaoping.scoring.outcome import CampaignOutcome

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
    (table,) = notice.tables
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
    assert rows[0] == ["1", "赫山区", "16.00", "14.00", "19.00", "10.00", "20.00", "18.00", "97.00", "达标"]
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
    assert rows[-1][-2:] == ["51.42", "不合格"]
    cell_run = table.rows[2].cells[1].paragraphs[0].runs[0]
    assert _east_asian_font(cell_run) == "仿宋_GB2312" and cell_run.font.size == Pt(12)


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


def test_the_imprint_closes_the_document(notice: DocumentObject) -> None:
    texts = [p.text for p in notice.paragraphs if p.text.strip()]
    assert texts[-2] == "抄送：市局党组成员，市局各科室，市国土资源执法监察支队。"
    assert texts[-1].startswith("益阳市国土资源局办公室") and texts[-1].endswith("印发")
