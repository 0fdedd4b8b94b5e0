"""The printed documents from the pages, in Chromium: the year's 通知 with its 细则 from the dashboard, and
the 通报 from the results page, a draft (草稿, 未经市局党组审定) until the 党组 approves
(screenshots under artifacts/screens/)."""

import pytest
from docx import Document

from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.models import State

from .test_browser import browser, nav, shot, visit  # noqa: F401  (fixtures and helpers of the browser tests)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(download) -> str:
    document = Document(str(download.path()))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def test_the_rules_and_the_draft_then_the_approved_notice(year_review, visit):  # noqa: F811
    group = visit("group")
    card = group.locator("[data-notice-settings]")
    assert "依据文号" in card.inner_text() and "成文日期" in card.inner_text()
    shot(group, "50-dashboard-notice-settings", full_page=False)
    with group.expect_download() as rules:
        card.get_by_role("link", name="下载考评通知及细则（Word）").click()
    assert rules.value.suggested_filename.endswith(".docx")
    text = _text(rules.value)
    assert "考评细则" in text and "机构建设和执法保障" in text

    nav(group, "考评结果")
    draft_link = group.get_by_role("link", name="下载通报草稿（Word，未经市局党组审定）")
    with group.expect_download() as draft:
        draft_link.click()
    assert "草稿" in draft.value.suggested_filename
    assert "未经市局党组审定" in _text(draft.value)
    shot(group, "51-results-draft-notice", full_page=False)

    campaign_advance(campaign=year_review, to=State.APPROVED)
    group.reload()
    with group.expect_download() as approved:
        group.get_by_role("link", name="下载通报（Word）").click()
    assert "草稿" not in approved.value.suggested_filename
    assert "未经市局党组审定" not in _text(approved.value)
