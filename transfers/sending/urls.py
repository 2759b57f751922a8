from django.urls import path

from transfers.sending import views

urlpatterns = [
    path("schools/<int:school_id>/transfers/", views.school_transfers, name="list"),
    path("pupils/<int:pupil_id>/transfer/", views.start, name="start"),
    path("pupils/<int:pupil_id>/shared-in-advance/", views.advance_share, name="advance_share"),
    path("transfers/<int:transfer_id>/", views.detail, name="detail"),
    path("transfers/<int:transfer_id>/passphrase/", views.passphrase, name="passphrase"),
    path("transfers/<int:transfer_id>/receipt/", views.receipt_by_hand, name="receipt_by_hand"),
    path("transfers/<int:transfer_id>/package/", views.package, name="package"),
]
