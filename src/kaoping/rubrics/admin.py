from django import forms
from django.contrib import admin

from kaoping.audit.admin_mixins import AuditedAdmin

from .models import Rubric
from .schema import RubricError, parse_rubric


class RubricForm(forms.ModelForm):
    class Meta:
        model = Rubric
        fields = ("code", "title", "source")

    def clean_source(self) -> str:
        source = self.cleaned_data["source"]
        try:
            definition = parse_rubric(source, "细则内容")
        except RubricError as exc:
            raise forms.ValidationError([f"{p}" for p in exc.problems]) from None
        if self.cleaned_data.get("code") and definition.id != self.cleaned_data["code"]:
            raise forms.ValidationError(f"细则内容中的 id（{definition.id}）与细则编号不一致")
        return source


@admin.register(Rubric)
class RubricAdmin(AuditedAdmin, admin.ModelAdmin):
    """A new year's rubric is a new file; one that a campaign uses can no longer change."""

    form = RubricForm
    list_display = ("code", "title", "loaded_at")
    audit_name = "rubric"
    audit_fields = ("code", "title", "source")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.campaign_set.exists():
            return ("code", "title", "source")
        return ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.campaign_set.exists()
