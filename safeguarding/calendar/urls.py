from django.urls import path

from safeguarding.calendar import views

app_name = "calendar"

urlpatterns = [
    path("schools/<int:school_id>/calendar/", views.calendar, name="calendar"),
    path("schools/<int:school_id>/calendar/terms/", views.term_add, name="term_add"),
    path(
        "schools/<int:school_id>/calendar/terms/<int:term_id>/remove/",
        views.term_remove,
        name="term_remove",
    ),
    path("schools/<int:school_id>/calendar/closures/", views.closure_add, name="closure_add"),
    path(
        "schools/<int:school_id>/calendar/closures/<int:closure_id>/remove/",
        views.closure_remove,
        name="closure_remove",
    ),
]
