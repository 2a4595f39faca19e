"""Keys held for the length of a working session: an officer's unlocked private key, or the
data key of the report a reporter is following.

The secret is sealed with a random key that lives only in a cookie of the browser (HttpOnly,
SameSite=Strict), and the sealed blob is kept in the server-side session. Neither the database,
the cache nor the browser alone can open a report; closing the browser or 30 minutes without
activity locks it again.
"""

from __future__ import annotations

import base64
import os
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from glas.integrity import crypto

IDLE_SECONDS = 30 * 60
SLOTS = ("officer", "reporter")


def _names(slot: str) -> tuple[str, str]:
    if slot not in SLOTS:
        raise ValueError(slot)
    return f"glas_integrity_{slot}", f"integrity_{slot}"


def remember(request: HttpRequest, response: HttpResponse, slot: str, secret: bytes, **extra: Any) -> None:
    cookie, session = _names(slot)
    key = os.urandom(crypto.KEY)
    request.session[session] = {
        "blob": base64.b64encode(crypto.seal(key, secret, slot.encode())).decode(),
        "seen": time.time(),
        **extra,
    }
    response.set_cookie(
        cookie,
        base64.urlsafe_b64encode(key).decode(),
        httponly=True,
        secure=not settings.DEBUG,
        samesite="Strict",
        path="/",
    )


def recall(request: HttpRequest, slot: str) -> tuple[bytes, dict[str, Any]] | None:
    """The secret and the extra values stored with it, or None when locked."""
    cookie_name, session_name = _names(slot)
    stored = request.session.get(session_name)
    cookie = request.COOKIES.get(cookie_name)
    if not stored or not cookie:
        return None
    if time.time() - float(stored.get("seen", 0)) > IDLE_SECONDS:
        request.session.pop(session_name, None)
        return None
    try:
        secret = crypto.unseal(base64.urlsafe_b64decode(cookie), base64.b64decode(stored["blob"]), slot.encode())
    except (crypto.CryptoError, ValueError, TypeError, KeyError):
        return None
    stored["seen"] = time.time()
    request.session[session_name] = stored
    return secret, {k: v for k, v in stored.items() if k not in ("blob", "seen")}


def forget(request: HttpRequest, response: HttpResponse, slot: str) -> None:
    cookie, session = _names(slot)
    request.session.pop(session, None)
    response.delete_cookie(cookie, path="/")
