"""Receipt codes: 20 random digits shown to the reporter once, stored only as an argon2id hash.

The hash is deterministic (a salt derived from the site's secret key, the same for every code)
so that a report can be found by its code; each guess costs an argon2id computation and guesses
are throttled in ``views`` — with 10^20 possible codes, guessing is hopeless.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings

DIGITS = 20
_SHAPE = re.compile(r"^\d{20}$")


def new_receipt() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def display(receipt: str) -> str:
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def normalise(typed: str) -> str | None:
    digits = re.sub(r"[\s\-]", "", typed or "")
    return digits if _SHAPE.match(digits) else None


def _salt() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"glas-integrity-receipt", hashlib.sha256).digest()[:16]


def receipt_hash(receipt: str) -> str:
    raw = hash_secret_raw(
        receipt.encode(), _salt(), time_cost=3, memory_cost=19 * 1024, parallelism=1, hash_len=32, type=Type.ID
    )
    return raw.hex()


def reporter_secret(receipt: str, salt: bytes) -> bytes:
    """A 256-bit key from the receipt code and a report's own salt (argon2id): it seals the
    report's data key for the reporter, who holds no key pair."""
    return hash_secret_raw(
        receipt.encode(), salt, time_cost=3, memory_cost=19 * 1024, parallelism=1, hash_len=32, type=Type.ID
    )
