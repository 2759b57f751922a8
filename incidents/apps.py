from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"

    def ready(self) -> None:
        # `triage.services` connects the receiver that re-triages a pupil's incidents when
        # the core saves the pupil (safeguarding.signals.pupil_saved); `signoff.notify`
        # tells the headteacher when an item comes to their sign-off queue.
        from incidents.signoff import notify
        from incidents.triage import services  # noqa: F401

        notify.connect()
