"""The documents of a campaign (ranking workbook, notice), written the same way for the CLI, pages and demo."""

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError
from kaoping.reports.notice import write_notice
from kaoping.reports.ranking import write_ranking_workbook

from .results import results_current


def ranking_workbook_write(*, campaign: Campaign, path: Path) -> Path:
    return write_ranking_workbook(results_current(campaign), path)


def notice_number_default(campaign: Campaign) -> str:
    return campaign.notice_number or f"{settings.NOTICE_PREFIX}〔{campaign.year + 1}〕1号"


def notice_write(*, campaign: Campaign, path: Path, number: str | None = None) -> Path:
    """The 通报; refused while any item is 未评. Dated the day of publication, or today before it."""
    outcome = results_current(campaign)
    if not outcome.complete:
        missing = sum(u.unscored for u in outcome.units)
        raise KaopingError(f"还有 {missing} 个条目未评，不能生成通报；请先完成考评")
    published = campaign.published_at
    return write_notice(
        outcome,
        path,
        authority=campaign.rubric.definition.issuer or settings.ISSUING_AUTHORITY,
        document_number=number or notice_number_default(campaign),
        issue_date=timezone.localtime(published).date() if published else timezone.localdate(),
        city=settings.CITY_NAME,
    )
