"""What the pages show to whom: the chosen campaign, who may see results, and whether a row is editable."""

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from kaoping.assessments.outcome import UnitOutcome
from kaoping.assessments.selectors import campaigns_visible_to
from kaoping.assessments.services import ScoreEntry, review_edit_check, self_edit_check
from kaoping.campaigns.models import Campaign
from kaoping.errors import Refused
from kaoping.org.models import Role, Unit
from kaoping.rubrics.schema import Item

SESSION_YEAR = "kaoping_year"
YEAR_HEADER = "X-Kaoping-Year"
OVERSEERS = (Role.GROUP, Role.PARTY, Role.ADMIN)


def campaign_chosen(request: HttpRequest) -> Campaign | None:
    """The year picked in the top bar (kept in the session), else the latest visible one."""
    if hasattr(request, "_kaoping_campaign"):
        return request._kaoping_campaign
    visible = campaigns_visible_to(request.user)
    # A write names the year of the page it came from, so a year switched in another tab cannot redirect it.
    posted = (
        request.headers.get(YEAR_HEADER) or request.POST.get("year") if request.method == "POST" else None
    )
    if posted:
        campaign = visible.filter(year=int(posted)).first() if str(posted).isdigit() else None
    else:
        year = request.session.get(SESSION_YEAR)
        campaign = (visible.filter(year=year).first() if year else None) or visible.first()
    request._kaoping_campaign = campaign
    return campaign


def by_standing(units: list[UnitOutcome]) -> list[UnitOutcome]:
    """By rank; while ranks do not exist yet (未评 items remain), by total as a preview."""
    return sorted(units, key=lambda u: (u.rank is None, u.rank or 0, -u.total, u.code))


def self_refusal(user: AbstractBaseUser, campaign: Campaign, unit: Unit, item: Item) -> str | None:
    """Why this user cannot change this unit's self score of this item now, or None (the service's rule)."""
    try:
        self_edit_check(campaign, ScoreEntry(unit, item, None, ""), user)
    except Refused as refused:
        return str(refused)
    return None


def review_refusal(user: AbstractBaseUser, campaign: Campaign, unit: Unit, item: Item) -> str | None:
    """Why this user cannot enter a review score for this unit's item now, or None."""
    try:
        review_edit_check(campaign, ScoreEntry(unit, item, None, ""), user)
    except Refused as refused:
        return str(refused)
    return None
