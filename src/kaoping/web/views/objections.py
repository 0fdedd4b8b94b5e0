"""申诉: a unit objects to an item's score on its result sheet while the year is on view (公示中); the item's
department or the group answers in the objections table (filters, export), where everyone sees the
objections of their own scope."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaoping.assessments.models import Decision
from kaoping.assessments.objections import (
    STATUS_FILTERS,
    Upload,
    answer_scope,
    objection_answer,
    objection_counts,
    objection_file,
    objection_get,
    objection_rows,
    objections_visible,
)
from kaoping.errors import KaopingError, NotFound
from kaoping.org.policy import Action, policy_allows
from kaoping.org.selectors import unit_visible

from ..exports import table_response
from .common import allowed, campaign_required, parse_score, safe_next
from .evidence import file_response

PAGE_SIZE = 50


@allowed(Action.OBJECTIONS_READ)
def objections(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    rubric = campaign.rubric.definition
    status = request.GET.get("status", "")
    status = status if status in STATUS_FILTERS else ""
    unit_text = request.GET.get("unit", "").strip()
    item_id = request.GET.get("item", "").strip()
    item_id = item_id if item_id in rubric.item_map else ""
    found = objections_visible(request.user, campaign, status=status, unit_code=unit_text, item_id=item_id)
    if request.GET.get("format") == "xlsx":
        headers = ["单位代码", "单位", "条目", "申诉时得分", "申诉分数", "申诉理由", "申诉时间", "答复"]
        headers += ["答复后得分", "答复理由", "答复人", "答复时间", "申诉材料"]
        data = [
            [
                r["unit_code"],
                r["unit_name"],
                r["item_id"],
                r["score_before"] or "",
                r["claimed"],
                r["reason"],
                r["filed_at"],
                r["decision_label"],
                r["score_after"] or "",
                r["answer"],
                r["answered_by"],
                r["answered_at"] or "",
                "、".join(r["files"]),
            ]
            for r in objection_rows(found)
        ]
        return table_response(f"{campaign.year}年度申诉及答复", headers, data, numeric={3, 4, 8})
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "objection": o,
            "item": rubric.item_map.get(o.item_id),
            "can_answer": not o.answered
            and o.item_id in rubric.item_map
            and policy_allows(
                request.user, Action.OBJECTION_ANSWER, answer_scope(campaign, rubric.item_map[o.item_id])
            ),
        }
        for o in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "statuses": STATUS_FILTERS,
        "unit_text": unit_text,
        "item_id": item_id,
        "items": rubric.items,
        "counts": objection_counts(request.user, campaign),
    }
    return render(request, "web/objections.html", context)


@require_POST
@allowed(Action.OBJECTION_FILE)
def objection_new(request: HttpRequest, code: str, item_id: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    item = campaign.rubric.definition.item_map.get(item_id)
    anchor = f"#item-{item_id.replace('.', '_')}"
    back = reverse("unit_result", args=[unit.code]) + anchor
    try:
        if item is None:
            raise NotFound(f"{campaign.year} 年度细则中没有条目 {item_id}")
        claimed = parse_score(request.POST.get("claimed", ""))
        if claimed is None:
            raise KaopingError(f"条目 {item.id}：请填写申诉分数（本单位认为应得的分数）")
        uploads = request.FILES.getlist("files")
        objection_file(
            campaign=campaign,
            unit=unit,
            item=item,
            reason=request.POST.get("reason", ""),
            claimed=claimed,
            files=[Upload(f.name or "", f.size or 0, f) for f in uploads],
            actor=request.user,
        )
        messages.success(request, f"已提交对条目 {item.id} 的申诉，答复后会通知您。")
    except KaopingError as problem:
        messages.error(request, f"未能提交申诉：{problem}")
    return redirect(back)


@require_POST
@allowed(Action.OBJECTION_ANSWER)
def objection_reply(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_required(request)
    back = safe_next(request, reverse("objections"))
    try:
        objection = objection_get(request.user, campaign, pk)
        decision = request.POST.get("decision", "")
        new_score = parse_score(request.POST.get("score", "")) if decision == Decision.CHANGED else None
        answered = objection_answer(
            objection=objection,
            decision=decision,
            answer=request.POST.get("answer", ""),
            new_score=new_score,
            actor=request.user,
        )
        messages.success(
            request, f"已答复{answered.unit.name}对条目 {answered.item_id} 的申诉：{answered.verdict}。"
        )
    except KaopingError as problem:
        messages.error(request, f"未能保存答复：{problem}")
    return redirect(back)


@allowed(Action.OBJECTIONS_READ)
def objection_attachment(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    campaign = campaign_required(request)
    try:
        objection = objection_get(request.user, campaign, pk)
    except NotFound:
        raise Http404("没有该申诉材料") from None
    stored = next((f for f in objection.files.all() if f.pk == file_pk), None)
    if stored is None:
        raise Http404("没有该申诉材料")
    return file_response(stored.file, stored.original_name)


def max_upload_mb() -> int:
    return settings.EVIDENCE_MAX_BYTES // 1048576
