"""Reads of a campaign's workflow, limited to what the user may see (the policy decides)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from kaoping.campaigns.models import Campaign, State
from kaoping.org.models import Unit
from kaoping.org.policy import Action, campaign_facts, policy_allows

from .models import SelfAssessment


def campaigns_visible_to(user: AbstractBaseUser) -> QuerySet[Campaign]:
    """Drafts are for the group and administrators; every other year is visible to every role."""
    query = Campaign.objects.select_related("rubric").order_by("-year")
    if policy_allows(user, Action.DRAFTS_READ):
        return query
    return query.exclude(state=State.DRAFT)


def ranking_visible(user: AbstractBaseUser, campaign: Campaign) -> bool:
    return policy_allows(user, Action.RANKING_READ, campaign=campaign_facts(campaign))


def unit_result_visible(user: AbstractBaseUser, campaign: Campaign, unit: Unit) -> bool:
    return policy_allows(user, Action.UNIT_RESULT_READ, campaign=campaign_facts(campaign), unit_id=unit.pk)


def notice_visible(user: AbstractBaseUser, campaign: Campaign) -> bool:
    return policy_allows(user, Action.NOTICE_READ, campaign=campaign_facts(campaign))


def units_not_submitted(campaign: Campaign) -> QuerySet[Unit]:
    """Units whose self-assessment of the campaign is not handed in (never submitted, or reopened)."""
    submitted = SelfAssessment.objects.filter(campaign=campaign, submitted_at__isnull=False)
    return Unit.objects.exclude(pk__in=submitted.values("unit_id")).order_by("code")
