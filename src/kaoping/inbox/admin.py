"""The administrator sees the reminders sent and the messages written; neither is edited by hand."""

from django.contrib import admin

from .models import Message, ReminderSent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnly):
    list_display = ("key", "kind", "campaign", "unit", "sent_at")
    list_filter = ("kind", "campaign")
    search_fields = ("key",)


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ("title", "recipient", "kind", "campaign", "created_at", "read_at", "emailed_at")
    list_filter = ("kind", "campaign")
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient", "campaign")
