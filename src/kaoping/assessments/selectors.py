"""Who may read which results: one rule for the pages, the API and the downloads."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from kaoping.campaigns.models import Campaign, State
from kaoping.org.access import role_of
from kaoping.org.models import Role, Unit

from .models import SelfAssessment

OVERSEERS = (Role.GROUP, Role.PARTY, Role.ADMIN)


def campaigns_visible_to(user: AbstractBaseUser) -> QuerySet[Campaign]:
    """Drafts are for the group and administrators; every other year is visible to every role."""
    query = Campaign.objects.select_related("rubric").order_by("-year")
    if role_of(user) in (Role.GROUP, Role.ADMIN):
        return query
    return query.exclude(state=State.DRAFT)


def ranking_visible(user: AbstractBaseUser, campaign: Campaign) -> bool:
    """The whole ranking: overseers always (a preview before approval), 考评员 once published (已通报)."""
    role = role_of(user)
    if role in OVERSEERS:
        return True
    return role == Role.ASSESSOR and campaign.state == State.PUBLISHED


def own_result_visible(user: AbstractBaseUser, campaign: Campaign) -> bool:
    """A 填报员 reads its own unit's published results (已通报), never another unit's."""
    return role_of(user) == Role.FILLER and campaign.state == State.PUBLISHED


def unit_result_visible(user: AbstractBaseUser, campaign: Campaign, unit: Unit) -> bool:
    if ranking_visible(user, campaign):
        return True
    return own_result_visible(user, campaign) and user.profile.unit_id == unit.pk


def notice_visible(user: AbstractBaseUser, campaign: Campaign) -> bool:
    """The 通报: whoever sees the ranking, and every 填报员 once 已通报 (it is addressed to every bureau)."""
    return ranking_visible(user, campaign) or own_result_visible(user, campaign)


def units_not_submitted(campaign: Campaign) -> QuerySet[Unit]:
    """Units whose self-assessment of the campaign is not handed in (never submitted, or reopened)."""
    submitted = SelfAssessment.objects.filter(campaign=campaign, submitted_at__isnull=False)
    return Unit.objects.exclude(pk__in=submitted.values("unit_id")).order_by("code")
