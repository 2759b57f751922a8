"""Logging an incident step by step (being written)."""

app_name = "log"
urlpatterns: list = []
