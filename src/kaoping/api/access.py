"""The API's one door: who is calling, and which years and results they may read.

Every answer here is the policy's (org/policy.py), the same one the pages show; what a role may *write*
is checked by the services (scores_set, file_import, campaign_advance), shared with the pages and CLI.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from kaoping.assessments.selectors import campaigns_visible_to
from kaoping.campaigns.models import Campaign
from kaoping.errors import NotFound, Refused
from kaoping.org.models import Unit
from kaoping.org.policy import (
    Action,
    campaign_facts,
    policy_allows,
    policy_check,
    policy_refusal,
    unit_scope_of,
)


def api_actor(request: HttpRequest) -> AbstractBaseUser:
    """The authenticated caller, who must hold a role to do anything beyond asking who they are."""
    user = request.auth
    refusal = policy_refusal(user, Action.DASHBOARD)
    if refusal is not None:
        raise Refused(refusal)
    return user


def campaign_visible(user: AbstractBaseUser, year: int) -> Campaign:
    campaign = campaigns_visible_to(user).filter(year=year).first()
    if campaign is None:
        raise NotFound(f"没有 {year} 年度的考评，或该年度尚未开始")
    return campaign


def unit_scores_visible(user: AbstractBaseUser, campaign: Campaign, unit: Unit) -> bool:
    """Review, computed and final scores of a unit: the city's roles, and the unit once 通报."""
    return policy_allows(user, Action.SCORES_READ, campaign=campaign_facts(campaign), unit_id=unit.pk)


def results_units(user: AbstractBaseUser, campaign: Campaign) -> list[str] | None:
    """The unit codes whose results the user may read (None: every unit), or Refused with the reason."""
    facts = campaign_facts(campaign)
    if policy_allows(user, Action.RANKING_READ, campaign=facts):
        return None
    own = unit_scope_of(user)
    policy_check(user, Action.UNIT_RESULT_READ, campaign=facts, unit_id=own)
    return [Unit.objects.get(pk=own).code]
