"""The opening notice (通知) of a campaign with its 细则 as the attachment, in the 通报's GB/T 9704 layout.

The 通知's text follows the 2017 seed, with the year, its grade settings and its dates put in; the
attachment lists every section and item of the year's rubric with its points.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from docx import Document

from kaoping.rubrics.schema import Rubric
from kaoping.scoring.numbers import fmt

from .common import points_text, section_heading
from .notice import (
    ADDRESSEES,
    BODY_FONT,
    BODY_SIZE,
    HEADING_1_FONT,
    PROCEDURE,
    _attachment_note,
    _base_style,
    _blank,
    _heading_1,
    _imprint,
    _keep_with_next,
    _masthead,
    _page_numbers,
    _page_setup,
    _paragraph,
    _signature,
    _spacing,
    _styled,
    _title,
)


@dataclass(frozen=True)
class RulesSettings:
    """What the 通知 says of the year: its grade settings and the self-assessment deadline."""

    year: int
    pass_min: Decimal
    excellent_min: Decimal
    excellent_quota: int
    self_deadline: date


def write_rules(
    rubric: Rubric,
    settings: RulesSettings,
    path: Path,
    *,
    authority: str,
    document_number: str,
    issue_date: date,
) -> Path:
    """Write the year's 通知 and its 细则 to `path` and return it."""
    path = Path(path)
    year = settings.year
    document = Document()
    _page_setup(document)
    _base_style(document)
    _masthead(document, authority, document_number)
    _title(document, [f"关于全市{year}年度国土资源执法监察工作", "目标管理考评有关事项的通知"])
    _blank(document)
    _paragraph(document, ADDRESSEES, indent=False)
    _body(document, rubric, settings)
    attachment = f"{year}年全市国土资源执法监察工作目标管理考评细则"
    _keep_with_next(_blank(document))
    _keep_with_next(_attachment_note(document, attachment))
    _signature(document, authority, issue_date)
    _rules_attachment(document, rubric, year)
    _imprint(document, authority, issue_date)
    _page_numbers(document)
    first = document.paragraphs[0]
    if not first.text and not first.runs:
        first._element.getparent().remove(first._element)
    document.save(path)
    return path


def _body(document, rubric: Rubric, settings: RulesSettings) -> None:
    year, deadline = settings.year, settings.self_deadline
    vetoes = "、".join(rubric.veto_events) or "问责、数据不实"
    _paragraph(
        document,
        f"为切实做好{year}年全市国土资源执法监察工作，经市局党组研究，决定对全市国土资源执法监察工作实行"
        "年度目标管理，现就有关事项通知如下：",
    )
    _keep_with_next(_heading_1(document, "一、工作目标"))
    _paragraph(
        document,
        "认真贯彻落实部、省国土资源工作会议精神和国土资源部《关于进一步加强和改进执法监察工作的意见》，"
        "牢固树立法治思维，围绕中心，服务大局，创新思路，破解难题，以强化日常执法监管为重点，最大限度地减少"
        "和遏制违法行为，推动执法监察工作常态化、立体化和制度化，把违法行为发现在初始、解决在萌芽，切实维护"
        "国土资源管理利用秩序和群众权益。",
    )
    _keep_with_next(_heading_1(document, "二、考评办法"))
    _paragraph(
        document,
        "1.成立目标管理考评小组。考评小组由市局局长任组长，市局分管领导任副组长，"
        f"{'、'.join(d.name for d in rubric.departments)}为考评小组成员单位，负责目标管理考评的日常工作。",
    )
    _paragraph(
        document,
        f"2.考评程序方式。{PROCEDURE}。在各区县（市）国土资源局（分局）自评的基础上，考评小组查阅统计报表、"
        "归档资料，结合卫片执法和例行督察中的工作情况以及执法监察日常管理情况，逐项进行评分。",
    )
    _paragraph(
        document,
        f"3.考评成果。考评满分{fmt(rubric.total)}分，分优胜单位、达标单位、不合格单位，考评情况在全市进行通报。"
        f"总分低于{points_text(settings.pass_min)}分的为不合格单位；无取消评优情形、总分不低于"
        f"{points_text(settings.excellent_min)}分的单位中，总分前{settings.excellent_quota}名为优胜单位"
        "（名额边界总分并列的，一并评为优胜）；其余为达标单位。对优胜单位予以奖励；不合格单位且整改措施不力、"
        "自查自改不到位的，对分管局领导、大队负责人给予黄牌警告，对局主要负责人进行诫勉谈话。",
    )
    _keep_with_next(_heading_1(document, "三、具体要求"))
    _paragraph(
        document,
        "1.严格按照目标管理工作的考评内容，切实做好各项工作，加强督促检查，确保年度工作目标的实现。"
        f"本年度有{vetoes}情形的，取消评优资格；对自评中数据不实的，一经发现，取消评优资格。",
    )
    _paragraph(
        document,
        "2.目标管理考评工作在第四季度完成。各区县（市）国土资源局（分局）于"
        f"{deadline.year}年{deadline.month}月{deadline.day}日前完成自评情况的汇总；"
        f"各类月报于每月{rubric.monthly_report_due_day}日前报送。",
    )


def _rules_attachment(document, rubric: Rubric, year: int) -> None:
    """On a new page: 附件, the title, then each section (黑体) and its numbered items with their points."""
    label = document.add_paragraph()
    _spacing(label)
    label.paragraph_format.page_break_before = True
    _styled(label.add_run("附件"), HEADING_1_FONT, BODY_SIZE)
    _blank(document)
    _title(document, [f"{year}年全市国土资源执法监察工作", "目 标 管 理 考 评 细 则"])
    _blank(document)
    for section in rubric.sections:
        _keep_with_next(_heading_1(document, section_heading(section)))
        for number, item in enumerate(section.items, start=1):
            text = item.text if item.text.endswith(("。", "；", "）", ")")) else item.text + "。"
            paragraph = _paragraph(document, f"{number}.{text}（{fmt(item.points)}分）")
            for run in paragraph.runs:
                _styled(run, BODY_FONT, BODY_SIZE)
