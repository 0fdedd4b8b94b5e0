"""`kaoping rubric new`: a new year's rubric started from last year's file, as text, so that its comments,
layout and every item stay as they were; only what names the year changes, and the result is validated."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .schema import DATA_DIR, Rubric, RubricError, parse_rubric


@dataclass(frozen=True)
class NewRubric:
    text: str
    rubric: Rubric
    changes: list[str]  # what was changed, one line each, in Chinese
    review: list[str]  # what a person should still look at


def rubric_source_find(name: str) -> tuple[str, str]:
    """(TOML text, where it came from) of a rubric named by a file path or a shipped rubric's id."""
    path = Path(name)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise RubricError(name, ["文件不存在"])
        return path.read_text(encoding="utf-8"), str(path)
    shipped = DATA_DIR / f"{name}.toml"
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8"), f"系统自带细则 {name}"
    known = "、".join(sorted(p.stem for p in DATA_DIR.glob("*.toml")))
    raise RubricError(name, [f"没有编号为 {name} 的系统自带细则，也没有这个文件（自带细则：{known}）"])


def _top_level_line(text: str, key: str) -> re.Match[str] | None:
    """The `key = …` line before the first table header (TOML's top level)."""
    head = re.split(r"(?m)^\s*\[", text, maxsplit=1)[0]
    match = re.search(rf"(?m)^{key}\s*=\s*(.+?)\s*(#.*)?$", head)
    return match


def _replace_value(text: str, key: str, value: str) -> str:
    match = _top_level_line(text, key)
    if match is None:  # no such line: add it after the id line
        id_line = _top_level_line(text, "id")
        assert id_line is not None
        return text[: id_line.end()] + f"\n{key} = {value}" + text[id_line.end() :]
    return text[: match.start(1)] + value + text[match.end(1) :]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rubric_new_year(
    source: str, *, year: int, new_id: str | None = None, origin: str = "考评细则"
) -> NewRubric:
    """Last year's rubric text made into year `year`'s: id, year and title name the new year, every
    "<old year>年" in a text becomes "<year>年", the 通知 number is emptied (the new notice has its own)."""
    old = parse_rubric(source, origin)
    data = tomllib.loads(source)
    old_year = old.year or _year_in(old.id) or _year_in(old.title)
    if old_year is None:
        raise RubricError(
            origin, ["细则没有 year，编号和标题中也没有年份；请用 --id 指定新编号并手工修改年份"]
        )
    if year == old_year:
        raise RubricError(origin, [f"细则已是 {year} 年度的；新年度应不同于 {old_year}"])
    identifier = new_id or (
        old.id.replace(str(old_year), str(year)) if str(old_year) in old.id else f"{old.id}-{year}"
    )
    changes = [f"编号 {old.id} → {identifier}"]
    text = _replace_value(source, "id", _quoted(identifier))
    text = _replace_value(text, "year", str(year))
    changes.append(f"年度 {old.year or '（无）'} → {year}")
    title = old.title.replace(str(old_year), str(year))
    if title != old.title:
        text = _replace_value(text, "title", _quoted(title))
        changes.append(f"标题 → {title}")
    review: list[str] = []
    if data.get("document_number"):
        text = _replace_value(text, "document_number", '""')
        changes.append(f"通知文号 {old.document_number} 已清空")
        review.append("新年度的考评通知印发后，填写 document_number（通知文号）")
    text = (
        f"# 由 kaoping rubric new 从 {old.id} 生成（{year} 年度）：核对各条目的分值、计分规则和参数，"
        "以及加分项、扣分项（[[adjustments]]），再用 kaoping rubric check 校验。\n"
    ) + text
    # Every "2017年" inside the texts (2017年度矿产执法检查专项行动…); comments and other years stay.
    pattern = f"{old_year}年"
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        code, hash_, comment = _split_comment(line)
        if pattern in code and not code.lstrip().startswith(("id", "year")):
            lines[number - 1] = code.replace(pattern, f"{year}年") + hash_ + comment
            what = _line_name(lines, number)
            changes.append(f"第 {number} 行{what}：“{pattern}” → “{year}年”")
    text = "".join(lines)
    rubric = parse_rubric(text, f"{identifier}（新生成）")
    if old.adjustments:
        review.append(f"上一年度的 {len(old.adjustments)} 个加分项、扣分项已保留，请核对是否仍适用")
    else:
        review.append("如本年度设加分项或扣分项，按文件末尾的说明添加 [[adjustments]]")
    text += "" if old.adjustments else ADJUSTMENTS_HINT
    return NewRubric(text=text, rubric=rubric, changes=changes, review=review)


ADJUSTMENTS_HINT = """
# ─── 加分项和扣分项（可选）───
# 每个加分项或扣分项一个 [[adjustments]]：考评小组逐条记录（写明依据、附佐证材料），每条计 points 分，
# 合计最多 max 分；加分计入总分，扣分从总分中扣除。示例（去掉行首的 # 即生效）：
# [[adjustments]]
# id = "J1"
# kind = "bonus"          # bonus：加分；deduction：扣分
# name = "经验推广"        # 简称，用于排名表和通报
# text = "执法监察工作经验被省国土资源厅推广的，每项加1分，最多加2分。"
# points = 1
# max = 2
"""


def _year_in(text: str) -> int | None:
    match = re.search(r"(20\d\d)", text)
    return int(match.group(1)) if match else None


def _split_comment(line: str) -> tuple[str, str, str]:
    """A TOML line as (code, "#", comment), the "#" outside any string."""
    quote = ""
    for position, char in enumerate(line):
        if quote:
            if char == quote and line[position - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:position], "#", line[position + 1 :]
    return line, "", ""


def _line_name(lines: list[str], number: int) -> str:
    """Which item a line belongs to: the nearest `id = "…"` above it."""
    for line in reversed(lines[: number - 1]):
        match = re.match(r'\s*id\s*=\s*"([^"]+)"', line)
        if match:
            return f"（条目 {match.group(1)}）"
        if line.lstrip().startswith("[[sections]]"):
            break
    return ""
