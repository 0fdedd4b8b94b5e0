from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One change, recorded in the same transaction as the change itself. Never updated or deleted."""

    # Set by audit_append before the insert: the hash covers it.
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="操作人"
    )
    actor_label = models.CharField("操作人（记录时）", max_length=150)
    action = models.CharField("操作", max_length=40, db_index=True)
    campaign_year = models.PositiveSmallIntegerField("年度", null=True, blank=True, db_index=True)
    unit_code = models.CharField("单位代码", max_length=6, blank=True)
    item_id = models.CharField("条目", max_length=10, blank=True)
    old = models.JSONField("原值", null=True, blank=True)
    new = models.JSONField("新值", null=True, blank=True)
    reason = models.TextField("原因", blank=True)
    prev_hash = models.CharField("前一条的哈希", max_length=64, blank=True, editable=False)
    hash = models.CharField("哈希", max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "审计记录"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计记录只能追加，不能修改")
        from .chain import audit_append  # every new row enters through the chain

        audit_append([self])

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录只能追加，不能删除")


class AuditHead(models.Model):
    """The one row that holds the chain's last id and hash; locked by every append to serialise writers."""

    last_id = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计链头"
