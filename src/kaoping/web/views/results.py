"""考评结果: the ranking, a unit's score sheet, self-vs-final differences, year over year, downloads."""

import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from kaoping.assessments.objections import objection_scope, objections_changed, objections_visible
from kaoping.assessments.results import (
    outcome_of_rows,
    ranking_query,
    result_summary,
    results_stored,
    unit_result_stored,
)
from kaoping.assessments.selectors import campaigns_visible_to, notice_visible, ranking_visible
from kaoping.campaigns.models import Campaign
from kaoping.documents import (
    notice_filename,
    notice_write,
    ranking_workbook_write,
    rules_filename,
    rules_write,
)
from kaoping.errors import KaopingError
from kaoping.org.models import Unit
from kaoping.org.policy import Action, campaign_facts, policy_allows, policy_refusal, unit_scope_of
from kaoping.org.selectors import unit_visible
from kaoping.reports.common import SOURCE_LABELS
from kaoping.scoring.numbers import fmt2
from kaoping.scoring.outcome import CampaignOutcome, UnitOutcome

from ..exports import XLSX, attachment, table_response
from ..fragments import rows_key
from .common import allowed, campaign_required

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _ranking_chart(outcome: CampaignOutcome) -> dict:
    return {
        "max": float(outcome.rubric.total),
        "pass_min": float(outcome.pass_min),
        "excellent_min": float(outcome.excellent_min),
        "units": [{"name": u.name, "total": float(u.total), "grade": u.grade} for u in outcome.units],
    }


def _history_visible(user, campaign: Campaign) -> bool:
    own = unit_scope_of(user)
    facts = campaign_facts(campaign)
    return (
        policy_allows(user, Action.UNIT_RESULT_READ, campaign=facts, unit_id=own)
        if own
        else (ranking_visible(user, campaign))
    )


def _comparable(request: HttpRequest, year: Campaign, current: Campaign, current_complete: bool) -> bool:
    """A year is compared once its results are final (已审定 / 已通报) and the user may read them; the
    year on screen also while open, if every item is scored (its totals are then a preview)."""
    if year.pk == current.pk:
        return current_complete
    return year.is_frozen and _history_visible(request.user, year) and year.unit_results.exists()


def _earlier_years(request: HttpRequest, campaign: Campaign, codes: set[str], complete: bool) -> dict:
    """Totals of these units in every comparable year (only with two or more years)."""
    years = [
        c
        for c in campaigns_visible_to(request.user).order_by("year")
        if _comparable(request, c, campaign, complete)
    ]
    if len(years) < 2:
        return {}
    table: dict[str, dict] = {}
    for year_campaign in years:
        for unit in results_stored(year_campaign, unit_codes=sorted(codes)).units:
            entry = table.setdefault(unit.code, {"name": unit.name, "cells": {}})
            entry["cells"][year_campaign.year] = unit
    year_list = [c.year for c in years]
    previews = {c.year for c in years if not c.is_frozen}
    rows = [
        {"code": code, "name": entry["name"], "cells": [entry["cells"].get(y) for y in year_list]}
        for code, entry in sorted(table.items())
    ]
    chart = {
        "years": [f"{y}（未审定）" if y in previews else str(y) for y in year_list],
        "max": float(max(c.rubric.definition.total for c in years)),
        "units": [
            {"name": r["name"], "totals": [float(c.total) if c else None for c in r["cells"]]} for r in rows
        ],
    }
    columns = [{"year": y, "preview": y in previews} for y in year_list]
    return {"years": columns, "rows": rows, "chart": chart}


RANKING_PAGE_SIZE = 100


@allowed(Action.DASHBOARD)
def results(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    facts = campaign_facts(campaign)
    own = unit_scope_of(request.user)
    if not policy_allows(request.user, Action.RANKING_PREVIEW, campaign=facts):
        if own is not None and policy_allows(
            request.user, Action.UNIT_RESULT_READ, campaign=facts, unit_id=own
        ):
            return redirect(reverse("unit_result", args=[Unit.objects.get(pk=own).code]))
        return render(request, "web/results_pending.html")
    unscored = result_summary(campaign).unscored
    search = request.GET.get("q", "").strip()
    # A city has a handful of units; a province or the country: the database pages the ranking.
    page = Paginator(ranking_query(campaign, search), RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    outcome = outcome_of_rows(campaign, page.object_list)
    rubric = outcome.rubric
    rows = [(u, [u.sections.get(s.number) for s in rubric.sections]) for u in outcome.units]
    # A unit sees the ranking while on view (公示), with its own sheet linked and not the workbook.
    own_code = "" if ranking_visible(request.user, campaign) else Unit.objects.get(pk=own).code
    context = {
        "own_code": own_code,
        "outcome": outcome,
        "page": page,
        "search": search,
        "sections": rubric.sections,
        "adjusted": bool(rubric.adjustments),
        "rows": rows,
        "rows_key": rows_key(
            [
                (u.code, u.name, u.rank, u.unscored, u.total, u.grade, tuple(u.vetoes), tuple(scores))
                + ((bool(rubric.adjustments), u.adjustments_net),)
                for u, scores in rows
            ],
            own_code,
        ),
        "chart": _ranking_chart(outcome),
        "history": _earlier_years(request, campaign, {u.code for u in outcome.units}, unscored == 0),
        "can_differences": policy_allows(request.user, Action.DIFFERENCES_READ),
        "can_notice": notice_visible(request.user, campaign),
        "unscored": unscored,
    }
    return render(request, "web/results.html", context)


def _radar(rubric, averages: dict[str, Decimal], unit: UnitOutcome) -> dict:
    def rate(score: Decimal, points: Decimal) -> float:
        return float((score * 100 / points).quantize(Decimal("0.01"))) if points else 0.0

    return {
        "unit": unit.name,
        "sections": [
            {
                "name": f"{s.number}. {s.title}",
                "rate": rate(unit.sections.get(s.number, Decimal(0)), s.points),
                "average": rate(averages.get(s.number, Decimal(0)), s.points),
            }
            for s in rubric.sections
        ],
    }


@allowed(Action.DASHBOARD)
def unit_result(request: HttpRequest, code: str) -> HttpResponse:
    campaign = campaign_required(request)
    unit = unit_visible(request.user, code)
    refusal = policy_refusal(
        request.user, Action.UNIT_RESULT_READ, campaign=campaign_facts(campaign), unit_id=unit.pk
    )
    if refusal is not None:
        raise PermissionDenied(refusal)
    # Every unit's totals for the city averages; the item entries of this unit only.
    summary = result_summary(campaign)
    result = unit_result_stored(campaign, unit)
    if result is None:
        return render(request, "web/results_pending.html", {"unit": unit})
    rubric = campaign.rubric.definition
    outcome = outcome_of_rows(campaign, [])  # the year's heading and settings; this unit is `result`
    radar = _radar(rubric, summary.section_averages(), result)
    sections = [
        (
            section,
            result.sections.get(section.number),
            [(item, result.items.get(item.id)) for item in section.items],
        )
        for section in rubric.sections
    ]
    objections = {o.item_id: o for o in objections_visible(request.user, campaign, unit=unit)}
    context = {
        "unit": unit,
        "result": result,
        "objections": objections,
        "can_object": policy_allows(request.user, Action.OBJECTION_FILE, objection_scope(campaign, unit)),
        "max_mb": settings.EVIDENCE_MAX_BYTES // 1048576,
        "adjustments": [(a, result.adjustments.get(a.id)) for a in rubric.adjustments],
        "outcome": outcome,
        "sections": sections,
        "radar": radar,
        "section_rates": [
            {"section": section, "score": result.sections.get(section.number), "rates": rates}
            for section, rates in zip(rubric.sections, radar["sections"], strict=True)
        ],
        "history": _earlier_years(request, campaign, {unit.code}, summary.unscored == 0),
        "self_total": sum(
            (i.self_score for i in result.items.values() if i.self_score is not None), Decimal("0.00")
        ),
        "unit_count": summary.units,
        # whoever has no ranking page (a 填报员) is offered the notice on its unit's sheet
        "can_notice": notice_visible(request.user, campaign) and not ranking_visible(request.user, campaign),
    }
    return render(request, "web/unit_result.html", context)


@allowed(Action.DIFFERENCES_READ)
def differences(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    outcome = results_stored(campaign)
    items = outcome.rubric.item_map
    changed = objections_changed(campaign)
    rows = []
    for unit in outcome.units:
        for item_id, result in unit.items.items():
            objection = changed.get((unit.code, item_id))
            if result.self_score == result.score and objection is None:
                continue
            gap = (
                result.score - result.self_score
                if result.score is not None and result.self_score is not None
                else None
            )
            rows.append(
                {"unit": unit, "item": items[item_id], "result": result, "gap": gap, "objection": objection}
            )
    if request.GET.get("format") == "xlsx":
        headers = ["单位", "条目", "分值", "自评分", "最终得分", "差值", "来源", "说明", "申诉改分"]

        def number(value: Decimal | None) -> str:
            return "" if value is None else fmt2(value)

        data = [
            [
                r["unit"].name,
                r["item"].id,
                number(r["item"].points),
                number(r["result"].self_score),
                number(r["result"].score),
                number(r["gap"]),
                SOURCE_LABELS.get(r["result"].source, "未评"),
                r["result"].review_note or r["result"].explanation,
                f"{fmt2(r['objection'].score_before)} → {fmt2(r['objection'].score_after)}"
                if r["objection"]
                else "",
            ]
            for r in rows
        ]
        return table_response(f"{campaign.year}年度自评与考评差异", headers, data, numeric={2, 3, 4, 5})
    return render(request, "web/differences.html", {"rows": rows})


@allowed(Action.DASHBOARD)
def ranking_workbook(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    refusal = policy_refusal(request.user, Action.RANKING_READ, campaign=campaign_facts(campaign))
    if refusal is not None:
        raise PermissionDenied(refusal)
    with tempfile.TemporaryDirectory() as folder:
        data = ranking_workbook_write(campaign=campaign, path=Path(folder) / "ranking.xlsx").read_bytes()
    return attachment(HttpResponse(data, content_type=XLSX), f"{campaign.year}年度考评排名表.xlsx")


@allowed(Action.DASHBOARD)
def notice(request: HttpRequest) -> HttpResponse:
    campaign = campaign_required(request)
    refusal = policy_refusal(request.user, Action.NOTICE_READ, campaign=campaign_facts(campaign))
    if refusal is not None:
        raise PermissionDenied(refusal)
    try:
        with tempfile.TemporaryDirectory() as folder:
            data = notice_write(campaign=campaign, path=Path(folder) / "notice.docx").read_bytes()
    except KaopingError as problem:
        messages.error(request, str(problem))
        return redirect(reverse("results"))
    return attachment(HttpResponse(data, content_type=DOCX), notice_filename(campaign))


@allowed(Action.DASHBOARD)
def rules_document(request: HttpRequest) -> HttpResponse:
    """The year's 通知 with its 细则: addressed to every unit, so anyone who sees the year may read it."""
    campaign = campaign_required(request)
    with tempfile.TemporaryDirectory() as folder:
        data = rules_write(campaign=campaign, path=Path(folder) / "rules.docx").read_bytes()
    return attachment(HttpResponse(data, content_type=DOCX), rules_filename(campaign))
