"""申诉: a unit's objections to its item scores while the year is on view (公示中), and their answers; the
same services and policy as the pages and `kaoping objections`."""

from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router
from ninja.files import UploadedFile

from kaoping.assessments.objections import (
    Upload,
    objection_answer,
    objection_file,
    objection_get,
    objection_rows,
    objections_visible,
)
from kaoping.errors import NotFound
from kaoping.org.selectors import unit_visible

from .access import api_actor, campaign_visible
from .schemas import (
    DECIMAL_TEXT,
    ITEM_ID,
    NO_NUL,
    ItemId,
    ObjectionAnswerIn,
    ObjectionId,
    ObjectionOut,
    ObjectionStatus,
    Reason,
    UnitCode,
    Year,
    errors,
)

router = Router(tags=["申诉"])
ERRORS = errors(400, 403, 404)
WRITE_ERRORS = errors(400, 403, 404, 409, 422)


@router.get(
    "/{int:year}/objections",
    response={200: list[ObjectionOut], **ERRORS},
    summary="申诉及答复（填报员：本单位的；考评员：本科室负责条目的；考评小组、党组：全部）",
)
def objections_list(
    request: HttpRequest,
    year: Year,
    status: ObjectionStatus = "",
    unit: Annotated[str, Query(pattern=NO_NUL, description="单位代码或名称的一部分")] = "",
    item: Annotated[str, Query(pattern=f"^$|{ITEM_ID}", description="条目编号，如 2.6")] = "",
) -> list[dict]:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    return objection_rows(objections_visible(user, campaign, status=status, unit_code=unit, item_id=item))


@router.post(
    "/{int:year}/units/{code}/items/{item_id}/objection",
    response={200: ObjectionOut, **WRITE_ERRORS},
    summary="对本单位一个条目的得分提出申诉（填报员；公示期内；每个条目一次；可附佐证材料）",
)
def objection_post(
    request: HttpRequest,
    year: Year,
    code: UnitCode,
    item_id: ItemId,
    reason: Form[Reason],
    claimed: Form[
        Annotated[str, Field(pattern=DECIMAL_TEXT, description="申诉分数：0 至该条目分值，如 0.5")]
    ],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    item = campaign.rubric.definition.item_map.get(item_id)
    if item is None:
        raise NotFound(f"{year} 年度细则中没有条目 {item_id}")
    objection = objection_file(
        campaign=campaign,
        unit=unit_visible(user, code),
        item=item,
        reason=reason,
        claimed=Decimal(claimed),
        files=[Upload(f.name or "", f.size or 0, f) for f in files or []],
        actor=user,
    )
    return objection_rows([objection])[0]


@router.post(
    "/{int:year}/objections/{int:objection_id}/answer",
    response={200: ObjectionOut, **WRITE_ERRORS},
    summary="答复申诉：维持或改分（负责该条目的成员单位考评员或考评小组；改分计入最终得分和审计日志）",
)
def objection_answer_post(
    request: HttpRequest, year: Year, objection_id: ObjectionId, payload: ObjectionAnswerIn
) -> dict:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    answered = objection_answer(
        objection=objection_get(user, campaign, objection_id),
        decision=payload.decision,
        answer=payload.answer,
        new_score=payload.score,
        actor=user,
    )
    return objection_rows([answered])[0]
