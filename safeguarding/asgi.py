"""ASGI entry point, for servers that prefer it to WSGI."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings")
application = get_asgi_application()
