from django.conf import settings
from django.db import models


class Unit(models.Model):
    """被考评单位: a county-level bureau, named by its six-digit division code."""

    code = models.CharField("单位代码", max_length=6, unique=True)
    name = models.CharField("单位名称", max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "被考评单位"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Department(models.Model):
    """考评小组成员单位: a member department of the city bureau that owns rubric items."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "成员单位"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    FILLER = "filler", "区县填报员"
    ASSESSOR = "assessor", "成员单位考评员"
    GROUP = "group", "考评小组"
    PARTY = "party", "党组"
    ADMIN = "admin", "管理员"


class Profile(models.Model):
    """A user's role, scoped to a unit (填报员) or a department (考评员)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name="所属单位")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, verbose_name="所属成员单位"
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"
        constraints = [
            models.CheckConstraint(
                name="filler_has_unit", condition=~models.Q(role="filler") | models.Q(unit__isnull=False)
            ),
            models.CheckConstraint(
                name="assessor_has_department",
                condition=~models.Q(role="assessor") | models.Q(department__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()}：{self.get_role_display()}"


class LoginFailure(models.Model):
    """One failed login, kept for the throttling window (org/throttle.py)."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录失败记录"
