"""Documents attached to incidents: list and upload, download, withdraw."""

from django.urls import path

from incidents.documents import views as document_views

app_name = "documents"

urlpatterns = [
    path(
        "incidents/<int:incident_id>/documents/",
        document_views.incident_documents,
        name="list",
    ),
    path(
        "documents/<int:document_id>/download/",
        document_views.document_download,
        name="download",
    ),
    path(
        "documents/<int:document_id>/withdraw/",
        document_views.document_withdraw_view,
        name="withdraw",
    ),
]
