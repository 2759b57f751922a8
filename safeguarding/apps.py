from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding (core)"

    def ready(self) -> None:
        from safeguarding import no_delete, two_factor  # noqa: F401 (connects its signal)

        no_delete.connect()
