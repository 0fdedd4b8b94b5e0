"""Rubric files (TOML): parsed and validated completely before use. Pure Python, no Django."""

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

from kaoping.scoring.adjustments import AdjustmentKind
from kaoping.scoring.facts import EVENT_KINDS, UnitFacts
from kaoping.scoring.rules import RULES, Computed

DATA_DIR = Path(__file__).parent / "data"
METHODS = ("manual", "rule")


class RubricError(Exception):
    """A rubric file with problems; `problems` lists every one, in Chinese."""

    def __init__(self, source: str, problems: list[str]):
        self.source, self.problems = source, problems
        super().__init__(f"{source}: " + "；".join(problems))


@dataclass(frozen=True)
class Department:
    code: str
    name: str


@dataclass(frozen=True)
class Item:
    id: str
    section: str
    text: str
    points: Decimal
    departments: tuple[str, ...]
    method: str
    rule: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def compute(self, facts: UnitFacts) -> Computed | None:
        if self.rule is None:
            return None
        return RULES[self.rule].compute(facts, self.params, self.points)


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    points: Decimal
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Adjustment:
    """加分项 / 扣分项: `points` for each recorded entry, at most `max` in all (both unsigned)."""

    id: str
    kind: AdjustmentKind
    name: str
    text: str
    points: Decimal
    max: Decimal

    @property
    def label(self) -> str:
        return f"{self.kind.label}项 {self.id}"


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    year: int | None
    total: Decimal
    issuer: str
    document_number: str
    departments: tuple[Department, ...]
    sections: tuple[Section, ...]
    monthly_report_due_day: int
    publish_within_days: int
    veto_events: tuple[str, ...]
    adjustments: tuple[Adjustment, ...] = ()

    def adjustment(self, adjustment_id: str) -> Adjustment | None:
        return next((a for a in self.adjustments if a.id == adjustment_id), None)

    # Computed once per rubric (a rubric is immutable and parsed once per process): a sheet of 100,000
    # scores asks for an item 100,000 times.
    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> Item:
        return self.item_map[item_id]

    @cached_property
    def item_map(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def department_name(self, code: str) -> str:
        return next((d.name for d in self.departments if d.code == code), code)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _params(where: str, rule_name: str, raw: Any, problems: list[str]) -> dict[str, Any]:
    rule = RULES[rule_name]
    if not isinstance(raw, dict):
        problems.append(f"{where}: params 应为表")
        return {}
    for unknown in sorted(set(raw) - set(rule.params)):
        allowed = "、".join(rule.params) or "无"
        problems.append(f"{where}: 规则 {rule_name} 没有参数 {unknown!r}（可用参数：{allowed}）")
    params: dict[str, Any] = {}
    for name, spec in rule.params.items():
        value = raw.get(name, spec.default)
        if value is None:
            problems.append(f"{where}: 规则 {rule_name} 缺少参数 {name!r}")
        elif spec.kind is Decimal:
            number = _decimal(value)
            if number is None or number < 0:
                problems.append(f"{where}: 参数 {name!r} 应为非负数，而不是 {value!r}")
            elif spec.share and number > 1:
                problems.append(
                    f"{where}: 参数 {name!r} 是比例，应在 0–1 之间（如 0.60 表示 60%），而不是 {value!r}"
                )
            params[name] = number
        elif spec.kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                problems.append(f"{where}: 参数 {name!r} 应为正整数，而不是 {value!r}")
            params[name] = value
        elif not isinstance(value, str) or not value:
            problems.append(f"{where}: 参数 {name!r} 应为文字，而不是 {value!r}")
        elif spec.choices and value not in spec.choices:
            problems.append(
                f"{where}: 参数 {name!r} 的值 {value!r} 不是台帐中的类型（可用：{'、'.join(spec.choices)}）"
            )
        else:
            params[name] = value
    return params


def parse_rubric(text: str, source: str = "考评细则") -> Rubric:
    """Parse and validate a rubric; raise RubricError listing every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(source, [f"不是有效的 TOML：{exc}"]) from None
    problems: list[str] = []
    for key in ("id", "title", "total"):
        if key not in data:
            problems.append(f"缺少顶层字段 {key!r}")
    total = _decimal(data.get("total", 0))
    if total is None:
        problems.append(f"total 应为数字，而不是 {data.get('total')!r}")
        total = Decimal(0)

    departments = tuple(
        Department(str(d.get("code", "")), str(d.get("name", ""))) for d in data.get("departments", [])
    )
    department_codes = {d.code for d in departments}
    if not departments:
        problems.append("没有列出任何成员单位（[[departments]]）")

    seen_ids: set[str] = set()
    sections: list[Section] = []
    for s_index, raw_section in enumerate(data.get("sections", []), start=1):
        number = str(raw_section.get("number", s_index))
        title = str(raw_section.get("title", ""))
        where_s = f"第 {number} 部分“{title}”"
        s_points = _decimal(raw_section.get("points"))
        if s_points is None:
            problems.append(f"{where_s}: points 缺失或不是数字")
            s_points = Decimal(0)
        items: list[Item] = []
        for raw in raw_section.get("items", []):
            item_id = str(raw.get("id", "")).strip()
            where = f"条目 {item_id or '(无编号)'}"
            if not item_id:
                problems.append(f"{where_s}: 有条目缺少 id")
            elif not re.fullmatch(rf"{re.escape(number)}\.[1-9][0-9]*", item_id):
                problems.append(f"{where}: 编号应为“{number}.序号”，如 {number}.1")
            elif item_id in seen_ids:
                problems.append(f"{where}: 编号重复")
            seen_ids.add(item_id)
            points = _decimal(raw.get("points"))
            if points is None or points <= 0:
                problems.append(f"{where}: points 应为正数，而不是 {raw.get('points')!r}")
                points = Decimal(0)
            if not str(raw.get("text", "")).strip():
                problems.append(f"{where}: 缺少条目原文 text")
            item_departments = tuple(raw.get("departments", []))
            if not item_departments:
                problems.append(f"{where}: 未指定负责的成员单位 departments")
            for code in item_departments:
                if code not in department_codes:
                    problems.append(f"{where}: 未知的成员单位 {code!r}")
            method = raw.get("method", "manual")
            rule_name = raw.get("rule")
            params: dict[str, Any] = {}
            if method not in METHODS:
                problems.append(f"{where}: method 应为 manual 或 rule，而不是 {method!r}")
            elif method == "rule":
                if rule_name not in RULES:
                    known = "、".join(sorted(RULES))
                    problems.append(f"{where}: 未知的计分规则 {rule_name!r}（已有规则：{known}）")
                else:
                    params = _params(where, rule_name, raw.get("params", {}), problems)
            elif rule_name is not None or "params" in raw:
                problems.append(f"{where}: manual 条目不应有 rule 或 params")
                rule_name = None
            items.append(
                Item(
                    id=item_id,
                    section=number,
                    text=str(raw.get("text", "")).strip(),
                    points=points,
                    departments=item_departments,
                    method=method,
                    rule=rule_name if method == "rule" and rule_name in RULES else None,
                    params=params,
                )
            )
        item_sum = sum((i.points for i in items), Decimal(0))
        if not items:
            problems.append(f"{where_s}: 没有条目")
        elif item_sum != s_points:
            problems.append(f"{where_s}: 各条目分值之和为 {item_sum}，与本部分分值 {s_points} 不符")
        sections.append(Section(number, title, s_points, tuple(items)))
    if not sections:
        problems.append("没有任何部分（[[sections]]）")
    section_sum = sum((s.points for s in sections), Decimal(0))
    if sections and section_sum != total:
        problems.append(f"各部分分值之和为 {section_sum}，与声明的总分 {total} 不符")

    facts = data.get("facts", {})
    due_day = facts.get("monthly_report_due_day", 20)
    if not isinstance(due_day, int) or not 1 <= due_day <= 28:
        problems.append(f"[facts] monthly_report_due_day 应为 1–28 的整数，而不是 {due_day!r}")
    within = facts.get("publish_within_days", 20)
    if not isinstance(within, int) or within < 0:
        problems.append(f"[facts] publish_within_days 应为非负整数，而不是 {within!r}")
    veto_events = tuple(data.get("vetoes", {}).get("events", []))
    for event in veto_events:
        if event not in EVENT_KINDS:
            problems.append(
                f"[vetoes] events 中的 {event!r} 不是工作事项类型（可用：{'、'.join(EVENT_KINDS)}）"
            )

    adjustments = _adjustments(data.get("adjustments", []), problems)

    if problems:
        raise RubricError(source, problems)
    return Rubric(
        id=str(data["id"]),
        title=str(data["title"]),
        year=data.get("year"),
        total=total,
        issuer=str(data.get("issuer", "")),
        document_number=str(data.get("document_number", "")),
        departments=departments,
        sections=tuple(sections),
        monthly_report_due_day=due_day,
        publish_within_days=within,
        veto_events=veto_events,
        adjustments=adjustments,
    )


ADJUSTMENT_KEYS = ("id", "kind", "name", "text", "points", "max")
ADJUSTMENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9]{0,9}")


def _cents_number(where: str, key: str, value: Any, problems: list[str]) -> Decimal:
    """A positive figure with at most 2 decimals, or a problem named (and 0 returned)."""
    number = _decimal(value)
    if number is None or number <= 0:
        problems.append(f"{where}: {key} 应为正数，而不是 {value!r}")
        return Decimal(0)
    if number != number.quantize(Decimal("0.01")):
        problems.append(f"{where}: {key} 最多保留两位小数，而不是 {value!r}")
    return number


def _adjustments(raw_list: Any, problems: list[str]) -> tuple[Adjustment, ...]:
    """[[adjustments]]: 加分项 and 扣分项, each +N / −N per recorded entry, at most M in all."""
    if not isinstance(raw_list, list) or not all(isinstance(r, dict) for r in raw_list):
        problems.append("[[adjustments]] 应为表的数组，每个加分项或扣分项一个 [[adjustments]]")
        return ()
    adjustments: list[Adjustment] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_list, start=1):
        adjustment_id = str(raw.get("id", "")).strip()
        kind_text = raw.get("kind")
        known_kind = kind_text in {k.value for k in AdjustmentKind}
        kind = AdjustmentKind(kind_text) if known_kind else AdjustmentKind.BONUS
        named = f"{kind.label}项" if known_kind else "加减分项"
        where = f"{named} {adjustment_id}" if adjustment_id else f"第 {index} 个{named}（[[adjustments]]）"
        if not known_kind:
            kinds = "、".join(f"{k.value}（{k.label}）" for k in AdjustmentKind)
            problems.append(f"{where}: kind 应为 {kinds}，而不是 {kind_text!r}")
        for unknown in sorted(set(raw) - set(ADJUSTMENT_KEYS)):
            problems.append(f"{where}: 没有字段 {unknown!r}（可用字段：{'、'.join(ADJUSTMENT_KEYS)}）")
        if not adjustment_id:
            problems.append(f'{where}: 缺少 id（如 "J1"）')
        elif not ADJUSTMENT_ID.fullmatch(adjustment_id):
            problems.append(f"{where}: id 应以字母开头、由字母和数字组成、不超过 10 个字符，如 J1 或 K2")
        elif adjustment_id in seen:
            problems.append(f"{where}: id 重复")
        seen.add(adjustment_id)
        name, text = str(raw.get("name", "")).strip(), str(raw.get("text", "")).strip()
        if not name:
            problems.append(f'{where}: 缺少简称 name（如 "经验推广"），用于排名表和通报')
        elif len(name) > 20:
            problems.append(f"{where}: 简称 name 最多 20 个字，现有 {len(name)} 个")
        if not text:
            problems.append(f"{where}: 缺少细则原文 text")
        points = _cents_number(where, "points（每项分值）", raw.get("points"), problems)
        cap = _cents_number(where, "max（最多加减的分值）", raw.get("max"), problems)
        if points and cap and cap < points:
            problems.append(f"{where}: max {cap} 小于每项分值 points {points}，一项都不能全额计分")
        adjustments.append(Adjustment(adjustment_id, kind, name, text, points, cap))
    return tuple(adjustments)


def load_rubric_file(path: Path | str) -> Rubric:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RubricError(str(path), ["文件不存在"]) from None
    except UnicodeDecodeError:
        raise RubricError(str(path), ["不是 UTF-8 编码的文本文件"]) from None
    return parse_rubric(text, str(path))


def shipped_rubric_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.toml"))


def rubric_summary(rubric: Rubric) -> str:
    lines = [f"{rubric.title}（{rubric.id}）总分 {rubric.total}"]
    for section in rubric.sections:
        rules = sum(1 for i in section.items if i.method == "rule")
        lines.append(
            f"  {section.number}. {section.title}：{section.points} 分，{len(section.items)} 项（其中自动计分 {rules} 项）"
        )
    for adjustment in rubric.adjustments:
        lines.append(
            f"  {adjustment.label}“{adjustment.name}”：每项{adjustment.kind.verb} {adjustment.points} 分，"
            f"最多{adjustment.kind.verb} {adjustment.max} 分"
        )
    extra = f"，另有加减分项 {len(rubric.adjustments)} 项" if rubric.adjustments else ""
    lines.append(f"共 {len(rubric.items)} 项{extra}，校验通过。")
    return "\n".join(lines)
