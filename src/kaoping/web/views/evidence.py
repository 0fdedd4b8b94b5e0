"""Evidence files, served only to people who may see the unit's item; never from a public media URL."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from kaoping.assessments.evidence import EVIDENCE_TYPES, INLINE_TYPES, evidence_extension, evidence_remove
from kaoping.assessments.models import Evidence
from kaoping.errors import KaopingError
from kaoping.org.policy import Action
from kaoping.org.selectors import item_visible_to

from .common import allowed
from .selfassess import _render_row, self_rows


def _evidence_visible(request: HttpRequest, pk: int) -> Evidence:
    """The evidence if this user may see it; otherwise the same 404 as for a file that does not exist."""
    evidence = Evidence.objects.select_related("campaign__rubric", "unit").filter(pk=pk).first()
    if evidence is None:
        raise Http404("没有该佐证材料")
    item = evidence.campaign.rubric.definition.item_map.get(evidence.item_id)
    if item is None or not item_visible_to(request.user, evidence.unit, item):
        raise Http404("没有该佐证材料")
    return evidence


@allowed(Action.DASHBOARD)
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence_visible(request, pk)
    return file_response(evidence.file, evidence.original_name)


def file_response(stored: FieldFile, original_name: str) -> HttpResponse:
    """An evidence file as the browser shows it: inline where safe, sandboxed, never cached."""
    extension = evidence_extension(original_name)
    _, content_type = EVIDENCE_TYPES.get(extension, ((), "application/octet-stream"))
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404("佐证材料文件已丢失，请联系管理员") from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=extension not in INLINE_TYPES,
        filename=original_name,
    )
    if extension != ".pdf":  # Chromium's PDF viewer refuses to run in a sandboxed document
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@allowed(Action.SELF_SCORE)
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence_visible(request, pk)
    campaign = evidence.campaign
    item = campaign.rubric.definition.item_map[evidence.item_id]
    status, message, error = 200, "", ""
    name = evidence.original_name
    try:
        evidence_remove(evidence=evidence, item=item, actor=request.user)
        message = f"已删除 {name}"
    except KaopingError as problem:
        status, error = problem.http_status, str(problem)
    row = self_rows(request, campaign, evidence.unit, [item])[0]
    row.message, row.error = message, error
    return _render_row(request, row, status)
