"""The DSL's caseload, incident pages and pupil chronologies (being written)."""

app_name = "cases"
urlpatterns: list = []
