"""Reading settings from the environment, failing loudly on anything malformed.

Every setting that differs between a developer's laptop and production comes from an
environment variable. A value that cannot be parsed stops the process at start-up with a
message that names the variable, instead of running with a surprising default.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        if default is None:
            return ""
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_list(name: str, default: list[str], *, required: bool = False) -> list[str]:
    value = os.environ.get(name)
    items = default if value is None else [item.strip() for item in value.split(",") if item.strip()]
    if required and not items:
        raise ImproperlyConfigured(f"The environment variable {name} must be set (a comma-separated list).")
    return items


def email_settings_from_url(url: str) -> dict[str, Any]:
    """Turn EMAIL_URL into Django's EMAIL_* settings.

    Supported forms: ``console://``, ``locmem://``, ``smtp://user:pass@host:587?tls=1``
    and ``smtps://user:pass@host:465`` (implicit TLS). Anything else is a configuration error.
    """
    parsed = urlparse(url)
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ImproperlyConfigured(f"EMAIL_URL scheme must be one of {sorted(backends)}, not {parsed.scheme!r}.")
    result: dict[str, Any] = {"EMAIL_BACKEND": backends[parsed.scheme]}
    if parsed.scheme.startswith("smtp"):
        if not parsed.hostname:
            raise ImproperlyConfigured("EMAIL_URL must name the SMTP host.")
        try:
            port = parsed.port
        except ValueError:
            raise ImproperlyConfigured("EMAIL_URL has a port that is not a number from 0 to 65535.") from None
        result.update(
            EMAIL_HOST=parsed.hostname,
            EMAIL_PORT=port or (465 if parsed.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=parsed.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", "0").lower() in _TRUE,
        )
    return result
