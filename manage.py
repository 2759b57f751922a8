#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings")
    if sys.argv[1:2] == ["makemigrations"]:
        # It compares model definitions with migration files: it signs nothing and
        # serves nothing, so it may run (and be checked) without production secrets.
        os.environ.setdefault("SECRET_KEY", "makemigrations-signs-nothing")
        os.environ.setdefault("ALLOWED_HOSTS", "localhost")
        os.environ.setdefault("SITE_URL", "http://localhost")
        os.environ.setdefault("DEFAULT_FROM_EMAIL", "makemigrations@localhost")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Django would otherwise swallow a settings error and fail later with an unrelated
    # "Models aren't loaded yet"; say what is missing instead.
    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings)
    except ImproperlyConfigured as error:
        sys.exit(
            f"Configuration error: {error} Production settings are in force; for development "
            "set DJANGO_DEBUG=true (see .env.example and docs/deployment.md)."
        )
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
