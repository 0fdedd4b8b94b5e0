"""台帐: the six ledger kinds a unit keeps. Dated records count in the year their dates fall in."""

from django.db import models

from kaoping.org.models import Unit


class ViolationType(models.TextChoices):
    LAND = "土地", "土地"
    MINERAL = "矿产", "矿产"


class Discovery(models.TextChoices):
    PATROL = "动态巡查", "动态巡查"
    SATELLITE = "卫片监测", "卫片监测"
    REPORT = "群众举报", "群众举报"
    MEDIA = "新闻媒体", "新闻媒体"
    REFERRAL = "部门移送", "部门移送"
    ASSIGNED = "上级交办", "上级交办"
    OTHER = "其他", "其他"


class Procedure(models.TextChoices):
    GENERAL = "一般", "一般"
    SUMMARY = "简易", "简易"


class ReviewOutcome(models.TextChoices):
    NONE = "无", "无"
    UPHELD = "维持", "维持"
    REVOKED = "撤销", "撤销"
    CHANGED = "变更", "变更"
    DECLARED_ILLEGAL = "确认违法", "确认违法"


OVERTURNED = (ReviewOutcome.REVOKED, ReviewOutcome.CHANGED, ReviewOutcome.DECLARED_ILLEGAL)


class ReportKind(models.TextChoices):
    PATROL_MONTHLY = "巡查月报", "巡查月报"
    CASE_MONTHLY = "案件月报", "案件月报"
    ANALYSIS = "形势分析", "形势分析"


class Verdict(models.TextChoices):
    LEGAL = "合法", "合法"
    ILLEGAL = "违法", "违法"
    OTHER = "其他", "其他"


class EventKind(models.TextChoices):
    PARTY_BRIEFING = "党组听取汇报", "党组听取汇报"
    TRAINING = "业务培训", "业务培训"
    SUMMONED = "约谈", "约谈"
    ACCOUNTABILITY = "问责", "问责"
    FALSE_DATA = "数据不实", "数据不实"


class Case(models.Model):
    # Only 立案日期 is indexed: the facts query asks for cases with any of four dates in the year, and with
    # an index on each SQLite reads them through all four (6× slower than a scan) and every write pays.
    number = models.CharField("案件编号", max_length=50, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name="单位")
    violation_type = models.CharField("违法类型", max_length=4, choices=ViolationType.choices)
    discovery = models.CharField("发现方式", max_length=6, choices=Discovery.choices)
    is_major = models.BooleanField("是否重大案件")
    filed_on = models.DateField("立案日期", db_index=True)
    is_public_filing = models.BooleanField("是否公开立案")
    procedure = models.CharField("处罚程序", max_length=4, choices=Procedure.choices, blank=True)
    decided_on = models.DateField("处罚决定日期", null=True, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    published_on = models.DateField("网上公布日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    is_exposed = models.BooleanField("是否公开曝光")
    exposed_on = models.DateField("曝光日期", null=True, blank=True)
    review_outcome = models.CharField(
        "复议诉讼结果", max_length=4, choices=ReviewOutcome.choices, default=ReviewOutcome.NONE
    )

    class Meta:
        verbose_name = verbose_name_plural = "违法案件"


class Submission(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name="单位")
    kind = models.CharField("报表类型", max_length=4, choices=ReportKind.choices)
    period = models.CharField("所属期", max_length=7)  # YYYY-MM or YYYYH1 / YYYYH2
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = verbose_name_plural = "报送记录"
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "period"], name="one_report_per_period")
        ]
        indexes = [models.Index(fields=["period"])]


class Tip(models.Model):
    number = models.CharField("线索编号", max_length=50, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name="单位")
    registered_on = models.DateField("登记日期", db_index=True)
    deadline = models.DateField("办理期限")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    reported_to_brigade = models.BooleanField("是否上报支队")

    class Meta:
        verbose_name = verbose_name_plural = "举报线索"


class Patch(models.Model):
    code = models.CharField("图斑编号", max_length=50)
    year = models.PositiveSmallIntegerField("年度")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name="单位")
    verdict = models.CharField("判定结果", max_length=4, choices=Verdict.choices)
    monitored_area = models.DecimalField("监测面积（亩）", max_digits=12, decimal_places=2)
    farmland_area = models.DecimalField("耕地面积（亩）", max_digits=12, decimal_places=2)
    duty_performed = models.BooleanField("是否履职到位")
    investigated = models.BooleanField("是否查处到位")
    rectified = models.BooleanField("是否整改到位")
    has_patch_dossier = models.BooleanField("是否形成卫片卷宗")
    has_case_dossier = models.BooleanField("是否形成查处案卷")

    class Meta:
        verbose_name = verbose_name_plural = "卫片图斑"
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="one_patch_per_year")]


class Event(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name="单位")
    kind = models.CharField("类型", max_length=8, choices=EventKind.choices)
    date = models.DateField("日期", db_index=True)
    note = models.CharField("说明", max_length=500)

    class Meta:
        verbose_name = verbose_name_plural = "工作事项"
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "date", "note"], name="one_event")]


class CaseFileReview(models.Model):
    number = models.CharField("案卷编号", max_length=50, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name="单位")
    reviewed_on = models.DateField("评查日期", db_index=True)
    score = models.DecimalField("评查得分", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "案卷评查"
