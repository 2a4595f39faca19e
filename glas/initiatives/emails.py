"""Canonical e-mail addresses, so that one mailbox written differently signs a petition once.

The rules (applied after trimming and Unicode NFKC normalisation):

1. The whole address is lower-cased. (Strictly, the local part may be case-sensitive; no
   provider people use treats it so.)
2. Provider aliases become one domain: ``googlemail.com`` → ``gmail.com``; ``abv.bg`` has no
   alias; Microsoft's ``hotmail.*``/``live.*``/``outlook.*`` are *different* mailboxes and stay
   apart.
3. For providers that ignore dots in the local part (Gmail), the dots are removed.
4. For providers that deliver ``name+tag@`` to ``name@`` (Gmail, Outlook/Hotmail/Live, Yahoo
   uses ``-``, iCloud, Proton, Fastmail), everything from the tag separator on is removed.
   Other domains keep their ``+`` (a small mail server may treat it as part of the name).

The canonical form is used only to find duplicates; the person's own address is what we write to.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError

DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}
DOTS_IGNORED = {"gmail.com"}
TAG_SEPARATOR = {
    "gmail.com": "+",
    "outlook.com": "+",
    "hotmail.com": "+",
    "live.com": "+",
    "icloud.com": "+",
    "me.com": "+",
    "proton.me": "+",
    "protonmail.com": "+",
    "fastmail.com": "+",
    "yahoo.com": "-",
}
MAX_LENGTH = 254


def canonical_email(raw: str) -> str:
    """The canonical form of an address (see the module docstring), or a DomainError."""
    value = unicodedata.normalize("NFKC", (raw or "").strip()).lower()
    if not value or len(value) > MAX_LENGTH or value.count("@") != 1:
        raise DomainError(_("Enter a valid e-mail address."), field="email")
    local, domain = value.split("@")
    domain = DOMAIN_ALIASES.get(domain.rstrip("."), domain.rstrip("."))
    if not local or not domain or any(ch.isspace() for ch in value):
        raise DomainError(_("Enter a valid e-mail address."), field="email")
    separator = TAG_SEPARATOR.get(domain)
    if separator and separator in local:
        local = local.split(separator, 1)[0]
    if domain in DOTS_IGNORED:
        local = local.replace(".", "")
    if not local:
        raise DomainError(_("Enter a valid e-mail address."), field="email")
    return f"{local}@{domain}"


def email_domain(raw: str) -> str:
    return canonical_email(raw).split("@", 1)[1]


def email_identity_key(raw: str) -> str:
    """A keyed hash of the canonical address: what a petition signature is unique by."""
    key = settings.EGN_HASH_KEY.encode("utf-8")
    return "e:" + hmac.new(key, b"glas-email-v1:" + canonical_email(raw).encode("utf-8"), hashlib.sha256).hexdigest()
