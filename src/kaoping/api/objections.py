"""申诉: a unit's objections to its item scores while the year is on view (公示中), and their answers; the
same services and policy as the pages and `kaoping objections`."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import File, Form, Router
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
from .schemas import ErrorOut, ObjectionAnswerIn, ObjectionOut

router = Router(tags=["申诉"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.get(
    "/{int:year}/objections",
    response={200: list[ObjectionOut], **ERRORS},
    summary="申诉及答复（填报员：本单位的；考评员：本科室负责条目的；考评小组、党组：全部）",
)
def objections_list(
    request: HttpRequest, year: int, status: str = "", unit: str = "", item: str = ""
) -> list[dict]:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    return objection_rows(objections_visible(user, campaign, status=status, unit_code=unit, item_id=item))


@router.post(
    "/{int:year}/units/{code}/items/{item_id}/objection",
    response={200: ObjectionOut, **ERRORS},
    summary="对本单位一个条目的得分提出申诉（填报员；公示期内；每个条目一次；可附佐证材料）",
)
def objection_post(
    request: HttpRequest,
    year: int,
    code: str,
    item_id: str,
    reason: Form[str],
    claimed: Form[Decimal],
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
        claimed=claimed,
        files=[Upload(f.name or "", f.size or 0, f) for f in files or []],
        actor=user,
    )
    return objection_rows([objection])[0]


@router.post(
    "/{int:year}/objections/{int:objection_id}/answer",
    response={200: ObjectionOut, **ERRORS},
    summary="答复申诉：维持或改分（负责该条目的成员单位考评员或考评小组；改分计入最终得分和审计日志）",
)
def objection_answer_post(
    request: HttpRequest, year: int, objection_id: int, payload: ObjectionAnswerIn
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
