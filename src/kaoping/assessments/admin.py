from django.contrib import admin, messages

from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError

from .workflow import SETTING_LABELS, campaign_settings_update


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Settings only; the state moves through the workflow (pages, API, `kaoping campaign advance`)."""

    list_display = (
        "year",
        "rubric",
        "state",
        "pass_min",
        "excellent_min",
        "excellent_quota",
        "self_deadline",
    )
    fields = ("year", "rubric", "state", *SETTING_LABELS)
    readonly_fields = ("year", "rubric", "state")

    def has_add_permission(self, request) -> bool:
        return False  # created with `kaoping campaign create` or by the group, so every rule applies

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in SETTING_LABELS}
        try:
            campaign_settings_update(campaign=obj, actor=request.user, **changes)
        except KaopingError as exc:
            request._kaoping_refused = True
            messages.error(request, str(exc))

    def log_change(self, request, obj, message):
        # Nor does the admin's history (LogEntry) list a change that was refused.
        if getattr(request, "_kaoping_refused", False):
            return None
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs) -> None:
        # A refused change shows the refusal only, not Django's 成功修改 as well.
        if getattr(request, "_kaoping_refused", False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)
