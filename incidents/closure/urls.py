"""Closing and reopening a case (issue 5 item 9)."""

from django.urls import path

from incidents.closure import views as closure_views

app_name = "closure"

urlpatterns = [
    path("incidents/<int:incident_id>/close/", closure_views.close, name="close"),
    path("incidents/<int:incident_id>/reopen/", closure_views.reopen, name="reopen"),
]
