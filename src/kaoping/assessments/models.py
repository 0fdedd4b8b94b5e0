"""Self scores, review scores, evidence and the stored results of a campaign."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from kaoping.audit.services import SYSTEM
from kaoping.campaigns.models import Campaign
from kaoping.org.models import Unit


class ItemScore(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, verbose_name="考评年度")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name="单位")
    item_id = models.CharField("条目", max_length=10)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    note = models.TextField("说明", blank=True)
    # Optimistic lock: a save names the version it started from; a mismatch is a conflict.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class SelfScore(ItemScore):
    """自评分: the unit's claim for one item."""

    class Meta:
        verbose_name = verbose_name_plural = "自评分"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "item_id"], name="one_self_score")]


class ReviewScore(ItemScore):
    """考评分: an assessor's score for one item; `note` is the reason (required below the maximum)."""

    class Meta:
        verbose_name = verbose_name_plural = "考评分"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "item_id"], name="one_review_score")
        ]
        # A department's task counts by item (the queue's counters and status filters).
        indexes = [models.Index(fields=["campaign", "item_id", "unit"], name="review_score_by_item")]


class SelfAssessment(models.Model):
    """A unit's self-assessment as a whole: submitted, reopened by the group."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reopened_until = models.DateField("重新开放至", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "自评提交"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_self_assessment")]


class ItemReturn(models.Model):
    """An item an assessor returned to the unit with a comment; open until the unit answers."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    item_id = models.CharField("条目", max_length=10)
    comment = models.TextField("退回意见")
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "退回条目"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.campaign.year}/{instance.unit.code}/{instance.item_id}/{filename}"


class Evidence(models.Model):
    """佐证材料 attached by a unit to one item."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    item_id = models.CharField("条目", max_length=10)
    file = models.FileField("文件", upload_to=evidence_path)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"


class UnitResult(models.Model):
    """A unit's computed result, stored when the campaign's data last changed (see results.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="unit_results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    unit_name = models.CharField(
        "单位名称（计算时）", max_length=50, default=""
    )  # an approved record keeps it
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField("名次", null=True)
    grade = models.CharField("等次", max_length=4, blank=True)
    vetoes = models.JSONField("取消评优原因", default=list)
    sections = models.JSONField("各部分得分", default=dict)
    # item id → {"score", "self", "source", "computed", "explanation", "review_note"}; scores as strings.
    items = models.JSONField("各条目", default=dict)
    unscored = models.PositiveSmallIntegerField("未评条目数", default=0)
    # The ids of the 未评 items (usually few): progress counts read these, not the item entries.
    unscored_ids = models.JSONField("未评条目", default=list)
    # What the unit's ledgers hold in the year, as the rules count them (the 台帐与报送 page's table):
    # {"cases", "tips", "patches", "casefiles": n, "events": {kind: n}}; {} for rows stored before.
    ledger_counts = models.JSONField("台帐统计", default=dict)
    # How many of the rubric's items have a self score, and a review score (the progress pages' rows).
    self_filled = models.PositiveSmallIntegerField("自评已填条目数", default=0)
    reviewed = models.PositiveSmallIntegerField("已录考评分条目数", default=0)
    # adjustment id → {"score", "raw", "entries": [{"id", "date", "basis", "evidence"}]}; {} without any declared.
    adjustments = models.JSONField("加分和扣分", default=dict)
    # The first month (1–12) of the year whose 巡查月报 or 案件月报 is missing, 13 when none is: the
    # dashboard's 月报缺报 reads it (reports due before today are missing when it is ≤ the last month due).
    reports_missing_from = models.PositiveSmallIntegerField("最早缺报月份", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "考评结果"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_result_per_unit")]
        indexes = [
            models.Index(fields=["campaign", "rank"]),
            models.Index(fields=["campaign", "reports_missing_from"], name="result_reports_missing"),
        ]


class Rectification(models.Model):
    """整改: the follow-up of a 不合格 unit."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    progress = models.TextField("整改进展", blank=True)
    inadequate = models.BooleanField("整改措施不力", default=False)
    judged_at = models.DateTimeField("认定时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改跟踪"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_rectification")]


class SanctionKind(models.TextChoices):
    YELLOW_CARD = "黄牌警告", "黄牌警告"
    ADMONITION = "诫勉谈话", "诫勉谈话"


class Sanction(models.Model):
    """黄牌警告 / 诫勉谈话 recorded when the group judges a rectification inadequate."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField("类型", max_length=4, choices=SanctionKind.choices)
    position = models.CharField("职务", max_length=50)
    person = models.CharField("姓名", max_length=50)
    date = models.DateField("日期")

    class Meta:
        verbose_name = verbose_name_plural = "问责记录"


class ResultSummary(models.Model):
    """What every page needs of a year's results as a whole, kept by the writes (results.standings_update):
    how many units, how many 未评 items, the city's section averages."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="result_summary")
    units = models.PositiveIntegerField("单位数", default=0)
    unscored = models.PositiveIntegerField("未评条目数", default=0)
    # section number → the exact sum over the units ("1234.56"); averages are sums / units, so that a
    # write adjusts them by its own units' change without rounding drift.
    section_sums = models.JSONField("各部分合计", default=dict)
    # item id → how many units have it 未评 (items at 0 left out): progress by department or task
    # without reading every unit's row.
    item_unscored = models.JSONField("各条目未评单位数", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "考评结果汇总"

    def section_averages(self) -> dict[str, Decimal]:
        if not self.units:
            return {number: Decimal("0.00") for number in self.section_sums}
        return {n: (Decimal(t) / self.units).quantize(Decimal("0.01")) for n, t in self.section_sums.items()}


def adjustment_evidence_path(instance: "AdjustmentEntry", filename: str) -> str:
    return f"adjustments/{instance.campaign.year}/{instance.unit.code}/{instance.adjustment_id}/{filename}"


class AdjustmentEntry(models.Model):
    """加分 / 扣分记录: one entry of a 加分项 or 扣分项 the year's rubric declares, recorded by the group
    with what it rests on (依据) and its evidence file; the rubric gives its points and cap."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="adjustment_entries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name="单位")
    adjustment_id = models.CharField("加减分项", max_length=10)
    date = models.DateField("日期")
    basis = models.CharField("依据", max_length=500)
    file = models.FileField("佐证材料", upload_to=adjustment_evidence_path)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "加分扣分记录"
        indexes = [models.Index(fields=["campaign", "unit"])]


class Decision(models.TextChoices):
    """How an objection was answered (empty while it waits)."""

    UPHELD = "维持", "维持原评分"
    CHANGED = "改分", "改分"


class Objection(models.Model):
    """申诉: a unit's objection to the final score of one of its items while the results are on view
    (公示中), answered by the item's department or the group: 维持 with a reason, or 改分 (the new score
    becomes the final score, as a review score audited like any other)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="objections")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name="单位")
    item_id = models.CharField("条目", max_length=10)
    reason = models.TextField("申诉理由")
    claimed = models.DecimalField("申诉分数", max_digits=6, decimal_places=2)
    score_before = models.DecimalField("申诉时得分", max_digits=6, decimal_places=2, null=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField("申诉时间", auto_now_add=True)
    decision = models.CharField("答复", max_length=4, choices=Decision.choices, blank=True)
    answer = models.TextField("答复理由", blank=True)
    score_after = models.DecimalField("答复后得分", max_digits=6, decimal_places=2, null=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "申诉"
        ordering = ["filed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "item_id"], name="one_objection_per_item")
        ]
        indexes = [models.Index(fields=["campaign", "decision"], name="objection_by_decision")]

    @property
    def answered(self) -> bool:
        return bool(self.decision)

    @property
    def changed(self) -> bool:
        """Answered 改分: the item's final score is the answer's."""
        return self.decision == Decision.CHANGED

    @property
    def status_label(self) -> str:
        """How the pages mark the item: 申诉待答复 / 申诉维持 / 申诉改分."""
        return f"申诉{self.decision or '待答复'}"

    @property
    def decision_label(self) -> str:
        return self.decision or "未答复"

    @property
    def filed_by_label(self) -> str:
        return _person(self.filed_by)

    @property
    def answered_by_label(self) -> str:
        return _person(self.answered_by) if self.answered else ""

    @property
    def verdict(self) -> str:
        """The answer in a few words, for the unit's message and the page's confirmation."""
        if not self.answered:
            return "待答复"
        if self.changed:
            return f"改为 {self.score_after:.2f} 分"
        return "维持原评分"


def _person(user) -> str:
    """Who did it, as the pages name people; the command line (no user) as the audit log names it."""
    if user is None:
        return SYSTEM
    return user.get_full_name() or user.get_username()


def objection_file_path(instance: "ObjectionFile", filename: str) -> str:
    objection = instance.objection
    return f"objections/{objection.campaign.year}/{objection.unit.code}/{objection.item_id}/{filename}"


class ObjectionFile(models.Model):
    """An evidence file of an objection."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to=objection_file_path)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = verbose_name_plural = "申诉材料"
