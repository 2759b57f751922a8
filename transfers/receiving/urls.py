from django.urls import path

from transfers.receiving import views

urlpatterns = [
    path("transfers/incoming/<int:transfer_id>/", views.incoming, name="incoming"),
    path("transfers/incoming/<int:transfer_id>/confirm/", views.confirm, name="confirm"),
    path("transfers/incoming/<int:transfer_id>/open/", views.open_incoming, name="open"),
    path("transfers/incoming/<int:transfer_id>/accept/", views.accept, name="accept"),
    path("schools/<int:school_id>/transfers/import/", views.import_package, name="import"),
    path("transfers/files/<int:file_id>/", views.file, name="file"),
    path("transfers/files/<int:file_id>/pdf/", views.file_pdf, name="file_pdf"),
    path("transfers/receipt/<str:token>/", views.receipt, name="receipt"),
]
