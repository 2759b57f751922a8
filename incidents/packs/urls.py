"""A school's caseload pack (issue 8 item 3): ask for it, its progress, its download."""

from django.urls import path

from incidents.packs import views as pack_views

app_name = "packs"

urlpatterns = [
    path("schools/<int:school_id>/packs/new/", pack_views.new, name="new"),
    path("schools/<int:school_id>/packs/<uuid:export_id>/", pack_views.detail, name="detail"),
    path(
        "schools/<int:school_id>/packs/<uuid:export_id>/download/",
        pack_views.download,
        name="download",
    ),
]
