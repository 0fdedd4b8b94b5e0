"""A message in a person's inbox, and the record of each reminder sent (its key is unique: never twice)."""

from django.conf import settings
from django.db import models

from kaoping.campaigns.models import Campaign
from kaoping.org.models import Unit


class Kind(models.TextChoices):
    """What a message is about. Who receives each kind is declared once, in recipients.py."""

    YEAR_OPENED = "year_opened", "年度开启"
    ITEM_RETURNED = "item_returned", "条目退回"
    PUBLIC_OPENED = "public_opened", "结果公示"
    OBJECTION_FILED = "objection_filed", "申诉待答复"
    OBJECTION_ANSWERED = "objection_answered", "申诉已答复"
    SELF_DEADLINE_NEAR = "self_deadline_near", "自评即将截止"
    SELF_DEADLINE_PASSED = "self_deadline_passed", "自评逾期"
    SELF_LATE_SUMMARY = "self_late_summary", "逾期未提交自评的单位"
    REPORT_DUE_NEAR = "report_due_near", "月报即将到期"
    REPORT_OVERDUE = "report_overdue", "月报逾期"
    YEAR_APPROVED = "year_approved", "结果已审定"
    YEAR_PUBLISHED = "year_published", "结果已通报"


class Message(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
        verbose_name="收件人",
    )
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, verbose_name="年度"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, verbose_name="单位")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    reminder = models.ForeignKey(
        "ReminderSent", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "站内消息"
        indexes = [models.Index(fields=["recipient", "read_at"], name="inbox_unread")]

    def __str__(self) -> str:
        return self.title


class ReminderSent(models.Model):
    """One reminder that `kaoping remind` sent; its key (kind, year, unit, period or stage) is unique, so
    a daily run never sends it again."""

    key = models.CharField("提醒键", max_length=120, unique=True)
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, verbose_name="年度")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, verbose_name="单位")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "已发送提醒"
