"""What goes in and out of the API. Scores leave as JSON numbers (≤ 2 decimals), as in `results --json`.

What comes in is checked exactly as the published schema describes it (a request the schema allows is never
refused as malformed, 400): a JSON number is a number, not a string of digits (a score may also be decimal
text, and the schema says so); text holds no NUL character, which PostgreSQL cannot store; codes and ids have
the patterns of the imports and the rubric, years and ids the ranges the database holds.
"""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Path, Schema
from pydantic import BeforeValidator, WithJsonSchema

from kaoping.assessments.adjustments import BASIS_MAX
from kaoping.campaigns.models import State
from kaoping.importing import KINDS
from kaoping.rubrics.schema import ADJUSTMENT_ID

YEAR_MIN, YEAR_MAX = 2000, 2100  # as campaign_create accepts them
ID_MAX = 2**63 - 1  # a database id (BigAutoField)
UNIT_CODE = r"^[0-9]{6}$"  # as the imports read them (ledgers/imports.py)
ITEM_ID = r"^[0-9]+\.[0-9]+$"  # as the rubric numbers them: 1.1 … 6.4
NO_NUL = r"^[^\x00]*$"
# Every character some reading of \s takes for a space (Python's str.strip, ECMAScript, Rust's regex), spelled
# out so the server's check and every client's reading of the schema agree on what "only spaces" is.
SPACES = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SOME_TEXT = rf"^[^\x00]*[^\x00{SPACES}][^\x00]*$"  # not empty nor only spaces, and no NUL

Year = Annotated[int, Path(ge=YEAR_MIN, le=YEAR_MAX, description="年度，如 2017")]
UnitCode = Annotated[str, Path(pattern=UNIT_CODE, description="单位代码（六位行政区划代码），如 430902")]
ItemId = Annotated[str, Path(pattern=ITEM_ID, description="细则条目编号，如 1.2")]
EntryId = Annotated[int, Path(ge=1, le=ID_MAX, description="加分、扣分记录的编号")]
KindName = Literal[tuple(KINDS)]  # type: ignore[valid-type]
StateName = Literal[tuple(name for state in State for name in (state.value, state.label))]  # type: ignore[valid-type]
ADJUSTMENT_PATTERN = f"^{ADJUSTMENT_ID.pattern}$"
AdjustmentId = Annotated[str, Field(pattern=ADJUSTMENT_PATTERN, description="加分项或扣分项编号，如 J1")]
Basis = Annotated[str, Field(pattern=SOME_TEXT, max_length=BASIS_MAX, description="依据（必填）")]


def _json_number(value: Any) -> Any:
    """A JSON number, as the schema says: "1" (a string) and true are refused, 2.0 is the integer 2."""
    if isinstance(value, (str, bool)):
        raise ValueError("应为数字（JSON 数值，不加引号）")
    return value


DECIMAL_TEXT = r"^[0-9]+(\.[0-9]+)?$"  # a score may also come as text ("0.5"), so no float rounds it


def _score(value: Any) -> Any:
    if isinstance(value, bool) or (isinstance(value, str) and not re.fullmatch(DECIMAL_TEXT[1:-1], value)):
        raise ValueError('应为不小于 0 的数字，如 0.5 或 "0.5"')
    return value


Score = Annotated[
    Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] | None,
    BeforeValidator(_score),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": DECIMAL_TEXT},
                {"type": "null"},
            ]
        }
    ),
]
Version = Annotated[int, BeforeValidator(_json_number)]


class ErrorOut(Schema):
    """400: not as the schema says; 401: no or a bad token; 403: refused by the rules of the role or the
    year's state; 404: no such year, unit, item, record or path; 409: changed by someone else; 422: as the
    schema says, but refused by a rule of the year (a score above the item's points, row errors of a file)."""

    detail: str = Field(description="中文说明：出了什么问题、如何处理")
    errors: list[str] | None = Field(None, description="逐行错误，如 `第 3 行 [单位代码]: …`")


class NamedOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str | None = Field(description="filler / assessor / group / party / admin")
    role_label: str | None
    unit: NamedOut | None = Field(description="填报员所属单位")
    department: NamedOut | None = Field(description="考评员所属成员单位")


class CampaignOut(Schema):
    year: int
    state: str = Field(description="draft / self / review / public / pending / approved / published")
    state_label: str = Field(description="草稿 / 自评中 / 考评中 / 公示中 / 待审定 / 已审定 / 已通报")
    frozen: bool = Field(description="已审定或已通报：一切写入都会被拒绝")
    rubric: str


class SettingsOut(Schema):
    pass_min: float
    excellent_min: float
    excellent_quota: int
    self_deadline: datetime.date
    objection_days: int = Field(description="公示的申诉期（工作日）")
    public_from: datetime.date | None = Field(description="公示开始日期；尚未公示时为 null")
    objection_until: datetime.date | None = Field(description="申诉截止日期（含当日）；尚未公示时为 null")


class ProgressOut(Schema):
    units: int = Field(description="可见的被考评单位数")
    items: int = Field(description="细则条目数")
    self_scored: int = Field(description="已填自评分的条目数（可见单位合计）")
    self_expected: int
    self_submitted: int = Field(description="已提交自评的单位数")
    review_items: int | None = Field(description="本人负责考评的条目数；填报员为 null")
    reviewed: int | None = Field(description="本人负责的条目中已有考评分的个数（可见单位合计）")
    unscored: int | None = Field(description="本人负责的条目中尚未评定最终得分（未评）的个数")


class CampaignDetailOut(CampaignOut):
    rubric_title: str
    total_points: float
    settings: SettingsOut
    approved_at: datetime.datetime | None
    published_at: datetime.datetime | None
    progress: ProgressOut


class AdvanceIn(Schema):
    to: StateName | None = Field(None, description="目标状态，如 review 或 考评中；不填则推进到下一个状态")


class ScoreOut(Schema):
    score: float
    note: str
    version: int = Field(description="乐观锁版本号：保存时原样带回")
    updated_by: str | None
    updated_at: datetime.datetime


class ReturnOut(Schema):
    comment: str
    returned_at: datetime.datetime


class ItemOut(Schema):
    id: str
    section: str
    text: str
    points: float
    method: str = Field(description="manual（人工评分）或 rule（按台帐自动计分）")
    departments: list[str] = Field(description="负责考评该条目的成员单位代码")
    self_score: ScoreOut | None = Field(alias="self")
    review: ScoreOut | None = Field(description="考评分；填报员在通报前看不到（null）")
    self_version: int = Field(description="自评分的当前版本号，尚无自评分时为 0")
    review_version: int | None = Field(description="考评分的当前版本号，尚无时为 0；填报员在通报前为 null")
    computed: float | None = Field(description="自动计分结果")
    explanation: str | None = Field(description="自动计分说明")
    final: float | None = Field(description="最终得分；null 表示未评（或填报员在通报前不可见）")
    source: str | None = Field(description="rule / review / override")
    returned: ReturnOut | None = Field(description="考评员退回本条目的意见（未处理时）")


class UnitItemsOut(Schema):
    year: int
    state: str
    unit: NamedOut
    results_visible: bool = Field(description="是否可看到考评分、自动计分和最终得分")
    self_submitted_at: datetime.datetime | None
    items: list[ItemOut]


class ScoreIn(Schema):
    score: Score = Field(
        description="0 至该条目分值，最多 2 位小数；null 表示清除。超出该条目分值或多于 2 位小数时返回 422"
    )
    note: str = Field(
        "", pattern=NO_NUL, description="说明；考评分低于满分或替代自动计分时必须写明原因（否则 422）"
    )
    version: Version = Field(ge=0, description="读取时的版本号（尚无分数时为 0）；不一致时返回 409")


class ScoreWriteOut(Schema):
    kind: str = Field(description="self 或 review")
    unit: str
    item: str
    changed: bool
    current: ScoreOut | None


class ConflictOut(Schema):
    detail: str
    current: ScoreOut | None = Field(description="别人刚保存的最新值")


class ResultItemOut(Schema):
    score: float | None
    self_score: float | None = Field(alias="self")
    source: str | None
    explanation: str


class ResultEntryOut(Schema):
    date: str
    basis: str = Field(description="依据")


class ResultAdjustmentOut(Schema):
    kind: str = Field(description="bonus（加分）或 deduction（扣分）")
    score: float = Field(description="计入总分的分值（已按上限计）：加分为正，扣分为负")
    capped: bool = Field(description="各条记录合计超过上限，按上限计")
    entries: list[ResultEntryOut]


class ResultUnitOut(Schema):
    code: str
    name: str
    total: float = Field(description="总分：条目得分合计加上加减分")
    rank: int | None
    grade: str | None
    vetoes: list[str]
    sections: dict[str, float]
    items: dict[str, ResultItemOut]
    items_total: float | None = Field(
        None, description="条目得分合计（加减分之前）；仅当细则设有加分项或扣分项时出现"
    )
    adjustments: dict[str, ResultAdjustmentOut] | None = Field(
        None, description="加分项、扣分项编号 → 计分和各条记录；仅当细则设有加分项或扣分项时出现"
    )


class ResultsOut(Schema):
    """The document `kaoping results --year Y --json` prints, limited to the units the caller may see."""

    year: int
    rubric: str
    complete: bool
    units: list[ResultUnitOut]


class ImportOut(Schema):
    detail: str
    kind: str
    label: str
    rows: int
    created: int = Field(description="新增的条数（键值此前不存在）")
    updated: int = Field(description="更新的条数（键值已存在，被本文件替换）")


class AdjustmentEntryOut(Schema):
    id: int = Field(description="记录编号")
    unit: str
    unit_name: str
    item: str = Field(description="细则中加分项或扣分项的编号，如 J1")
    item_name: str
    kind: str = Field(description="bonus（加分）或 deduction（扣分）；细则中已无此项时为空")
    date: datetime.date
    points: float = Field(description="本条的分值（加分为正，扣分为负）；同一项合计不超过细则的上限")
    basis: str = Field(description="依据")
    evidence: str = Field(description="佐证材料的文件名")
    recorded_at: datetime.datetime


class AdjustmentRemoveIn(Schema):
    reason: str = Field(pattern=SOME_TEXT, description="删除原因（必填，计入审计日志）")


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation can give, each `{"detail": …}`; every operation can answer 401."""
    return {code: ErrorOut for code in sorted({401, *codes})}


ObjectionId = Annotated[int, Path(ge=1, le=ID_MAX, description="申诉编号")]
ObjectionStatus = Literal["", "open", "upheld", "changed"]
Reason = Annotated[str, Field(pattern=SOME_TEXT, description="理由（必填）")]


class ObjectionOut(Schema):
    id: int = Field(description="申诉编号")
    unit_code: str
    unit_name: str
    item_id: str
    reason: str = Field(description="申诉理由")
    claimed: str = Field(description="单位申诉的分数（2 位小数）")
    score_before: str | None = Field(description="申诉时该条目的最终得分")
    decision: str | None = Field(description="维持 / 改分；未答复时为 null")
    answer: str = Field(description="答复理由")
    score_after: str | None = Field(description="答复后的最终得分（维持时同申诉时得分）")
    filed_at: str | None = Field(description="申诉时间（本地时间，YYYY-MM-DD HH:MM）")
    filed_by: str
    answered_at: str | None
    answered_by: str
    files: list[str] = Field(description="申诉材料的文件名")


class ObjectionAnswerIn(Schema):
    decision: Literal["维持", "改分"] = Field(description="维持：原评分不变；改分：以 score 为最终得分")
    answer: Reason = Field(description="答复理由（必填，单位可见，计入审计日志）")
    score: Score = Field(None, description="改分时的新得分：0 至该条目分值，最多 2 位小数；维持时不填")
