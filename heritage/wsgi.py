"""WSGI entry point, used by gunicorn (and by the benchmark, which calls it as gunicorn does)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings")

application = get_wsgi_application()
