"""Bearer tokens for other systems (e.g. the 卫片 platform); only a hash of each token is stored."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """接口令牌: acts as its user, with that user's role and scope; revoked, never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户"
    )
    name = models.CharField("名称", max_length=100)
    # The first characters of the token, so people can tell their tokens apart without the secret.
    prefix = models.CharField("令牌前缀", max_length=12)
    digest = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
