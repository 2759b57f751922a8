"""The Django admin, for operators who are superusers and nobody else.

Safeguarding staff work in the application's own pages, where their school-level
permissions apply; the admin ignores those, so it is closed to everyone else.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Safeguarding records — operators"
    site_title = "Safeguarding records admin"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class SuperuserAdminConfig(AdminConfig):
    default_site = "safeguarding.admin_site.SuperuserAdminSite"
