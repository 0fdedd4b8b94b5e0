"""What the pages show to whom: the chosen campaign, who may see results, and whether a row is editable."""

from django.http import HttpRequest

from kaoping.assessments.selectors import campaigns_visible_to
from kaoping.campaigns.models import Campaign
from kaoping.scoring.outcome import UnitOutcome

SESSION_YEAR = "kaoping_year"
YEAR_HEADER = "X-Kaoping-Year"


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
