from django.apps import AppConfig


class PupilsConfig(AppConfig):
    """The school's pupil list kept in step with its MIS (docs/pupil-import.md)."""

    name = "pupils"
