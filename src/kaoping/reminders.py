"""Deadlines: which units are late (the group's dashboard), and `kaoping remind`, which sends the reminders
that are due, once each.

Two deadlines concern a unit: its self-assessment (the campaign's 自评截止日期, mid-December; a reopened
unit's own date), and each monthly report of the year (巡查月报, 案件月报 of period Y-MM, due on the
rubric's due day of that month, the 20th). Everything is read by aggregate queries over the stored rows,
whatever the number of units; only the rows shown (a page, a LIMIT) are read unit by unit.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import DateField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from kaoping.assessments.models import SelfAssessment, UnitResult
from kaoping.campaigns.models import Campaign, State
from kaoping.campaigns.services import campaign_for_year
from kaoping.inbox.models import Kind, Message, ReminderSent
from kaoping.inbox.recipients import recipients_of
from kaoping.inbox.services import Notice, inbox_send
from kaoping.ledgers.models import ReportKind, Submission
from kaoping.org.models import Unit

# Reminders of the self-assessment deadline: this many days before it (the nearest stage not yet sent),
# and once the day after it has passed.
SELF_NEAR_DAYS = (7, 1)
# A monthly report still missing this many days before its due day is reminded of once.
REPORT_NEAR_DAYS = 3
MONTHLY = (ReportKind.PATROL_MONTHLY, ReportKind.CASE_MONTHLY)


def _d(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ── Who is late ──


def self_late_open(campaign: Campaign) -> bool:
    """The self-assessment deadline matters while the units fill in (自评中)."""
    return campaign.state == State.SELF_ASSESSMENT


def _self_pending(campaign: Campaign) -> QuerySet[Unit]:
    """Units whose self-assessment is not handed in, each with its deadline (a reopened unit's own)."""
    submitted = SelfAssessment.objects.filter(campaign=campaign, submitted_at__isnull=False)
    reopened = SelfAssessment.objects.filter(campaign=campaign, unit=OuterRef("pk")).values("reopened_until")
    return Unit.objects.exclude(pk__in=submitted.values("unit_id")).annotate(
        deadline=Coalesce(Subquery(reopened[:1]), Value(campaign.self_deadline), output_field=DateField())
    )


def self_late(campaign: Campaign, today: datetime.date) -> QuerySet[Unit]:
    """Units late with their self-assessment (not submitted after their deadline), the latest first;
    each with `deadline`. Empty unless the year is 自评中."""
    if not self_late_open(campaign):
        return Unit.objects.none()
    return _self_pending(campaign).filter(deadline__lt=today).order_by("deadline", "code")


def _due(campaign: Campaign, month: int) -> datetime.date:
    return datetime.date(campaign.year, month, campaign.rubric.definition.monthly_report_due_day)


def reports_open(campaign: Campaign) -> bool:
    """Monthly reports are chased until the year's results are frozen."""
    return not campaign.is_frozen


def _periods_due_before(campaign: Campaign, today: datetime.date) -> list[str]:
    return [f"{campaign.year}-{m:02d}" for m in range(1, 13) if _due(campaign, m) < today]


def reports_missing(campaign: Campaign, today: datetime.date) -> QuerySet[Unit]:
    """Units missing any monthly report whose due day has passed, the latest first (by the first month
    missing, stored with each unit's result by the write that changes its submissions); each with
    `missing_from`, that month. Read from the stored results through an index, whatever the units."""
    months_due = _months_due(campaign, today)
    if not months_due:
        return Unit.objects.none()
    return (
        Unit.objects.filter(unitresult__campaign=campaign, unitresult__reports_missing_from__lte=months_due)
        .annotate(missing_from=F("unitresult__reports_missing_from"))
        .order_by("missing_from", "code")
    )


def reports_missing_count(campaign: Campaign, today: datetime.date) -> int:
    """How many units `reports_missing` lists, counted on the stored results' index alone (with the join
    to the units, SQLite counted 2,850 units in 3.4 ms instead of 0.03)."""
    months_due = _months_due(campaign, today)
    if not months_due:
        return 0
    return UnitResult.objects.filter(campaign=campaign, reports_missing_from__lte=months_due).count()


def _months_due(campaign: Campaign, today: datetime.date) -> int:
    """How many of the year's monthly reports are due before today (0 once the year is frozen): a unit
    misses one when its first month missing is at most this."""
    return len(_periods_due_before(campaign, today)) if reports_open(campaign) else 0


@dataclass
class LateReports:
    unit: Unit
    missing: list[tuple[str, str, datetime.date]]  # (kind, period, due), oldest first

    @property
    def oldest_due(self) -> datetime.date:
        return self.missing[0][2]

    def days_late(self, today: datetime.date) -> int:
        return (today - self.oldest_due).days

    @property
    def periods(self) -> str:
        shown = [f"{period} {kind}" for kind, period, _ in self.missing[:4]]
        return "、".join(shown) + ("等" if len(self.missing) > 4 else "")


def reports_missing_detail(campaign: Campaign, units: list[Unit], today: datetime.date) -> list[LateReports]:
    """Which reports each of these (few) units is missing: one query for all of them."""
    periods = _periods_due_before(campaign, today)
    filed = set(
        Submission.objects.filter(unit__in=[u.pk for u in units], kind__in=MONTHLY, period__in=periods)
        .values_list("unit_id", "kind", "period")
        .order_by()
    )
    answer = []
    for unit in units:
        missing = [
            (kind, period, _due(campaign, int(period[-2:])))
            for period in periods
            for kind in MONTHLY
            if (unit.pk, kind, period) not in filed
        ]
        answer.append(LateReports(unit, missing))
    return answer


@dataclass
class LateOverview:
    """What the dashboard shows of the late units: counts, and the first few of each list."""

    today: datetime.date
    self_count: int = 0
    self_rows: list[dict] = field(default_factory=list)
    reports_count: int = 0
    reports_rows: list[dict] = field(default_factory=list)


def late_overview(campaign: Campaign, today: datetime.date, limit: int = 10) -> LateOverview:
    """The late units in at most five queries, whatever their number: each list's first `limit` units and
    the list's length, and the reports those few units miss. (The length is its own COUNT: as a window
    over the list, COUNT(*) OVER () made the database sort every late unit to return ten, 2.8 ms of the
    dashboard's 16 at 2,850 units.)"""
    overview = LateOverview(today=today)

    if self_late_open(campaign):
        late = self_late(campaign, today)
        overview.self_count = late.count()
        overview.self_rows = self_rows(list(late[:limit]), today)
    if _months_due(campaign, today):
        overview.reports_count = reports_missing_count(campaign, today)
        overview.reports_rows = report_rows(campaign, list(reports_missing(campaign, today)[:limit]), today)
    return overview


def self_rows(units: list[Unit], today: datetime.date) -> list[dict]:
    return [{"unit": u, "deadline": u.deadline, "days": (today - u.deadline).days} for u in units]


def report_rows(campaign: Campaign, units: list[Unit], today: datetime.date) -> list[dict]:
    return [
        {
            "unit": late.unit,
            "missing": len(late.missing),
            "periods": late.periods,
            "oldest_due": late.oldest_due,
            "days": late.days_late(today),
        }
        for late in reports_missing_detail(campaign, units, today)
        if late.missing
    ]


# ── kaoping remind ──


def _self_url(unit: Unit) -> str:
    return reverse("self_unit", args=[unit.code])


def _self_notices(campaign: Campaign, today: datetime.date, sent: set[str]) -> list[Notice]:
    if not self_late_open(campaign):
        return []
    notices = []
    year = campaign.year
    horizon = today + datetime.timedelta(days=max(SELF_NEAR_DAYS))
    late = 0
    for unit in _self_pending(campaign).filter(deadline__lte=horizon).order_by("code"):
        left = (unit.deadline - today).days
        if left < 0:
            late += 1
            stage, kind = "passed", Kind.SELF_DEADLINE_PASSED
            title = f"{year} 年度自评已逾期 {-left} 天"
            body = f"{unit.name}的自评截止日期 {_d(unit.deadline)} 已过，尚未提交；请尽快联系考评小组。"
        else:
            stage, kind = str(min(days for days in SELF_NEAR_DAYS if left <= days)), Kind.SELF_DEADLINE_NEAR
            when = "今天截止" if left == 0 else f"还有 {left} 天"
            title = f"{year} 年度自评将于 {_d(unit.deadline)} 截止（{when}）"
            body = f"{unit.name}的自评尚未提交；请在截止日期前填完每个条目并提交。"
        # The deadline is part of the key: a reopened unit, or a deadline moved, is reminded again.
        key = f"{year}:self:{unit.deadline}:{stage}:{unit.code}"
        if key not in sent:
            notices.append(Notice(kind, title, body, _self_url(unit), unit_id=unit.pk, reminder_keys=(key,)))
    key = f"{year}:self-late:{campaign.self_deadline}"
    if late and today > campaign.self_deadline and key not in sent:
        notices.append(
            Notice(
                Kind.SELF_LATE_SUMMARY,
                f"{year} 年度自评截止日期 {_d(campaign.self_deadline)} 已过，{late} 个单位未提交",
                "逾期单位及逾期天数见“逾期单位”。",
                reverse("late_units"),
                reminder_keys=(key,),
            )
        )
    return notices


def _report_notices(campaign: Campaign, today: datetime.date, sent: set[str]) -> list[Notice]:
    """One message per unit naming every report newly near its due day or overdue; each report is
    reminded of once as near and once as overdue."""
    if not reports_open(campaign):
        return []
    year, due_day = campaign.year, campaign.rubric.definition.monthly_report_due_day
    months = [m for m in range(1, 13) if (_due(campaign, m) - today).days <= REPORT_NEAR_DAYS]
    if not months:
        return []
    periods = [f"{year}-{m:02d}" for m in months]
    filed = set(
        Submission.objects.filter(kind__in=MONTHLY, period__in=periods).values_list(
            "unit_id", "kind", "period"
        )
    )
    url = reverse("ledgers")
    notices = []
    for unit in Unit.objects.order_by("code"):
        found: dict[str, list[tuple[str, str, datetime.date]]] = {"late": [], "near": []}
        for month, period in zip(months, periods, strict=True):
            due = _due(campaign, month)
            stage = "late" if due < today else "near"
            for kind in MONTHLY:
                key = f"{year}:report-{stage}:{kind}:{period}:{unit.code}"
                if (unit.pk, kind, period) not in filed and key not in sent:
                    found[stage].append((key, f"{period} {kind}", due))
        for stage, message_kind, verb in (
            ("late", Kind.REPORT_OVERDUE, "逾期未报"),
            ("near", Kind.REPORT_DUE_NEAR, "即将到期"),
        ):
            entries = found[stage]
            if not entries:
                continue
            names = "、".join(name for _, name, _ in entries[:12]) + ("等" if len(entries) > 12 else "")
            notices.append(
                Notice(
                    message_kind,
                    f"{unit.name}有 {len(entries)} 份月报{verb}",
                    f"{names}：月报每月{due_day}日前报送，最早一份应于 {_d(entries[0][2])} 前报送。",
                    url,
                    unit_id=unit.pk,
                    reminder_keys=tuple(key for key, _, _ in entries),
                )
            )
    return notices


@dataclass
class RemindReport:
    year: int
    today: datetime.date
    dry_run: bool
    lines: list[str] = field(default_factory=list)
    notices: int = 0  # messages to write, before they are copied to each recipient
    messages: int = 0  # inbox messages (one a recipient)
    reminders: int = 0  # things reminded of (a message about 3 missing reports reminds of 3)
    emails: int = 0
    email_problem: str = ""

    def __str__(self) -> str:
        head = f"{self.year} 年度提醒（{_d(self.today)}）"
        if not self.notices:
            return f"{head}：没有需要发送的提醒（已发送过的不再发送）"
        verb = "将发送" if self.dry_run else "已发送"
        lines = [f"{head}：{verb} {self.notices} 则提醒（{self.reminders} 项），站内消息 {self.messages} 条"]
        lines += [f"  {line}" for line in self.lines]
        if self.dry_run:
            lines.append("（试运行：没有写入任何内容，也没有发送邮件）")
        elif not email_configured():
            lines.append("未配置邮件服务器（KAOPING_EMAIL_HOST），只发送站内消息")
        else:
            lines.append(f"邮件 {self.emails} 封")
        if self.email_problem:
            lines.append(f"邮件发送失败：{self.email_problem}；未发出的邮件下次运行时重发")
        return "\n".join(lines)


def years_open() -> list[int]:
    """The years reminders are sent for when none is named: every year not yet approved, oldest first."""
    frozen = [state.value for state in State if state.is_frozen]
    return list(Campaign.objects.exclude(state__in=frozen).order_by("year").values_list("year", flat=True))


def email_configured() -> bool:
    return bool(getattr(settings, "REMINDER_EMAIL", False))


def remind(year: int, *, dry_run: bool = False, today: datetime.date | None = None) -> RemindReport:
    """Send every reminder of year Y that is due today and was never sent: to the inbox of whoever
    recipients.py names, and by e-mail where an SMTP server is configured. --dry-run writes nothing."""
    campaign = campaign_for_year(year)
    today = today or timezone.localdate()
    report = RemindReport(year=year, today=today, dry_run=dry_run)
    with transaction.atomic():
        if not dry_run:  # one run at a time: a second one waits, then finds the reminders sent
            campaign = Campaign.objects.select_for_update().select_related("rubric").get(pk=campaign.pk)
        sent = set(ReminderSent.objects.filter(campaign=campaign).values_list("key", flat=True))
        notices = _self_notices(campaign, today, sent) + _report_notices(campaign, today, sent)
        counts = _recipient_counts(notices)
        names = dict(Unit.objects.filter(pk__in={n.unit_id for n in notices}).values_list("pk", "name"))
        for notice, people in zip(notices, counts, strict=True):
            about = f"{names[notice.unit_id]}：" if notice.unit_id in names else ""
            nobody = "（没有可接收的账号）" if not people else ""
            report.lines.append(f"[{Kind(notice.kind).label}] {about}{notice.title} → {people} 人{nobody}")
        report.notices = len(notices)
        report.reminders = sum(len(n.reminder_keys) for n in notices)
        report.messages = sum(counts)
        if not dry_run:
            inbox_send(notices, campaign=campaign)
    if not dry_run and email_configured():
        report.emails, report.email_problem = emails_send()
    return report


def _recipient_counts(notices: list[Notice]) -> list[int]:
    counts = [0] * len(notices)
    by_kind: dict[str, list[int]] = {}
    for index, notice in enumerate(notices):
        by_kind.setdefault(notice.kind, []).append(index)
    for kind, indexes in by_kind.items():
        found = recipients_of(Kind(kind), [(notices[i].unit_id, notices[i].departments) for i in indexes])
        for index, people in zip(indexes, found, strict=True):
            counts[index] = len(people)
    return counts


def emails_send() -> tuple[int, str]:
    """E-mail every reminder message not yet e-mailed to a recipient with an address; a message is marked
    e-mailed only once the server took it, so a failed one is sent by the next run."""
    pending = list(
        Message.objects.filter(reminder__isnull=False, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("id")
    )
    if not pending:
        return 0, ""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    sent: list[int] = []
    problem = ""
    try:
        with get_connection() as connection:
            for message in pending:
                link = f"\n\n{site}{message.url}" if site and message.url else ""
                mail = EmailMessage(
                    subject=f"【{settings.CITY_NAME}考评系统】{message.title}",
                    body=f"{message.body}{link}\n\n（此邮件由考评系统自动发送，请勿回复。）",
                    to=[message.recipient.email],
                    connection=connection,
                )
                mail.send()
                sent.append(message.pk)
    except Exception as exc:  # noqa: BLE001 — any server or network failure: say it, retry next run
        problem = f"{type(exc).__name__}: {exc}"
    if sent:
        Message.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent), problem
