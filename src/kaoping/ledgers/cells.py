"""Parsing one cell. Each parser returns the value or raises CellError with a message for the user."""

import datetime
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from kaoping.scoring.numbers import CENT


class CellError(ValueError):
    pass


AREA_LIMIT = Decimal(10) ** 10  # the column holds up to 12 digits, 2 of them decimals


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed into a number cell
    if isinstance(value, datetime.datetime | datetime.date):
        raise CellError(f"应为文字，而单元格是日期 {value:%Y-%m-%d}")
    return str(value).strip()


def _date_from_text(raw: str) -> datetime.date:
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise CellError(f"“{raw}”不是有效日期（该月没有这一天）") from None
    raise CellError(f"“{raw}”不是日期；应写作 2017-05-03、2017/5/3 或 2017年5月3日")


def date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):
        raise CellError(f"“{value:g}”是数字而不是日期；请把单元格设为日期格式或写作 2017-05-03")
    return _date_from_text(str(value).strip())


def timestamp(value: Any) -> datetime.datetime:
    """A naive local date and time; the caller attaches the time zone."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    if isinstance(value, int | float):
        raise CellError(f"“{value:g}”是数字而不是时间；应写作 2017-05-18 16:30")
    raw = str(value).strip()
    day_part, _, time_part = raw.partition(" ")
    day = _date_from_text(day_part)
    if not time_part.strip():
        return datetime.datetime.combine(day, datetime.time())
    match = _TIME.match(time_part.strip())
    if not match:
        raise CellError(f"“{raw}”的时间部分不对；应写作 2017-05-18 16:30 或 2017-05-18 16:30:00")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    try:
        return datetime.datetime.combine(day, datetime.time(hour, minute, second))
    except ValueError:
        raise CellError(f"“{raw}”不是有效时间") from None


def yes_no(value: Any) -> bool:
    raw = text(value)
    if raw == "是":
        return True
    if raw == "否":
        return False
    raise CellError(f"“{raw}”不是“是”或“否”")


def one_of(choices: Sequence[str]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        raw = text(value)
        if raw not in choices:
            raise CellError(f"“{raw}”不在可选值中（{'、'.join(choices)}）")
        return raw

    return parse


def decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError("应为数字")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        raise CellError(f"“{value}”不是数字") from None
    if not number.is_finite():
        raise CellError(f"“{value}”不是数字")
    return number


def non_negative_area(value: Any) -> Decimal:
    number = decimal(value)
    if number < 0:
        raise CellError(f"面积 {number} 不能为负数")
    if number != number.quantize(CENT):
        raise CellError(f"面积 {number} 最多保留 2 位小数")
    if number >= AREA_LIMIT:
        raise CellError(f"面积 {number} 亩过大，请核对单位是否为亩")
    return number.quantize(CENT)


def score(value: Any) -> Decimal:
    """A score with at most 2 decimals (the range is checked against the item later)."""
    number = decimal(value)
    if number != number.quantize(CENT):
        raise CellError(f"分数 {number} 最多保留 2 位小数")
    return number.quantize(CENT)
