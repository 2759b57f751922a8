from django.apps import AppConfig


class TransfersConfig(AppConfig):
    """A pupil's safeguarding file sent to their new school (docs/transfers.md)."""

    name = "transfers"

    def ready(self) -> None:
        from safeguarding.history_chain import register_audit_check
        from transfers.package.verification import verify_transferred_files

        register_audit_check(verify_transferred_files)
