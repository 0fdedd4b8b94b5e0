"""The documents of a campaign (ranking workbook, notice, the opening 通知 with its 细则), written the same way for the CLI, pages and demo.

The reports package lays them out from the scoring core's outcome; this module reads the stored results
and the campaign's settings and hands them over.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from kaoping.assessments.fingerprint import SHORT, results_fingerprint
from kaoping.assessments.objections import objections_changed
from kaoping.assessments.results import results_ranking, results_stored
from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError
from kaoping.reports.common import chinese_date
from kaoping.reports.notice import write_notice
from kaoping.reports.ranking import write_ranking_workbook
from kaoping.reports.rules import RulesSettings, write_rules


def _fingerprint(campaign: Campaign) -> str:
    """The short fingerprint printed on the documents of an approved year (stored on approval); none on
    a preview."""
    if not campaign.is_frozen:
        return ""
    return (campaign.results_fingerprint or results_fingerprint(campaign))[:SHORT]


def ranking_workbook_write(*, campaign: Campaign, path: Path) -> Path:
    outcome = results_stored(campaign)
    changed = {key: (o.score_before, o.score_after) for key, o in objections_changed(campaign).items()}
    return write_ranking_workbook(outcome, path, fingerprint=_fingerprint(campaign), changed=changed)


def notice_date(campaign: Campaign) -> datetime.date:
    """The 通报's 成文日期: the campaign's setting, else the day the 党组 approved the results, else today
    (a draft's)."""
    if campaign.notice_date:
        return campaign.notice_date
    return timezone.localtime(campaign.approved_at).date() if campaign.approved_at else timezone.localdate()


def basis_number(campaign: Campaign) -> str:
    """The 文号 of the year's 通知 the 通报 cites: the campaign's setting, else the rubric's."""
    return campaign.basis_number or campaign.rubric.definition.document_number or ""


def notice_number_default(campaign: Campaign) -> str:
    """The campaign's own 文号, else one of the year the notice is dated (文号 and 成文日期 agree)."""
    return campaign.notice_number or f"{settings.NOTICE_PREFIX}〔{notice_date(campaign).year}〕1号"


def notice_write(*, campaign: Campaign, path: Path, number: str | None = None) -> Path:
    """The 通报; refused while any item is 未评. Before 已审定 every page of it says it is a draft."""
    outcome = results_ranking(campaign)  # totals and sections: the notice prints no item
    if not outcome.complete:
        missing = sum(u.unscored for u in outcome.units)
        raise KaopingError(f"还有 {missing} 个条目未评，不能生成通报；请先完成考评")
    return write_notice(
        outcome,
        path,
        authority=campaign.rubric.definition.issuer or settings.ISSUING_AUTHORITY,
        document_number=number or notice_number_default(campaign),
        issue_date=notice_date(campaign),
        city=settings.CITY_NAME,
        fingerprint=_fingerprint(campaign),
        basis_number=basis_number(campaign),
    )


def notice_settings(campaign: Campaign) -> list[tuple[str, str]]:
    """The 通报's 文号, the 依据文号 it cites and its 成文日期 as they will print, each saying where it
    comes from when it is not set (for the campaign page)."""
    dated = chinese_date(notice_date(campaign))
    if not campaign.notice_date:
        dated += "（审定日期）" if campaign.approved_at else "（未审定：取生成当天）"
    basis = basis_number(campaign) or "无"
    if not campaign.basis_number:
        basis += "（考评细则所载）"
    number = notice_number_default(campaign) + ("" if campaign.notice_number else "（未设置：默认）")
    return [("通报文号", number), ("依据文号", basis), ("成文日期", dated)]


def notice_filename(campaign: Campaign) -> str:
    """The download's name: a draft before 已审定 says so."""
    return f"{campaign.year}年度考评情况通报{'' if campaign.is_frozen else '（草稿）'}.docx"


def rules_write(
    *, campaign: Campaign, path: Path, number: str | None = None, issued: datetime.date | None = None
) -> Path:
    """The year's 通知 with its 细则 attachment, as the seed is: 文号 the 依据文号 (or `number`), dated
    `issued` (today by default)."""
    rubric = campaign.rubric.definition
    return write_rules(
        rubric,
        RulesSettings(
            year=campaign.year,
            pass_min=campaign.pass_min,
            excellent_min=campaign.excellent_min,
            excellent_quota=campaign.excellent_quota,
            self_deadline=campaign.self_deadline,
        ),
        path,
        authority=rubric.issuer or settings.ISSUING_AUTHORITY,
        document_number=number or basis_number(campaign) or f"{settings.NOTICE_PREFIX}〔{campaign.year}〕1号",
        issue_date=issued or timezone.localdate(),
    )


def rules_filename(campaign: Campaign) -> str:
    return f"{campaign.year}年度考评通知及细则.docx"
