from django.contrib import admin

from .models import Case, CaseFileReview, Event, Patch, Submission, Tip


class ReadOnlyLedger(admin.ModelAdmin):
    """Ledgers change only through imports, which validate whole files and respect frozen years."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


for model, columns in (
    (Case, ("number", "unit", "violation_type", "discovery", "filed_on", "decided_on", "review_outcome")),
    (Submission, ("unit", "kind", "period", "submitted_at")),
    (Tip, ("number", "unit", "registered_on", "deadline", "closed_on", "reported_to_brigade")),
    (Patch, ("code", "year", "unit", "verdict", "duty_performed", "investigated", "rectified")),
    (Event, ("unit", "kind", "date", "note")),
    (CaseFileReview, ("number", "unit", "reviewed_on", "score")),
):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyLedger,), {"list_display": columns}))
