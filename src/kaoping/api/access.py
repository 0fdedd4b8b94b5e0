"""The API's one door: who is calling, and which years and results they may read.

Units and items are scoped by `kaoping.org.selectors`, years and the ranking by the pages' own
selectors, so the API and the pages answer the same question the same way. What a role may *write*
is decided by the services (scores_set, file_import, campaign_advance), shared with pages and CLI.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from kaoping.assessments.selectors import campaigns_visible_to, own_result_visible, ranking_visible
from kaoping.campaigns.models import Campaign
from kaoping.errors import NotFound, Refused
from kaoping.org.access import role_of
from kaoping.org.models import Role


def api_actor(request: HttpRequest) -> AbstractBaseUser:
    """The authenticated caller, who must hold a role to do anything beyond asking who they are."""
    user = request.auth
    if role_of(user) is None:
        raise Refused("您的账号尚未分配角色，请联系管理员")
    return user


def is_filler(user: AbstractBaseUser) -> bool:
    return role_of(user) == Role.FILLER


def campaign_visible(user: AbstractBaseUser, year: int) -> Campaign:
    campaign = campaigns_visible_to(user).filter(year=year).first()
    if campaign is None:
        raise NotFound(f"没有 {year} 年度的考评，或该年度尚未开始")
    return campaign


def unit_scores_visible(user: AbstractBaseUser, campaign: Campaign) -> bool:
    """Review, computed and final scores of a unit: its 填报员 sees them once the year is 通报."""
    return not is_filler(user) or own_result_visible(user, campaign)


def results_units(user: AbstractBaseUser, campaign: Campaign) -> list[str] | None:
    """The unit codes whose results the user may read (None: every unit), or Refused with the reason."""
    if is_filler(user):
        if not own_result_visible(user, campaign):
            raise Refused(f"{campaign.year} 年度考评结果尚未通报；通报后可查看本单位的结果")
        return [user.profile.unit.code]
    if not ranking_visible(user, campaign):
        raise Refused(f"{campaign.year} 年度考评结果尚未通报；通报后可查看")
    return None
