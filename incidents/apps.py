from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"

    def ready(self) -> None:
        # Connects the receiver that re-triages a pupil's incidents when the core saves
        # the pupil (safeguarding.signals.pupil_saved).
        from incidents.triage import services  # noqa: F401
