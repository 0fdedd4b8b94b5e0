"""What the API reads, already limited to what the caller may see (see access.py)."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from kaoping.assessments.models import ItemReturn, ReviewScore, SelfAssessment, SelfScore
from kaoping.assessments.results import unit_result_stored
from kaoping.assessments.selectors import campaign_progress
from kaoping.assessments.services import MODELS, REVIEW, SELF
from kaoping.campaigns.models import Campaign
from kaoping.errors import NotFound
from kaoping.org.models import Unit
from kaoping.org.policy import unit_scope_of
from kaoping.org.selectors import item_visible_to, items_owned_by, sees_every_unit, units_visible_to
from kaoping.rubrics.schema import Item

from .access import unit_scores_visible


def number(value: Decimal | None) -> float | None:
    # A 2-decimal Decimal becomes the float with the same shortest repr (1.67, 15.0), as in results JSON.
    return None if value is None else float(value.quantize(Decimal("0.01")))


def rubric_item(campaign: Campaign, item_id: str) -> Item:
    item = campaign.rubric.definition.item_map.get(item_id)
    if item is None:
        raise NotFound(f"{campaign.rubric.code} 细则中没有条目 {item_id}；条目编号如 1.1 … 6.4")
    return item


def campaign_summary(campaign: Campaign) -> dict[str, Any]:
    return {
        "year": campaign.year,
        "state": campaign.state,
        "state_label": campaign.get_state_display(),
        "frozen": campaign.is_frozen,
        "rubric": campaign.rubric.code,
    }


def api_progress(campaign: Campaign, user: AbstractBaseUser) -> dict[str, Any]:
    """The shared progress read model over the units the user sees; review counts over the items the
    user reviews (all items for the party), never for a 填报员 before its results are 通报."""
    rubric = campaign.rubric.definition
    mine = {item.id for item in items_owned_by(user, rubric)} or {item.id for item in rubric.items}
    progress = campaign_progress(
        campaign, units_visible_to(user), reviewed_items=mine, every_unit=sees_every_unit(user)
    )
    answer: dict[str, Any] = {
        "units": progress.unit_count,
        "items": len(rubric.items),
        "self_scored": progress.self_scored,
        "self_expected": progress.unit_count * len(rubric.items),
        "self_submitted": progress.submitted,
        "review_items": None,
        "reviewed": None,
        "unscored": None,
    }
    if unit_scope_of(user) is not None:
        return answer  # review progress is part of the results a unit sees only once they are 通报
    answer["review_items"] = len(mine)
    answer["reviewed"] = progress.reviewed
    answer["unscored"] = progress.unscored_of(mine)
    return answer


def campaign_detail(campaign: Campaign, user: AbstractBaseUser) -> dict[str, Any]:
    rubric = campaign.rubric.definition
    return {
        **campaign_summary(campaign),
        "rubric_title": rubric.title,
        "total_points": number(rubric.total),
        "settings": {
            "pass_min": number(campaign.pass_min),
            "excellent_min": number(campaign.excellent_min),
            "excellent_quota": campaign.excellent_quota,
            "self_deadline": campaign.self_deadline,
            "objection_days": campaign.objection_days,
            "public_from": campaign.public_from,
            "objection_until": campaign.objection_until,
        },
        "approved_at": campaign.approved_at,
        "published_at": campaign.published_at,
        "progress": api_progress(campaign, user),
    }


def _score_record(score: SelfScore | ReviewScore | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {
        "score": number(score.score),
        "note": score.note,
        "version": score.version,
        "updated_by": score.updated_by.get_username() if score.updated_by else None,
        "updated_at": score.updated_at,
    }


def score_current(kind: str, campaign: Campaign, unit: Unit, item_id: str) -> dict[str, Any] | None:
    """The stored self or review score of one item, as the API shows it (None: no score)."""
    score = (
        MODELS[kind]
        .objects.select_related("updated_by")
        .filter(campaign=campaign, unit=unit, item_id=item_id)
        .first()
    )
    return _score_record(score)


def unit_items(campaign: Campaign, unit: Unit, user: AbstractBaseUser) -> dict[str, Any]:
    """The unit's items the user may see (a 考评员: its department's), with scores, versions and results."""
    visible = unit_scores_visible(user, campaign, unit)
    by_item = {
        kind: {
            s.item_id: s
            for s in MODELS[kind].objects.select_related("updated_by").filter(campaign=campaign, unit=unit)
        }
        for kind in (SELF, REVIEW)
    }
    returns = {
        r.item_id: r
        for r in ItemReturn.objects.filter(campaign=campaign, unit=unit, resolved_at__isnull=True).order_by(
            "returned_at"
        )
    }
    outcome = unit_result_stored(campaign, unit) if visible else None
    assessment = SelfAssessment.objects.filter(campaign=campaign, unit=unit).first()
    items = []
    for item in campaign.rubric.definition.items:
        if not item_visible_to(user, unit, item):
            continue
        self_score, review = by_item[SELF].get(item.id), by_item[REVIEW].get(item.id)
        result = outcome.items.get(item.id) if outcome else None
        returned = returns.get(item.id)
        items.append(
            {
                "id": item.id,
                "section": item.section,
                "text": item.text,
                "points": number(item.points),
                "method": item.method,
                "departments": list(item.departments),
                "self": _score_record(self_score),
                "self_version": self_score.version if self_score else 0,
                "review": _score_record(review) if visible else None,
                "review_version": (review.version if review else 0) if visible else None,
                "computed": number(result.computed) if result else None,
                "explanation": (result.explanation or None) if result else None,
                "final": number(result.score) if result else None,
                "source": result.source if result else None,
                "returned": {"comment": returned.comment, "returned_at": returned.returned_at}
                if returned
                else None,
            }
        )
    return {
        "year": campaign.year,
        "state": campaign.state,
        "unit": {"code": unit.code, "name": unit.name},
        "results_visible": visible,
        "self_submitted_at": assessment.submitted_at if assessment else None,
        "items": items,
    }
