from django.contrib import admin

from referrals.models import Referral
from safeguarding.admin_base import ReadOnlyAuditedAdmin


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAuditedAdmin):
    list_display = ("incident", "agency", "made_at", "status", "outcome")
    list_filter = ("agency", "status", "outcome")
