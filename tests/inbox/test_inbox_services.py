"""Messages are written by the service where the event happens, to whom recipients.py names."""

from pathlib import Path

import pytest

from kaoping.assessments.services import item_return
from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.models import State
from kaoping.errors import NotFound
from kaoping.importing import file_import
from kaoping.inbox.models import Kind, Message
from kaoping.inbox.recipients import RECIPIENTS
from kaoping.inbox.services import inbox_notify, message_read, messages_read_all, unread_count
from kaoping.org.models import Unit

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "kaoping" / "demo" / "data" / "2017"
SCORED = (
    "cases",
    "submissions",
    "tips",
    "patches",
    "events",
    "casefile-reviews",
    "self-scores",
    "review-scores",
)


def inbox_of(user) -> list[Message]:
    return list(Message.objects.filter(recipient=user).order_by("id"))


def who_got(kind) -> set[str]:
    return set(Message.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_every_kind_has_its_recipients_declared():
    assert set(RECIPIENTS) == set(Kind)


@pytest.mark.django_db
def test_opening_the_year_tells_every_filler_and_assessor(campaign, people):
    campaign_advance(campaign=campaign, actor=people["group"], to=State.SELF_ASSESSMENT)
    assert who_got(Kind.YEAR_OPENED) == {"zy", "zy2", "hs", "zd", "fg"}
    message = inbox_of(people["hs"])[0]
    assert message.title == "2017 年度考评已开启自评"
    assert "前完成自评并提交" in message.body and message.url == "/"
    assert message.campaign == campaign and message.read_at is None


@pytest.mark.django_db
def test_a_refused_move_writes_no_message(campaign, people):
    with pytest.raises(Exception, match="只有考评小组"):
        campaign_advance(campaign=campaign, actor=people["zy"], to=State.SELF_ASSESSMENT)
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_a_return_reaches_the_units_fillers_only_with_the_comment_and_the_item(campaign, people):
    campaign = campaign_advance(campaign=campaign, to=State.REVIEW)
    Message.objects.all().delete()
    item = campaign.rubric.definition.item("1.5")
    unit = Unit.objects.get(code="430902")
    item_return(campaign=campaign, unit=unit, item=item, comment="佐证材料缺少批文", actor=people["zd"])
    assert who_got(Kind.ITEM_RETURNED) == {"zy", "zy2"}
    message = inbox_of(people["zy"])[0]
    assert message.title == "条目 1.5 被退回，请修改后重新填写"
    assert message.body == "执法监察支队退回意见：佐证材料缺少批文"
    assert message.url == "/self/430902/#self-1_5" and message.unit == unit


@pytest.mark.django_db
def test_a_refused_return_writes_no_message(campaign, people):
    campaign = campaign_advance(campaign=campaign, to=State.REVIEW)
    Message.objects.all().delete()
    item = campaign.rubric.definition.item("1.3")  # 政策法规科's item, not 支队's
    with pytest.raises(Exception, match="不归"):
        item_return(
            campaign=campaign,
            unit=Unit.objects.get(code="430902"),
            item=item,
            comment="x",
            actor=people["zd"],
        )
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_approval_and_publication_are_told(campaign, people):
    for kind in SCORED:
        file_import(kind=kind, path=SAMPLE / f"{kind}.csv", year=2017)
    campaign_advance(campaign=campaign, to=State.PUBLISHED)  # every step in turn
    assert who_got(Kind.YEAR_APPROVED) == {"zd", "fg", "group"}
    assert who_got(Kind.YEAR_PUBLISHED) == {"zy", "zy2", "hs", "zd", "fg", "group", "party"}
    assert Message.objects.get(recipient=people["zy"], kind=Kind.YEAR_PUBLISHED).url == "/results/"


@pytest.mark.django_db
def test_objection_messages_for_the_objections_service(campaign, people):
    """What the objection service (issue 10 §1) calls: filed → the item's department and the group;
    answered → the unit's fillers."""
    unit = Unit.objects.get(code="430902")
    item = campaign.rubric.definition.item("1.3")
    filed = inbox_notify(
        Kind.OBJECTION_FILED,
        campaign=campaign,
        unit=unit,
        departments=item.departments,
        title="资阳区对条目 1.3 提出申诉",
        url="/results/430902/",
    )
    assert filed == 2 and who_got(Kind.OBJECTION_FILED) == {"fg", "group"}
    inbox_notify(Kind.OBJECTION_ANSWERED, campaign=campaign, unit=unit, title="申诉已答复：维持")
    assert who_got(Kind.OBJECTION_ANSWERED) == {"zy", "zy2"}


@pytest.mark.django_db
def test_an_inactive_account_receives_nothing(campaign, people):
    people["zy2"].is_active = False
    people["zy2"].save()
    inbox_notify(Kind.OBJECTION_ANSWERED, campaign=campaign, unit=Unit.objects.get(code="430902"), title="t")
    assert who_got(Kind.OBJECTION_ANSWERED) == {"zy"}


@pytest.mark.django_db
def test_reading_marks_only_ones_own_messages(campaign, people):
    campaign_advance(campaign=campaign, to=State.SELF_ASSESSMENT)
    inbox_notify(Kind.OBJECTION_ANSWERED, campaign=campaign, unit=Unit.objects.get(code="430902"), title="t")
    zy, hs = people["zy"], people["hs"]
    assert unread_count(zy) == 2 and unread_count(hs) == 1
    first = inbox_of(zy)[0]
    message_read(zy, first.pk)
    assert unread_count(zy) == 1
    with pytest.raises(NotFound):
        message_read(hs, inbox_of(zy)[1].pk)
    assert unread_count(zy) == 1
    assert messages_read_all(zy) == 1 and unread_count(zy) == 0 and unread_count(hs) == 1


@pytest.mark.django_db
def test_the_administrator_sees_messages_and_reminders_read_only(client, campaign, people):
    campaign_advance(campaign=campaign, to=State.SELF_ASSESSMENT)
    client.force_login(people["admin"])
    listing = client.get("/admin/inbox/message/")
    assert listing.status_code == 200 and "2017 年度考评已开启自评" in listing.content.decode()
    assert client.get("/admin/inbox/remindersent/").status_code == 200
    assert client.get("/admin/inbox/message/add/").status_code == 403
