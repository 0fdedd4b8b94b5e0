"""Wording shared by the workbook and the notice: section headings, grade words, veto reasons, dates."""

from datetime import date
from decimal import Decimal

from kaoping.rubrics.schema import Rubric, Section
from kaoping.scoring.enums import Source
from kaoping.scoring.grading import EXCELLENT, FAILED, PASSED
from kaoping.scoring.numbers import fmt

GRADES = (EXCELLENT, PASSED, FAILED)
PENDING = "—"  # shown for a rank or grade that does not exist yet
INCOMPLETE_NOTE = "尚有未评条目，名次和等次待定"

_NUMERALS = "一二三四五六七八九十"

# Why a veto cancels 优胜: the wording follows the notice (细则 5.7 and 三、1).
VETO_REASONS = {
    "问责": "本年度被问责",
    "数据不实": "自评中存在数据不实问题",
}

SOURCE_LABELS = {**{source: source.label for source in Source}, None: "未评"}


def chinese_numeral(number: int) -> str:
    """一 … 九十九, enough for section numbers."""
    if 1 <= number <= 10:
        return _NUMERALS[number - 1]
    tens, ones = divmod(number, 10)
    head = "" if tens == 1 else _NUMERALS[tens - 1]
    return head + "十" + (_NUMERALS[ones - 1] if ones else "")


def section_numeral(section: Section) -> str:
    return chinese_numeral(int(section.number)) if section.number.isdigit() else section.number


def section_heading(section: Section) -> str:
    """一、机构建设和执法保障（16分）, as the notice writes it."""
    return f"{section_numeral(section)}、{section.title}（{fmt(section.points)}分）"


def rubric_year(rubric: Rubric, fallback: int) -> int:
    return rubric.year if rubric.year is not None else fallback


def chinese_date(day: date) -> str:
    """2017年12月28日: Arabic figures, no leading zeros (GB/T 9704-2012 7.3.5)."""
    return f"{day.year}年{day.month}月{day.day}日"


def veto_reason(vetoes: list[str]) -> str:
    return "、".join(VETO_REASONS.get(v, v) for v in vetoes)


def points_text(value: Decimal) -> str:
    """60, 90.5: a threshold as people say it."""
    return fmt(value)
