"""The year's 通知 with its 细则 as a reader sees it after opening the .docx again."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from kaoping.reports.rules import RulesSettings, write_rules
from kaoping.rubrics.schema import DATA_DIR, load_rubric_file

SETTINGS = RulesSettings(
    year=2017,
    pass_min=Decimal(60),
    excellent_min=Decimal("90.5"),
    excellent_quota=3,
    self_deadline=date(2017, 12, 15),
)


@pytest.fixture
def rules(tmp_path: Path) -> DocumentObject:
    rubric = load_rubric_file(DATA_DIR / "yiyang-2017.toml")
    path = write_rules(
        rubric,
        SETTINGS,
        tmp_path / "通知.docx",
        authority="益阳市国土资源局",
        document_number="益国土资发〔2017〕22号",
        issue_date=date(2017, 5, 3),
    )
    return Document(str(path))


def _texts(document: DocumentObject) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_masthead_number_title_and_addressees(rules: DocumentObject) -> None:
    texts = [t for t in _texts(rules) if t]
    assert texts[:4] == [
        "益阳市国土资源局文件",
        "益国土资发〔2017〕22号",
        "关于全市2017年度国土资源执法监察工作\n目标管理考评有关事项的通知",
        "各区县（市）国土资源局（分局）：",
    ]
    assert rules.paragraphs[0].runs[0].font.color.rgb == (0xFF, 0, 0)


def test_the_text_carries_the_years_settings_and_dates(rules: DocumentObject) -> None:
    text = "\n".join(_texts(rules))
    assert "为切实做好2017年全市国土资源执法监察工作" in text
    assert "区县（市）国土资源局（分局）自评——市局目标管理考评小组考评——市局党组审定" in text
    assert "总分低于60分的为不合格单位" in text
    assert "总分不低于90.5分的单位中，总分前3名为优胜单位" in text
    assert "于2017年12月15日前完成自评情况的汇总" in text
    assert "每月20日前报送" in text
    assert "附件：2017年全市国土资源执法监察工作目标管理考评细则" in text


def test_signature_and_date_before_the_attachment(rules: DocumentObject) -> None:
    texts = _texts(rules)
    dated = texts.index("2017年5月3日")
    assert texts[dated - 1] == "益阳市国土资源局"
    label = texts.index("附件")
    assert dated < label and rules.paragraphs[label].paragraph_format.page_break_before


def test_the_attachment_lists_every_section_and_item_with_its_points(rules: DocumentObject) -> None:
    rubric = load_rubric_file(DATA_DIR / "yiyang-2017.toml")
    texts = _texts(rules)
    start = texts.index("附件")
    assert "2017年全市国土资源执法监察工作\n目 标 管 理 考 评 细 则" in texts[start:]
    body = texts[start:]
    headings = [t for t in body if t and t[0] in "一二三四五六" and t.endswith("分）")]
    assert headings == [
        "一、机构建设和执法保障（16分）",
        "二、动态巡查（14分）",
        "三、案件查处（20分）",
        "四、案件质量评查（10分）",
        "五、土地矿产卫片执法检查（20分）",
        "六、专项工作（20分）",
    ]
    items = [t for t in body if t[:1].isdigit() and t.endswith("分）")]
    assert len(items) == len(rubric.items) == 35
    assert (
        items[0]
        == "1.党组每季度听取执法监察工作情况汇报，研究解决重大疑难问题，为执法监察工作排忧解难。（3分）"
    )
    points = sum(Decimal(t.rsplit("（", 1)[1].removesuffix("分）")) for t in items)
    assert points == Decimal(100)
    heading = next(p for p in rules.paragraphs if p.text == headings[0])
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert heading.paragraph_format.keep_with_next  # never alone at the foot of a page


def test_page_numbers_and_imprint(rules: DocumentObject) -> None:
    section = rules.sections[0]
    assert section.footer.paragraphs[0].text == "— 1 —"
    imprint = rules.tables[-1]
    assert imprint.rows[0].cells[0].text.startswith("抄送：")
    assert imprint.rows[1].cells[0].text.endswith("2017年5月3日印发")
