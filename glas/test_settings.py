"""Settings for the test suite: production settings with test keys and fast hashing.

Tests run with DEBUG off, like production. Only what must differ is changed here.
"""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("EGN_HASH_KEY", "test-only-egn-hash-key")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("GLAS_SITE_URL", "http://testserver")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("TASK_BACKEND", "immediate")

from glas.settings import *  # noqa: F403

# Fast hashing; one test checks the production hasher explicitly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic manifest in tests.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise warns on every test client when the collected-static directory is missing (a
# fresh clone has none; the tests find static files through the finders).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# The browser tests talk to a plain-HTTP live server.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# With pytest-xdist each worker gets its own Redis database: tests empty the cache before each
# test (FLUSHDB), which must not wipe another worker's rate-limit counters, used TOTP codes or
# cached sessions in the middle of its test.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(CACHES["default"]["LOCATION"])  # noqa: F405
    _base = int(_parts.path.strip("/") or 0)
    _index = (_base - 1 - int(_WORKER[2:])) % 16
    CACHES["default"]["LOCATION"] = urlunsplit(_parts._replace(path=f"/{_index}"))  # noqa: F405
