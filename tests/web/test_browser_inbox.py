"""消息 and 逾期单位 in headless Chromium: the unread count in the top bar, marking read without a reload,
a message opening the page it is about; the group's dashboard listing the late units. Screenshots under
artifacts/screens/."""

import datetime

import pytest
from django.utils import timezone

from kaoping.assessments.services import item_return
from kaoping.campaigns.models import Campaign
from kaoping.org.models import Unit

from . import test_browser
from .conftest import ZY
from .test_browser import mark_page, not_reloaded, shot

browser, visit = test_browser.browser, test_browser.visit  # the fixtures of the main browser tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def badge(page) -> str:
    return page.locator("#inbox-link").text_content().strip()


def test_a_filler_reads_a_return_in_the_inbox_and_opens_the_item(year_review, visit, people):
    item = year_review.rubric.definition.item("1.5")
    item_return(
        campaign=year_review,
        unit=Unit.objects.get(code=ZY),
        item=item,
        comment="佐证材料缺少机构设置批文，请补充",
        actor=people["assessor"],
    )
    page = visit("filler")
    assert badge(page) == "消息2"  # the year opened, and the return
    page.locator("#inbox-link").click()
    page.get_by_role("heading", name="消息").wait_for()
    mark_page(page)
    opened = page.locator(".inbox-item").filter(has_text="2017 年度考评已开启自评")
    opened.get_by_role("button", name="标为已读").click()
    opened.get_by_role("button", name="标为已读").wait_for(state="detached")
    assert badge(page) == "消息1" and not_reloaded(page)
    shot(page, "30-inbox")
    page.get_by_role("button", name="条目 1.5 被退回，请修改后重新填写").click()
    page.wait_for_url(f"**/self/{ZY}/#self-1_5")
    assert "佐证材料缺少机构设置批文" in page.locator("#self-1_5").inner_text()
    assert badge(page) == "消息"
    page.goto(page.base + "/inbox/")
    assert page.locator(".inbox-item.unread").count() == 0


def test_all_read_at_once(year_open, visit, people):
    page = visit("filler")
    page.goto(page.base + "/inbox/")
    mark_page(page)
    page.get_by_role("button", name="全部标为已读").click()
    page.get_by_text("未读 0 条").wait_for()
    assert badge(page) == "消息" and not_reloaded(page)


def test_the_group_sees_the_late_units(year_open, visit):
    Campaign.objects.filter(pk=year_open.pk).update(
        self_deadline=timezone.localdate() - datetime.timedelta(days=4)
    )
    page = visit("group")
    late = page.locator("#late-units")
    late.wait_for()
    text = late.inner_text()
    assert "逾期未提交自评 8 个单位" in text and "4 天" in text and "月报缺报 2 个单位" in text
    late.scroll_into_view_if_needed()
    shot(page, "31-dashboard-late-units")
