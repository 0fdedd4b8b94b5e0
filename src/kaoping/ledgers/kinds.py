"""The ledger kinds of formats.md: their columns, cross-column checks, and how a valid file is written."""

import datetime
import re
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from django.utils import timezone

from kaoping.bulk import Upserted, rows_upsert
from kaoping.org.models import Unit
from kaoping.org.policy import Action, policy_refusal

from . import cells
from .facts import (
    case_contribution,
    casefile_review_contribution,
    event_contribution,
    submission_contribution,
    tip_contribution,
)
from .imports import Column, ImportContext, ImportKind, no_check, unit_code
from .models import (
    Case,
    CaseFileReview,
    Discovery,
    Event,
    EventKind,
    Patch,
    Procedure,
    ReportKind,
    ReviewOutcome,
    Submission,
    Tip,
    Verdict,
    ViolationType,
)

YES_NO = ("是", "否")
UNIT = Column("单位代码", "unit_code", unit_code, note="六位行政区划代码，如 430902")


def _yes_no(header: str, field: str, note: str = "") -> Column:
    return Column(header, field, cells.yes_no, choices=YES_NO, note=note or "填“是”或“否”")


def _choice(
    header: str, field: str, choices: Iterable[str], required: bool = True, note: str = "", blank: Any = None
) -> Column:
    values = tuple(choices)
    return Column(
        header, field, cells.one_of(values), required=required, choices=values, note=note, blank=blank
    )


def _date(header: str, field: str, required: bool = True, note: str = "") -> Column:
    return Column(header, field, cells.date, required=required, note=note or "日期，如 2017-05-03")


def _not_before(row: dict[str, Any], later: str, earlier: str, later_header: str, earlier_header: str):
    if row[later] is not None and row[earlier] is not None and row[later] < row[earlier]:
        return [(later_header, f"{row[later]:%Y-%m-%d} 早于{earlier_header} {row[earlier]:%Y-%m-%d}")]
    return []


def _stored_by_number(model, fields: tuple[str, ...]):
    """Stored records by 编号, as row-like dicts; the key is the number alone."""

    def stored(keys: list[tuple], context: ImportContext) -> dict[tuple, dict[str, Any]]:
        numbers = [number for (number,) in keys]
        found: dict[tuple, dict[str, Any]] = {}
        for chunk in range(0, len(numbers), 5000):
            query = model.objects.filter(number__in=numbers[chunk : chunk + 5000])
            for record in query.values("number", "unit__code", *fields):
                record["unit_code"] = record.pop("unit__code")
                found[(record["number"],)] = record
        return found

    return stored


def _stored_patches(keys: list[tuple], context: ImportContext) -> dict[tuple, dict[str, Any]]:
    query = Patch.objects.filter(year=context.year, code__in=[code for (code,) in keys])
    return {(code,): {"unit_code": unit_code} for code, unit_code in query.values_list("code", "unit__code")}


def _stored_by_unit(model, fields: tuple[str, ...], key: tuple[str, ...], dated: str):
    """Stored records of the file's units and dates or periods, keyed like the file."""

    def stored(keys: list[tuple], context: ImportContext) -> dict[tuple, dict[str, Any]]:
        position = key.index(dated)
        query = model.objects.filter(
            unit__code__in={k[0] for k in keys}, **{f"{dated}__in": {k[position] for k in keys}}
        )
        found = {}
        for record in query.values("unit__code", *fields):
            record["unit_code"] = record.pop("unit__code")
            found[tuple(record[f] for f in key)] = record
        return found

    return stored


# ── units ──
def _write_units(rows: list[dict[str, Any]], context: ImportContext) -> Upserted:
    return rows_upsert(Unit, ["code", "name"], ["code"], ((r["unit_code"], r["name"]) for r in rows))


UNITS = ImportKind(
    name="units",
    label="被考评单位",
    columns=(
        Column("单位代码", "unit_code", unit_code, note="六位行政区划代码，如 430902"),
        Column("单位名称", "name", cells.text, note="如 资阳区"),
    ),
    key=("unit_code",),
    check=no_check,
    write=_write_units,
    needs_year=False,
    takes_year=False,
    unit_must_exist=False,
)


# ── cases ──
def _check_case(row: dict[str, Any], context: ImportContext) -> list[tuple[str, str]]:
    problems = (
        _not_before(row, "decided_on", "filed_on", "处罚决定日期", "立案日期")
        + _not_before(row, "effective_on", "decided_on", "生效日期", "处罚决定日期")
        + _not_before(row, "closed_on", "filed_on", "结案日期", "立案日期")
    )
    if row["exposed_on"] is not None and not row["is_exposed"]:
        problems.append(("曝光日期", "填了曝光日期，但“是否公开曝光”为“否”"))
    if row["procedure"] is None and row["decided_on"] is not None:
        problems.append(("处罚程序", "已有处罚决定日期，请填写处罚程序（一般或简易）"))
    if row["is_exposed"] and row["exposed_on"] is None:
        problems.append(("曝光日期", "“是否公开曝光”为“是”时必须填写曝光日期"))
    return problems


def _write_cases(rows: list[dict[str, Any]], context: ImportContext) -> Upserted:
    fields = [c.field for c in CASES.columns if c.field not in ("number", "unit_code")]
    others, unit_ids = itemgetter(*fields), context.unit_ids
    values = ((r["number"], unit_ids[r["unit_code"]], *others(r)) for r in rows)
    return rows_upsert(Case, ["number", "unit", *fields], ["number"], values)


CASES = ImportKind(
    name="cases",
    label="违法案件台帐",
    columns=(
        Column("案件编号", "number", cells.text, note="全市唯一；重新导入同一编号会覆盖原记录"),
        UNIT,
        _choice("违法类型", "violation_type", ViolationType.values),
        _choice("发现方式", "discovery", Discovery.values),
        _yes_no("是否重大案件", "is_major"),
        _date("立案日期", "filed_on", note="立案日期决定案件计入哪一年度"),
        _yes_no("是否公开立案", "is_public_filing"),
        _choice(
            "处罚程序",
            "procedure",
            Procedure.values,
            required=False,
            note="一般或简易；未作处罚可空",
            blank="",
        ),
        _date("处罚决定日期", "decided_on", required=False),
        _date("生效日期", "effective_on", required=False, note="处罚决定书生效日期"),
        _date("网上公布日期", "published_on", required=False, note="处罚决定书在本单位官网公布的日期"),
        _date("结案日期", "closed_on", required=False),
        _yes_no("是否公开曝光", "is_exposed"),
        _date("曝光日期", "exposed_on", required=False),
        _choice(
            "复议诉讼结果",
            "review_outcome",
            ReviewOutcome.values,
            required=False,
            note="未经复议诉讼填“无”或留空",
            blank=ReviewOutcome.NONE,
        ),
    ),
    key=("number",),
    check=_check_case,
    write=_write_cases,
    stored=_stored_by_number(
        Case,
        (
            "violation_type",
            "discovery",
            "is_major",
            "filed_on",
            "is_public_filing",
            "procedure",
            "decided_on",
            "effective_on",
            "published_on",
            "closed_on",
            "is_exposed",
            "exposed_on",
            "review_outcome",
        ),
    ),
    contribution=case_contribution,
    year_column="立案日期",
    needs_year=False,
)


# ── submissions ──
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_HALF = re.compile(r"^(\d{4})(H[12])$")


def _local_timestamp(value: Any) -> datetime.datetime:
    return cells.timestamp(value).replace(tzinfo=timezone.get_current_timezone())


def _period(value: Any) -> str:
    if isinstance(value, datetime.date) and value.day == 1:
        return f"{value:%Y-%m}"  # Excel and WPS turn a typed 2017-05 into the date 2017-05-01
    raw = cells.text(value).upper().replace("/", "-")
    if _MONTH.match(raw) and 1 <= int(raw[5:]) <= 12:
        return raw
    if _HALF.match(raw):
        return raw
    raise cells.CellError(f"“{raw}”不是所属期；月报写作 2017-05，形势分析写作 2017H1 或 2017H2")


def _check_submission(row: dict[str, Any], context: ImportContext) -> list[tuple[str, str]]:
    monthly = row["kind"] != ReportKind.ANALYSIS
    if monthly and not _MONTH.match(row["period"]):
        return [("所属期", f"{row['kind']}的所属期应写作 YYYY-MM，如 2017-05，而不是 {row['period']}")]
    if not monthly and not _HALF.match(row["period"]):
        return [("所属期", f"形势分析的所属期应写作 2017H1 或 2017H2，而不是 {row['period']}")]
    return []


def _write_submissions(rows: list[dict[str, Any]], context: ImportContext) -> Upserted:
    values = ((context.unit_ids[r["unit_code"]], r["kind"], r["period"], r["submitted_at"]) for r in rows)
    key = ["unit", "kind", "period"]
    return rows_upsert(Submission, [*key, "submitted_at"], key, values)


SUBMISSIONS = ImportKind(
    name="submissions",
    label="报送记录",
    columns=(
        UNIT,
        _choice("报表类型", "kind", ReportKind.values),
        Column("所属期", "period", _period, note="月报 2017-05；形势分析 2017H1 / 2017H2"),
        Column(
            "提交时间", "submitted_at", _local_timestamp, note="如 2017-05-18 16:30；当月20日当天提交为按时"
        ),
    ),
    key=("unit_code", "kind", "period"),
    stored=_stored_by_unit(
        Submission, ("kind", "period", "submitted_at"), ("unit_code", "kind", "period"), "period"
    ),
    contribution=submission_contribution,
    year_column="所属期",
    check=_check_submission,
    write=_write_submissions,
    needs_year=False,
)


# ── tips ──
def _check_tip(row: dict[str, Any], context: ImportContext) -> list[tuple[str, str]]:
    problems = _not_before(row, "deadline", "registered_on", "办理期限", "登记日期") + _not_before(
        row, "closed_on", "registered_on", "办结日期", "登记日期"
    )
    return problems


def _write_tips(rows: list[dict[str, Any]], context: ImportContext) -> Upserted:
    fields = ["registered_on", "deadline", "closed_on", "reported_to_brigade"]
    values = ((r["number"], context.unit_ids[r["unit_code"]], *(r[f] for f in fields)) for r in rows)
    return rows_upsert(Tip, ["number", "unit", *fields], ["number"], values)


TIPS = ImportKind(
    name="tips",
    label="举报线索",
    columns=(
        Column("线索编号", "number", cells.text, note="唯一编号"),
        UNIT,
        _date("登记日期", "registered_on", note="登记日期决定线索计入哪一年度"),
        _date("办理期限", "deadline"),
        _date("办结日期", "closed_on", required=False, note="未办结留空"),
        _yes_no("是否上报支队", "reported_to_brigade"),
    ),
    key=("number",),
    check=_check_tip,
    write=_write_tips,
    stored=_stored_by_number(Tip, ("registered_on", "deadline", "closed_on", "reported_to_brigade")),
    contribution=tip_contribution,
    year_column="登记日期",
    needs_year=False,
)


# ── patches ──
def _check_patch(row: dict[str, Any], context: ImportContext) -> list[tuple[str, str]]:
    problems = []
    if row["farmland_area"] > row["monitored_area"]:
        problems.append(("耕地面积", f"耕地面积 {row['farmland_area']} 大于监测面积 {row['monitored_area']}"))
    return problems


def _write_patches(rows: list[dict[str, Any]], context: ImportContext) -> Upserted:
    fields = [c.field for c in PATCHES.columns if c.field not in ("code", "unit_code")]
    others, unit_ids, year = itemgetter(*fields), context.unit_ids, context.year
    values = ((r["code"], year, unit_ids[r["unit_code"]], *others(r)) for r in rows)
    return rows_upsert(Patch, ["code", "year", "unit", *fields], ["code", "year"], values)


PATCHES = ImportKind(
    name="patches",
    label="卫片图斑",
    columns=(
        Column("图斑编号", "code", cells.text, note="同一年度内唯一；图斑计入导入时 --year 指定的年度"),
        UNIT,
        _choice("判定结果", "verdict", Verdict.values),
        Column("监测面积", "monitored_area", cells.non_negative_area, note="亩，≥ 0"),
        Column("耕地面积", "farmland_area", cells.non_negative_area, note="亩，≥ 0，不大于监测面积"),
        _yes_no("是否履职到位", "duty_performed"),
        _yes_no("是否查处到位", "investigated"),
        _yes_no("是否整改到位", "rectified"),
        _yes_no("是否形成卫片卷宗", "has_patch_dossier"),
        _yes_no("是否形成查处案卷", "has_case_dossier"),
    ),
    key=("code",),
    check=_check_patch,
    write=_write_patches,
    stored=_stored_patches,
)


# ── events ──
_NEEDS_NOTE = {EventKind.SUMMONED, EventKind.ACCOUNTABILITY, EventKind.FALSE_DATA}


def _check_event(row: dict[str, Any], context: ImportContext) -> list[tuple[str, str]]:
    refusal = policy_refusal(context.actor, Action.IMPORT, kind="events", event_kind=row["kind"])
    if refusal:
        return [("类型", refusal)]
    if not row["note"] and row["kind"] in _NEEDS_NOTE:
        return [("说明", f"“{row['kind']}”必须写明事由")]
    return []


def _write_events(rows: list[dict[str, Any]], context: ImportContext) -> Upserted:
    key = ["unit", "kind", "date", "note"]
    values = ((context.unit_ids[r["unit_code"]], r["kind"], r["date"], r["note"]) for r in rows)
    return rows_upsert(Event, key, key, values)


EVENTS = ImportKind(
    name="events",
    label="工作事项",
    columns=(
        UNIT,
        _choice("类型", "kind", EventKind.values),
        _date("日期", "date"),
        Column("说明", "note", cells.text, required=False, note="约谈、问责、数据不实必须写明事由", blank=""),
    ),
    key=("unit_code", "kind", "date", "note"),
    stored=_stored_by_unit(Event, ("kind", "date", "note"), ("unit_code", "kind", "date", "note"), "date"),
    contribution=event_contribution,
    year_column="日期",
    check=_check_event,
    write=_write_events,
    needs_year=False,
)


# ── case-file reviews ──
def _review_score(value: Any) -> Any:
    number = cells.score(value)
    if not 0 <= number <= 100:
        raise cells.CellError(f"评查得分 {number} 应在 0–100 之间")
    return number


def _write_casefile_reviews(rows: list[dict[str, Any]], context: ImportContext) -> Upserted:
    values = ((r["number"], context.unit_ids[r["unit_code"]], r["reviewed_on"], r["score"]) for r in rows)
    return rows_upsert(CaseFileReview, ["number", "unit", "reviewed_on", "score"], ["number"], values)


CASEFILE_REVIEWS = ImportKind(
    name="casefile-reviews",
    label="案卷评查",
    columns=(
        Column("案卷编号", "number", cells.text, note="唯一编号"),
        UNIT,
        _date("评查日期", "reviewed_on", note="评查日期决定计入哪一年度"),
        Column("评查得分", "score", _review_score, note="0–100，最多 2 位小数"),
    ),
    key=("number",),
    check=no_check,
    write=_write_casefile_reviews,
    stored=_stored_by_number(CaseFileReview, ("reviewed_on", "score")),
    contribution=casefile_review_contribution,
    year_column="评查日期",
    needs_year=False,
)

LEDGER_KINDS = {k.name: k for k in (UNITS, CASES, SUBMISSIONS, TIPS, PATCHES, EVENTS, CASEFILE_REVIEWS)}
