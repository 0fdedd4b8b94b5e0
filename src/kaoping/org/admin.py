from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from kaoping.audit.admin_mixins import AuditedAdmin, audit_value

from .models import Department, Profile, Unit


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = "角色与范围"


class KaopingUserAdmin(AuditedAdmin, UserAdmin):
    """Accounts with their role and scope; every change, the password included, is audited."""

    inlines = (ProfileInline,)
    list_display = ("username", "first_name", "is_active", "last_login")
    # Shown, not edited: the form would also cut the stored times to the minute on every save.
    readonly_fields = ("last_login", "date_joined")
    audit_name = "user"
    audit_key = "username"
    audit_fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "password",
    )
    audit_secret_fields = ("password",)

    def audit_snapshot(self, obj) -> dict:
        values = super().audit_snapshot(obj)
        profile = Profile.objects.filter(user=obj).select_related("unit", "department").first()
        values["role"] = profile.role if profile else None
        values["unit"] = audit_value(profile.unit) if profile and profile.unit else None
        values["department"] = audit_value(profile.department) if profile and profile.department else None
        return values

    def user_change_password(self, request, id, form_url=""):
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            before = self.audit_snapshot(user) if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if before is not None:
                self.audit_write(request, "password", user, before, self.audit_stored(user.pk))
        return response


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), KaopingUserAdmin)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin, admin.ModelAdmin):
    """A unit's name may change (stored results keep the name they were computed with); its code may not."""

    list_display = ("code", "name")
    search_fields = ("code", "name")
    audit_name = "unit"
    audit_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        # Ledgers, imports and the audit log name a unit by its code.
        return ("code",) if obj is not None else ()

    def audit_extra(self, obj) -> dict:
        return {"unit_code": obj.code}


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "name")
    audit_name = "department"
    audit_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        # The rubrics name the department responsible for each item by this code.
        return ("code",) if obj is not None else ()
