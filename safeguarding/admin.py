from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from safeguarding.admin_base import AuditedAdmin, ReadOnlyAuditedAdmin
from safeguarding.models import Membership, Pupil, School, Trust, User
from safeguarding.services import pupil_save


@admin.register(User)
class UserAdmin(DjangoUserAdmin, AuditedAdmin):  # type: ignore[misc]  # stubs: get_form
    ordering = ("full_name",)
    list_display = ("email", "full_name", "is_active", "is_superuser")
    search_fields = ("email", "full_name")
    list_filter = ("is_active", "is_superuser")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "sex")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "sex", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ()


@admin.register(Trust)
class TrustAdmin(AuditedAdmin):
    search_fields = ("name",)


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    list_display = ("name", "urn", "dfe_number", "jurisdiction", "trust", "triage_preset")
    search_fields = ("name", "urn", "dfe_number")
    list_filter = ("jurisdiction", "trust")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAuditedAdmin):
    """Roles change only through `manage.py grant_role` / `revoke_role`, which keep the
    django-guardian permissions in step."""

    list_display = ("user", "school", "role", "granted_at", "revoked_at")
    list_filter = ("role", "school")
    search_fields = ("user__email", "user__full_name")


@admin.register(Pupil)
class PupilAdmin(AuditedAdmin):
    list_display = (
        "family_name", "given_name", "upn", "school", "year_group", "registration_group", "left_on"
    )  # fmt: skip
    search_fields = (
        "family_name", "given_name", "preferred_given_name", "preferred_family_name", "upn"
    )  # fmt: skip
    list_filter = ("school", "year_group")

    def save_model(self, request: HttpRequest, obj: Pupil, form: Any, change: bool) -> None:
        """Through the service, so the pupil's open incidents are re-triaged."""
        pupil_save(actor=request.user, pupil=obj)  # type: ignore[arg-type]
