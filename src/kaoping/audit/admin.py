from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is appended to by the services, never edited."""

    list_display = (
        "at",
        "actor_label",
        "action",
        "campaign_year",
        "unit_code",
        "item_id",
        "old",
        "new",
        "reason",
    )
    list_filter = ("action", "campaign_year")
    search_fields = ("actor_label", "unit_code", "item_id", "reason")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
