import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models

from kaoping.rubrics.models import Rubric
from kaoping.scoring.calendar import working_days_after
from kaoping.scoring.enums import STATE_ORDER as STATE_ORDER
from kaoping.scoring.enums import CampaignState

State = CampaignState  # the one definition lives in the Django-free core
FROZEN_STATES = {s.value for s in State if s.is_frozen}


class Campaign(models.Model):
    """考评年度: one year's run of one rubric over every unit, with its settings and state."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, verbose_name="考评细则")
    state = models.CharField(
        "状态", max_length=10, choices=[(s.value, s.label) for s in State], default=State.DRAFT
    )
    pass_min = models.DecimalField("达标分数线", max_digits=6, decimal_places=2, default=Decimal(60))
    excellent_min = models.DecimalField("优胜分数线", max_digits=6, decimal_places=2, default=Decimal(90))
    excellent_quota = models.PositiveSmallIntegerField("优胜名额", default=3)
    self_deadline = models.DateField("自评截止日期")
    # 公示: opened on public_from; each unit may object (申诉) until objection_days working days after it.
    objection_days = models.PositiveSmallIntegerField("申诉期（工作日）", default=5)
    public_from = models.DateField("公示开始日期", null=True, blank=True)
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("通报时间", null=True, blank=True)
    notice_number = models.CharField("通报文号", max_length=50, blank=True)
    # The 通报 cites the year's 通知 by its 文号 (the rubric's, unless set) and is dated its 成文日期
    # (the approval date, unless set).
    basis_number = models.CharField("依据文号", max_length=50, blank=True)
    notice_date = models.DateField("成文日期", null=True, blank=True)
    # Set on approval (已审定): the audit chain's head then, and the SHA-256 of the approved results.
    audit_head = models.CharField("审定时审计链头", max_length=64, blank=True, editable=False)
    results_fingerprint = models.CharField("审定结果指纹", max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "考评年度"

    def __str__(self) -> str:
        return f"{self.year} 年度考评（{self.get_state_display()}）"

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    @property
    def on_view(self) -> bool:
        """公示中: each unit sees its own results and may object."""
        return self.state == State.PUBLIC

    @property
    def objection_until(self) -> datetime.date | None:
        """The last day a unit may object: objection_days working days after the 公示 opened."""
        if self.public_from is None:
            return None
        return working_days_after(self.public_from, self.objection_days)
