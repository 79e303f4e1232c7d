pytest_plugins = ["tests.fixtures"]


def pytest_configure(config):
    from django.conf import settings

    # Tests create many users; the real PBKDF2 hasher costs ~0.4 s per password on a small box.
    # A fast hasher here only (production keeps Django's defaults).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
