"""The risk assessment (002 §3.4, Annex A): a DSL records what the further review found."""

from django.urls import path

from incidents.risk import views as risk_views

app_name = "risk"

urlpatterns = [
    path("incidents/<int:incident_id>/risk/", risk_views.assess, name="assess"),
]
