"""WSGI entry point for gunicorn: `gunicorn reformtrack.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reformtrack.settings")
application = get_wsgi_application()
