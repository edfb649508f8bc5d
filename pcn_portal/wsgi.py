"""WSGI entry point, served by gunicorn in production: gunicorn pcn_portal.wsgi."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn_portal.settings")

application = get_wsgi_application()
