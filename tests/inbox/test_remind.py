"""`kaoping remind`: what is due is sent once (inbox, and e-mail where a server is configured);
--dry-run lists it and writes nothing."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from kaoping.assessments.models import SelfAssessment
from kaoping.assessments.workflow import campaign_advance
from kaoping.campaigns.models import Campaign, State
from kaoping.cli import main
from kaoping.inbox.models import Kind, Message, ReminderSent
from kaoping.ledgers.models import ReportKind, Submission
from kaoping.org.models import Unit
from kaoping.reminders import remind

D = datetime.date
DEADLINE = D(2017, 12, 15)
ZY, HS = "430902", "430903"


@pytest.fixture
def year(campaign, people):
    """2017 in 自评中 with the seed's deadline, 15 December; every unit has filed each monthly report."""
    campaign = campaign_advance(campaign=campaign, to=State.SELF_ASSESSMENT)
    Campaign.objects.filter(pk=campaign.pk).update(self_deadline=DEADLINE)
    Message.objects.all().delete()  # the opening's own messages
    at = timezone.make_aware(datetime.datetime(2017, 1, 1))
    Submission.objects.bulk_create(
        Submission(unit=unit, kind=kind, period=f"2017-{month:02d}", submitted_at=at)
        for unit in Unit.objects.all()
        for month in range(1, 13)
        for kind in (ReportKind.PATROL_MONTHLY, ReportKind.CASE_MONTHLY)
    )
    return Campaign.objects.get(pk=campaign.pk)


def submitted(*codes: str) -> None:
    for code in codes:
        SelfAssessment.objects.create(
            campaign=Campaign.objects.get(year=2017),
            unit=Unit.objects.get(code=code),
            submitted_at=timezone.now(),
        )


def titles(user, kind=None) -> list[str]:
    query = Message.objects.filter(recipient=user).order_by("id")
    return list((query.filter(kind=kind) if kind else query).values_list("title", flat=True))


@pytest.mark.django_db
def test_dry_run_lists_what_is_due_and_writes_nothing(year, people, settings):
    settings.REMINDER_EMAIL = True
    report = remind(2017, dry_run=True, today=D(2017, 12, 8))
    text = str(report)
    assert "将发送 8 则提醒" in text and "试运行：没有写入任何内容" in text
    assert "[自评即将截止] 资阳区：2017 年度自评将于 2017年12月15日 截止（还有 7 天） → 2 人" in text
    assert Message.objects.count() == 0 and ReminderSent.objects.count() == 0 and mail.outbox == []


@pytest.mark.django_db
def test_the_deadline_is_reminded_of_once_per_stage_and_never_twice(year, people):
    submitted(HS)  # 赫山区 has handed in: it is reminded of nothing
    first = remind(2017, today=D(2017, 12, 8))
    assert first.notices == 7 and "已发送 7 则提醒" in str(first)
    assert titles(people["zy"]) == ["2017 年度自评将于 2017年12月15日 截止（还有 7 天）"]
    assert titles(people["zy2"]) == titles(people["zy"]) and titles(people["hs"]) == []
    assert str(remind(2017, today=D(2017, 12, 8))).endswith("没有需要发送的提醒（已发送过的不再发送）")
    assert remind(2017, today=D(2017, 12, 10)).notices == 0  # 5 days left: the 7-day reminder was sent
    assert remind(2017, today=D(2017, 12, 14)).notices == 7  # the day before
    assert titles(people["zy"])[-1] == "2017 年度自评将于 2017年12月15日 截止（还有 1 天）"
    assert remind(2017, today=D(2017, 12, 15)).notices == 0  # the day itself: the 1-day reminder was sent
    late = remind(2017, today=D(2017, 12, 17))
    assert late.notices == 8  # 7 units, and the group's summary
    assert titles(people["zy"], Kind.SELF_DEADLINE_PASSED) == ["2017 年度自评已逾期 2 天"]
    assert titles(people["group"]) == ["2017 年度自评截止日期 2017年12月15日 已过，7 个单位未提交"]
    assert remind(2017, today=D(2017, 12, 20)).notices == 0
    assert Message.objects.filter(recipient=people["zy"]).count() == 3
    assert ReminderSent.objects.count() == 7 * 3 + 1


@pytest.mark.django_db
def test_a_reopened_unit_is_reminded_of_its_own_date(year, people):
    remind(2017, today=D(2017, 12, 17))
    assessment = SelfAssessment.objects.create(campaign=year, unit=Unit.objects.get(code=ZY))
    assessment.reopened_until = D(2017, 12, 22)
    assessment.save()
    assert remind(2017, today=D(2017, 12, 18)).notices == 1
    assert titles(people["zy"])[-1] == "2017 年度自评将于 2017年12月22日 截止（还有 4 天）"


@pytest.mark.django_db
def test_monthly_reports_due_then_overdue(year, people):
    Submission.objects.filter(unit__code=ZY, period="2017-11", kind=ReportKind.PATROL_MONTHLY).delete()
    Submission.objects.filter(unit__code=HS, period__in=["2017-09", "2017-10", "2017-11", "2017-12"]).delete()
    remind(2017, today=D(2017, 11, 18))  # 2 days before the 20th
    assert titles(people["zy"], Kind.REPORT_DUE_NEAR) == ["资阳区有 1 份月报即将到期"]
    body = Message.objects.get(recipient=people["zy"], kind=Kind.REPORT_DUE_NEAR).body
    assert body == "2017-11 巡查月报：月报每月20日前报送，最早一份应于 2017年11月20日 前报送。"
    assert titles(people["hs"], Kind.REPORT_OVERDUE) == ["赫山区有 4 份月报逾期未报"]
    assert remind(2017, today=D(2017, 11, 19)).notices == 0
    remind(2017, today=D(2017, 11, 21))
    assert titles(people["zy"], Kind.REPORT_OVERDUE) == ["资阳区有 1 份月报逾期未报"]
    assert titles(people["hs"], Kind.REPORT_OVERDUE) == [
        "赫山区有 4 份月报逾期未报",
        "赫山区有 2 份月报逾期未报",
    ]
    Submission.objects.create(
        unit=Unit.objects.get(code=HS),
        kind=ReportKind.PATROL_MONTHLY,
        period="2017-12",
        submitted_at=timezone.now(),
    )
    remind(2017, today=D(2017, 12, 18))
    assert titles(people["hs"], Kind.REPORT_DUE_NEAR)[-1] == "赫山区有 1 份月报即将到期"  # 2017-12 案件月报


@pytest.mark.django_db
def test_a_frozen_year_is_reminded_of_nothing(year, people):
    Campaign.objects.filter(pk=year.pk).update(state=State.APPROVED)
    Submission.objects.all().delete()
    assert remind(2017, today=D(2017, 12, 17)).notices == 0


@pytest.mark.django_db
def test_reminders_are_emailed_once_where_a_server_is_configured(year, people, settings):
    settings.REMINDER_EMAIL = True
    settings.SITE_URL = "http://kaoping.example.test/"
    submitted(*Unit.objects.exclude(code=ZY).values_list("code", flat=True))
    report = remind(2017, today=D(2017, 12, 8))
    assert report.emails == 2 and "邮件 2 封" in str(report)
    assert sorted(m.to[0] for m in mail.outbox) == ["zy2@example.test", "zy@example.test"]
    sent = mail.outbox[0]
    assert sent.subject == "【益阳市考评系统】2017 年度自评将于 2017年12月15日 截止（还有 7 天）"
    assert "http://kaoping.example.test/self/430902/" in sent.body
    remind(2017, today=D(2017, 12, 8))
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_an_email_that_failed_is_sent_by_the_next_run(year, people, settings, monkeypatch):
    settings.REMINDER_EMAIL = True
    submitted(*Unit.objects.exclude(code=ZY).values_list("code", flat=True))

    def down(self, messages):
        raise ConnectionRefusedError("连接被拒绝")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    report = remind(2017, today=D(2017, 12, 8))
    assert report.emails == 0 and "邮件发送失败：ConnectionRefusedError: 连接被拒绝" in str(report)
    assert titles(people["zy"]) != []  # the inbox has it all the same
    monkeypatch.undo()
    again = remind(2017, today=D(2017, 12, 9))
    assert again.notices == 0 and again.emails == 2 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_without_a_mail_server_only_the_inbox(year, people, settings):
    settings.REMINDER_EMAIL = False
    report = remind(2017, today=D(2017, 12, 8))
    assert "未配置邮件服务器（KAOPING_EMAIL_HOST），只发送站内消息" in str(report)
    assert mail.outbox == [] and Message.objects.exists()


@pytest.mark.django_db
def test_the_command(year, people, capsys):
    assert main(["remind", "--year", "2017", "--dry-run", "--today", "2017-12-08"]) == 0
    out = capsys.readouterr().out
    assert (
        "将发送 8 则提醒" in out
        and "资阳区：2017 年度自评将于 2017年12月15日 截止（还有 7 天） → 2 人" in out
    )
    assert Message.objects.count() == 0
    assert main(["remind", "--year", "2017", "--today", "2017-12-08"]) == 0
    assert "已发送 8 则提醒（8 项），站内消息 3 条" in capsys.readouterr().out
    assert main(["remind", "--year", "2017", "--today", "2017-12-08"]) == 0
    assert "没有需要发送的提醒" in capsys.readouterr().out
    assert Message.objects.count() == 3
    assert main(["remind", "--today", "2017-12-09"]) == 0  # no year: every year not yet approved
    assert capsys.readouterr().out.startswith("2017 年度提醒（2017年12月9日）：没有需要发送的提醒")
    assert main(["remind", "--year", "2016"]) == 1
    assert "没有 2016 年度的考评" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["remind", "--year", "2017", "--today", "12月8日"])
    assert "“12月8日”不是日期" in capsys.readouterr().err
