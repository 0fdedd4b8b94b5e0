"""The documents of a campaign (ranking workbook, notice), written the same way for the CLI, pages and demo.

The reports package lays them out from the scoring core's outcome; this module reads the stored results
and the campaign's settings and hands them over.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from kaoping.assessments.fingerprint import SHORT, outcome_fingerprint
from kaoping.assessments.results import results_stored
from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError
from kaoping.reports.notice import write_notice
from kaoping.reports.ranking import write_ranking_workbook


def _fingerprint(campaign: Campaign, outcome) -> str:
    """The short fingerprint printed on the documents of an approved year; none on a preview."""
    return outcome_fingerprint(outcome)[:SHORT] if campaign.is_frozen else ""


def ranking_workbook_write(*, campaign: Campaign, path: Path) -> Path:
    outcome = results_stored(campaign)
    return write_ranking_workbook(outcome, path, fingerprint=_fingerprint(campaign, outcome))


def _issue_date(campaign: Campaign) -> datetime.date:
    return timezone.localtime(campaign.published_at).date() if campaign.published_at else timezone.localdate()


def notice_number_default(campaign: Campaign) -> str:
    """The campaign's own 文号, else one of the year the notice is dated (文号 and 成文日期 agree)."""
    return campaign.notice_number or f"{settings.NOTICE_PREFIX}〔{_issue_date(campaign).year}〕1号"


def notice_write(*, campaign: Campaign, path: Path, number: str | None = None) -> Path:
    """The 通报; refused while any item is 未评. Dated the day of publication, or today before it."""
    outcome = results_stored(campaign)
    if not outcome.complete:
        missing = sum(u.unscored for u in outcome.units)
        raise KaopingError(f"还有 {missing} 个条目未评，不能生成通报；请先完成考评")
    return write_notice(
        outcome,
        path,
        authority=campaign.rubric.definition.issuer or settings.ISSUING_AUTHORITY,
        document_number=number or notice_number_default(campaign),
        issue_date=_issue_date(campaign),
        city=settings.CITY_NAME,
        fingerprint=_fingerprint(campaign, outcome),
    )
