"""WSGI entry point of the benchmark's gunicorn (run with --pythonpath bench/)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
application = get_wsgi_application()
