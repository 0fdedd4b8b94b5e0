"""Assessment years: list, detail with progress, moving the state on, and the results."""

from django.http import HttpRequest
from ninja import Router

from kaoping.assessments.results import results_stored
from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.services import parse_state
from kaoping.scoring.outcome import outcome_to_json

from .access import api_actor, campaign_visible, campaigns_visible_to, results_units
from .schemas import AdvanceIn, CampaignDetailOut, CampaignOut, ResultsOut, Year, errors
from .selectors import campaign_detail, campaign_summary

router = Router(tags=["考评年度"])
ERRORS = errors(400, 403, 404)


@router.get("", response={200: list[CampaignOut], **errors(403)}, summary="考评年度列表")
def campaigns_list(request: HttpRequest) -> list[dict]:
    return [campaign_summary(c) for c in campaigns_visible_to(api_actor(request))]


@router.get("/{int:year}", response={200: CampaignDetailOut, **ERRORS}, summary="考评年度：状态、设置和进度")
def campaign_get(request: HttpRequest, year: Year) -> dict:
    user = api_actor(request)
    return campaign_detail(campaign_visible(user, year), user)


@router.post(
    "/{int:year}/advance",
    response={200: CampaignDetailOut, **ERRORS},
    summary="推进考评状态（考评小组：自评中→考评中→待审定；党组：审定、通报）",
)
def campaign_advance_post(request: HttpRequest, year: Year, payload: AdvanceIn | None = None) -> dict:
    user = api_actor(request)
    target = parse_state(payload.to) if payload and payload.to else None
    moved = campaign_advance(campaign=campaign_visible(user, year), actor=user, to=target)
    return campaign_detail(moved, user)


@router.get(
    "/{int:year}/results",
    response={200: ResultsOut, **ERRORS},
    by_alias=True,
    exclude_unset=True,  # the adjustments keys appear only where the rubric declares any (formats.md)
    summary="考评结果（与 kaoping results --json 相同；填报员仅在通报后看到本单位）",
)
def campaign_results(request: HttpRequest, year: Year) -> dict:
    user = api_actor(request)
    campaign = campaign_visible(user, year)
    return outcome_to_json(results_stored(campaign, unit_codes=results_units(user, campaign)))
