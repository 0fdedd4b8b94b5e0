"""加分和扣分记录: the year's entries of the rubric's 加分项 / 扣分项, recording one (multipart, with its
evidence file) and deleting one with a reason; the same services and policy as the page and the CLI."""

import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, File, Form, Router
from ninja.files import UploadedFile

from kaoping.assessments.adjustments import (
    EvidenceUpload,
    adjustment_entries_visible,
    adjustment_entry_visible,
    adjustment_record,
    adjustment_remove,
    adjustment_rows,
)
from kaoping.errors import NotFound
from kaoping.org.selectors import unit_visible

from .access import api_actor, campaign_visible
from .schemas import (
    UNIT_CODE,
    AdjustmentEntryOut,
    AdjustmentId,
    AdjustmentRemoveIn,
    Basis,
    EntryId,
    Year,
    errors,
)

router = Router(tags=["加分和扣分"])
ERRORS = errors(400, 403, 404)
WRITE_ERRORS = errors(400, 403, 404, 422)


@router.get(
    "/{int:year}/adjustments",
    response={200: list[AdjustmentEntryOut], **ERRORS},
    summary="加分和扣分记录（市局各角色：全部；填报员：通报后本单位的）",
)
def adjustments_list(request: HttpRequest, year: Year) -> list[dict]:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    return [row.as_json() for row in adjustment_rows(campaign, adjustment_entries_visible(user, campaign))]


@router.post(
    "/{int:year}/adjustments",
    response={200: AdjustmentEntryOut, **WRITE_ERRORS},
    summary="记录一条加分或扣分（考评小组；写明依据，附佐证材料；单位的总分、名次随之更新）",
)
def adjustment_post(
    request: HttpRequest,
    year: Year,
    unit: Form[Annotated[str, Field(pattern=UNIT_CODE, description="单位代码，如 430902")]],
    adjustment: Form[AdjustmentId],
    date: Form[datetime.date],
    basis: Form[Basis],
    file: File[UploadedFile],
) -> dict:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    entry = adjustment_record(
        campaign=campaign,
        unit=unit_visible(user, unit),
        adjustment_id=adjustment,
        date=date,
        basis=basis,
        evidence=EvidenceUpload(file.name or "", file.size or 0, file),
        actor=user,
    )
    return adjustment_rows(campaign, [entry])[0].as_json()


@router.delete(
    "/{int:year}/adjustments/{int:entry_id}",
    response={200: AdjustmentEntryOut, **ERRORS},
    summary="删除一条误录的加分或扣分记录（考评小组；写明原因，计入审计日志）",
)
def adjustment_delete(
    request: HttpRequest, year: Year, entry_id: EntryId, payload: AdjustmentRemoveIn
) -> dict:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    entry = adjustment_entry_visible(user, entry_id)
    if entry.campaign_id != campaign.pk:
        raise NotFound(f"{year} 年度没有编号为 {entry_id} 的加分、扣分记录")
    removed = adjustment_rows(campaign, [entry])[0].as_json()
    adjustment_remove(entry=entry, reason=payload.reason, actor=user)
    return removed
