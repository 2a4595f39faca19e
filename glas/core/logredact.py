"""Secret links never reach a log.

Some addresses carry a secret that opens personal data to whoever holds it: the bureau's
follow, confirmation and appointment links, the committee and contribution confirmations, a
survey invitation, and allauth's e-mail confirmation and password reset keys. Django logs the
path of a refused CSRF check and of every server error, and gunicorn's access log writes the
request line of every request. ``redact_secrets`` replaces the secret part of such a path with
"…"; ``RedactSecretsFilter`` applies it to every record of Django's logging (settings.LOGGING)
and ``GunicornLogger`` to the access log (gunicorn.conf.py). Standard library and gunicorn only:
gunicorn loads this module before Django is set up.
"""

from __future__ import annotations

import logging
import re
from typing import Any

# Each alternative ends just before the secret path segment; a language prefix (/bg/, /en/) may
# come before it. tests: glas/core/tests/test_logredact.py reverses each URL name to check them.
SECRET_PATH = re.compile(
    r"(/(?:bureau/confirm|bureau/follow/[^/\s?\"]+|bureau/appointments/b|consultations/confirm"
    r"|initiatives/committee|surveys/[0-9A-Fa-f-]{36}/i|accounts/confirm-email"
    r"|accounts/password/reset/key)/)[^/\s?\"]+"
)
REDACTED = "…"


def redact_secrets(text: str) -> str:
    return SECRET_PATH.sub(rf"\g<1>{REDACTED}", text)


class RedactSecretsFilter(logging.Filter):
    """Rewrites the message of every record that names a secret link (the arguments too, as the
    message is formatted once here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is installed wherever Glas is served
    _GunicornLogger = object  # type: ignore[assignment,misc]


class GunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's logger, with secret links taken out of the request line and the path."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_secrets(atoms[key])
        return atoms
