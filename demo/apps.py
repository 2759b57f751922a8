from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data builder: the top layer, which may use every app and which nothing uses."""

    name = "demo"
    verbose_name = "Demo data"
