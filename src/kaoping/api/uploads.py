"""Ledger upload, so another system (e.g. the 卫片 platform) can push its data: all or nothing."""

from typing import Annotated

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile

from kaoping.errors import KaopingError
from kaoping.importing import file_import, upload_too_large

from .access import api_actor
from .schemas import YEAR_MAX, YEAR_MIN, ImportOut, KindName, errors

router = Router(tags=["台帐导入"])
# Optional, and then absent rather than null (a multipart form has no null).
ImportYear = Annotated[int, Form(None, ge=YEAR_MIN, le=YEAR_MAX, description="年度；带日期的台帐可不填")]


@router.post(
    "",
    response={200: ImportOut, **errors(400, 403, 404, 422)},
    summary="导入台帐、自评表或考评表（.xlsx 或 UTF-8 .csv；有任何错误则全部不导入并列出每一处）",
)
def import_post(
    request: HttpRequest,
    kind: Form[KindName],
    file: File[UploadedFile],
    year: ImportYear = None,  # type: ignore[assignment]
) -> dict:
    user = api_actor(request)
    too_large = upload_too_large(name=file.name or "", size=file.size)
    if too_large:
        raise KaopingError(too_large)
    report = file_import(
        kind=kind,
        path=file.name or "",
        year=year,
        actor=user,
        content=file.read(),
    )
    return {
        "detail": str(report),
        "kind": report.kind.name,
        "label": report.kind.label,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
    }
