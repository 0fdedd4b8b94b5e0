"""消息 in the top bar and on its page (read one, read all, open the page concerned), and the group's
逾期单位 on the dashboard and in full."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kaoping.campaigns.models import Campaign
from kaoping.importing import file_import
from kaoping.inbox.models import Kind, Message
from kaoping.inbox.services import inbox_notify
from kaoping.org.models import Unit

from .conftest import ZY

HTMX = {"HTTP_HX_REQUEST": "true"}


def unread_badge(html: str) -> str | None:
    found = re.search(r'id="inbox-link"[^>]*>消息(?:<span class="inbox-count">(\d+)</span>)?</a>', html)
    assert found, "no 消息 link in the top bar"
    return found.group(1)


@pytest.mark.django_db
def test_the_top_bar_counts_the_unread_messages(year_open, client_for, people):
    filler = client_for("filler")
    assert unread_badge(filler.get("/").content.decode()) == "1"  # the year was opened
    inbox_notify(
        Kind.ITEM_RETURNED, campaign=year_open, unit=Unit.objects.get(code=ZY), title="条目 1.5 被退回"
    )
    html = filler.get("/ledgers/").content.decode()
    assert unread_badge(html) == "2" and 'aria-label="消息，2 条未读"' in html
    assert unread_badge(client_for("filler_other").get("/").content.decode()) == "1"
    assert unread_badge(client_for("group").get("/").content.decode()) is None


@pytest.mark.django_db
def test_marking_one_read_with_htmx(year_open, client_for, people):
    client = client_for("filler")
    page = client.get("/inbox/").content.decode()
    assert "2017 年度考评已开启自评" in page and "未读" in page
    message = Message.objects.get(recipient=people["filler"])
    answer = client.post(f"/inbox/{message.pk}/read/", **HTMX)
    html = answer.content.decode()
    assert answer.status_code == 200 and f'id="message-{message.pk}"' in html
    assert "标为已读" not in html and "未读</strong>" not in html
    assert 'hx-swap-oob="true"' in html and unread_badge(html) is None  # the top bar follows
    assert "共 1 条，未读 0 条" in html
    message.refresh_from_db()
    assert message.read_at is not None
    assert unread_badge(client.get("/").content.decode()) is None


@pytest.mark.django_db
def test_marking_all_read(year_open, client_for, people):
    unit = Unit.objects.get(code=ZY)
    for n in range(3):
        inbox_notify(Kind.ITEM_RETURNED, campaign=year_open, unit=unit, title=f"条目 1.{n} 被退回")
    client = client_for("filler")
    assert "未读 4 条" in client.get("/inbox/").content.decode()
    html = client.post("/inbox/read-all/", **HTMX).content.decode()
    assert 'id="inbox-list"' in html and "未读 0 条" in html and unread_badge(html) is None
    assert not Message.objects.filter(recipient=people["filler"], read_at__isnull=True).exists()
    assert Message.objects.filter(recipient=people["filler_other"], read_at__isnull=True).count() == 1
    assert client.post("/inbox/read-all/").status_code == 302  # without JavaScript: back to the list


@pytest.mark.django_db
def test_a_message_opens_its_page_and_is_read(year_review, client_for, people):
    from kaoping.assessments.services import item_return

    item = year_review.rubric.definition.item("1.5")
    item_return(
        campaign=year_review,
        unit=Unit.objects.get(code=ZY),
        item=item,
        comment="缺批文",
        actor=people["assessor"],
    )
    message = Message.objects.get(recipient=people["filler"], kind=Kind.ITEM_RETURNED)
    client = client_for("filler")
    opened = client.post(f"/inbox/{message.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == f"/self/{ZY}/#self-1_5"
    message.refresh_from_db()
    assert message.read_at is not None
    assert "缺批文" in client.get(f"/self/{ZY}/").content.decode()


@pytest.mark.django_db
def test_another_persons_message_is_not_found(year_open, client_for, people):
    theirs = Message.objects.get(recipient=people["filler_other"])
    client = client_for("filler")
    assert client.post(f"/inbox/{theirs.pk}/read/", **HTMX).status_code == 404
    assert client.post(f"/inbox/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(f"/inbox/{theirs.pk}/read/").status_code == 405  # reading is a POST


@pytest.mark.django_db
def test_the_inbox_page_writes_nothing(year_open, client_for):
    client = client_for("filler")
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/inbox/").status_code == 200
        assert client.get("/inbox/?unread=1").status_code == 200
    writes = [q["sql"] for q in captured if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert [sql for sql in writes if "django_session" not in sql] == []


def _deadline_passed(campaign, days: int) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(
        self_deadline=timezone.localdate() - datetime.timedelta(days=days)
    )


@pytest.mark.django_db
def test_the_dashboard_lists_the_late_units_with_how_late(year_open, client_for):
    _deadline_passed(year_open, 3)
    html = client_for("group").get("/").content.decode()
    late = html[html.index('id="late-units"') :]
    assert '逾期未提交自评 <span class="status-missing">8 个单位</span>' in late
    assert late.count("3 天") >= 8
    # The sample ledgers: 安化县 has not sent 3 monthly reports (the oldest of 2017-03), 桃江县 one.
    reports = late[late.index("月报缺报") :]
    assert "2 个单位" in reports
    days = (timezone.localdate() - datetime.date(2017, 3, 20)).days
    assert re.search(
        rf"安化县</td><td class=\"num\">3</td><td>2017-03 案件月报、2017-06 巡查月报、2017-12 案件月报</td><td class=\"num\">{days} 天",
        reports,
    )
    assert reports.index("安化县") < reports.index("桃江县")
    assert "全部" not in late  # every late unit is on the dashboard already


@pytest.mark.django_db
def test_nobody_is_late_before_the_deadline(year_open, client_for):
    html = client_for("group").get("/").content.decode()
    assert "逾期未提交自评" not in html


@pytest.mark.django_db
def test_the_full_list_of_late_units(year_open, client_for, tmp_path):
    _deadline_passed(year_open, 5)
    units = tmp_path / "units.csv"
    units.write_text("单位代码,单位名称\n" + "".join(f"{500000 + n},第{n}县\n" for n in range(20)), "utf-8")
    file_import(kind="units", path=units, year=None)
    dashboard = client_for("group").get("/").content.decode()
    assert "28 个单位" in dashboard and 'href="/late/?list=self">全部 28 个单位</a>' in dashboard
    full = client_for("group").get("/late/?list=self").content.decode()
    assert "共 28 个单位" in full and "第19县" in full and full.count('<td class="num">5 天</td>') == 28
    reports = client_for("party").get("/late/?list=reports").content.decode()
    assert "共 22 个单位" in reports and "第0县" in reports  # new units have sent nothing
    assert client_for("filler").get("/late/").status_code == 403
    assert client_for("assessor").get("/late/").status_code == 403


def _dashboard_queries(client) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_late_units_cost_the_dashboard_the_same_queries_at_any_size(year_open, client_for, tmp_path):
    _deadline_passed(year_open, 2)
    client = client_for("group")
    few = _dashboard_queries(client)
    units = tmp_path / "units.csv"
    units.write_text("单位代码,单位名称\n" + "".join(f"{600000 + n},第{n}县\n" for n in range(150)), "utf-8")
    file_import(kind="units", path=units, year=None)
    html = client.get("/").content.decode()
    assert "158 个单位" in html
    assert _dashboard_queries(client) == few


@pytest.mark.django_db
def test_a_message_of_another_year_opens_in_that_year(year_open, client_for, people):
    from kaoping.assessments.workflow import campaign_advance, campaign_create

    campaign_advance(campaign=campaign_create(year=2016), to="self")
    client = client_for("filler_other")
    client.get("/year/?year=2017")
    assert "· 2017 年度 ·" in client.get("/").content.decode()
    message = Message.objects.get(recipient=people["filler_other"], campaign__year=2016)
    assert client.post(f"/inbox/{message.pk}/open/")["Location"] == "/"
    assert "· 2016 年度 ·" in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_report_sent_late_moves_the_unit_on_the_list(year_open, client_for, tmp_path):
    """The first month missing is stored by the import that changes the unit's submissions."""
    sent = tmp_path / "submissions.csv"
    sent.write_text("单位代码,报表类型,所属期,提交时间\n430923,案件月报,2017-03,2017-04-02 10:00\n", "utf-8")
    file_import(kind="submissions", path=sent, year=2017)
    html = client_for("group").get("/").content.decode()
    reports = html[html.index("月报缺报") :]
    days = (timezone.localdate() - datetime.date(2017, 6, 20)).days
    assert (
        f'安化县</td><td class="num">2</td><td>2017-06 巡查月报、2017-12 案件月报</td><td class="num">{days} 天'
        in reports
    )
    assert reports.index("安化县") < reports.index("桃江县")  # June before September
