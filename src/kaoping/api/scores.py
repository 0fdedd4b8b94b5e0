"""A unit's item scores for a year, and writing one self score or review score with its version."""

from django.http import HttpRequest
from ninja import Router, Status

from kaoping.assessments.services import REVIEW, SELF, ScoreEntry, scores_set
from kaoping.errors import Conflict
from kaoping.org.selectors import unit_visible

from .access import api_actor, campaign_visible
from .schemas import ConflictOut, ItemId, ScoreIn, ScoreWriteOut, UnitCode, UnitItemsOut, Year, errors
from .selectors import rubric_item, score_current, unit_items

router = Router(tags=["条目得分"])
ERRORS = errors(400, 403, 404)
WRITE_ERRORS = errors(400, 403, 404, 422)
ITEM = "/{int:year}/units/{code}/items/{item_id}"


@router.get(
    "/{int:year}/units/{code}/items",
    response={200: UnitItemsOut, **ERRORS},
    by_alias=True,
    summary="一个单位各条目的自评分、考评分、自动计分和最终得分",
)
def unit_items_get(request: HttpRequest, year: Year, code: UnitCode) -> dict:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    return unit_items(campaign, unit_visible(user, code), user)


def _score_put(
    request: HttpRequest, kind: str, year: int, code: str, item_id: str, payload: ScoreIn
) -> Status | dict:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    unit = unit_visible(user, code)
    item = rubric_item(campaign, item_id)
    entry = ScoreEntry(unit=unit, item=item, score=payload.score, note=payload.note.strip())
    try:
        changed = scores_set(
            kind=kind,
            campaign=campaign,
            entries=[entry],
            actor=user,
            expected_versions={(unit.code, item.id): payload.version},
        )
    except Conflict as exc:
        return Status(409, {"detail": str(exc), "current": score_current(kind, campaign, unit, item.id)})
    current = score_current(kind, campaign, unit, item.id)
    return {"kind": kind, "unit": unit.code, "item": item.id, "changed": bool(changed), "current": current}


@router.put(
    f"{ITEM}/self",
    response={200: ScoreWriteOut, **WRITE_ERRORS, 409: ConflictOut},
    summary="填写自评分（本单位填报员；自评中、截止前或条目被退回时）",
)
def self_score_put(
    request: HttpRequest, year: Year, code: UnitCode, item_id: ItemId, payload: ScoreIn
) -> Status | dict:
    return _score_put(request, SELF, year, code, item_id, payload)


@router.put(
    f"{ITEM}/review",
    response={200: ScoreWriteOut, **WRITE_ERRORS, 409: ConflictOut},
    summary="录入考评分（负责该条目的成员单位考评员或考评小组；考评中）",
)
def review_score_put(
    request: HttpRequest, year: Year, code: UnitCode, item_id: ItemId, payload: ScoreIn
) -> Status | dict:
    return _score_put(request, REVIEW, year, code, item_id, payload)
