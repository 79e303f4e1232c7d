"""Settings for the benchmark's gunicorn: the product's settings with the benchmark's URLconf.

Only ROOT_URLCONF differs, so requests go through exactly the product's middleware
(sessions, auth, CSRF, CSP, axes, WhiteNoise); see bench_urls.py.
"""
from dangjian.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench_urls"
