from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.api.models import ApiToken, hash_token
from glas.core.audit import audit_log
from glas.core.exceptions import DomainError

if TYPE_CHECKING:
    from glas.accounts.models import User

MAX_ACTIVE_TOKENS = 10


def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the secret, which is never shown again."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    with transaction.atomic():
        if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
            raise DomainError(_("You have too many active tokens. Revoke one first."), field="name")
        secret = "glas_" + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(user=actor, name=name[:100], prefix=secret[5:13], token_hash=hash_token(secret))
        audit_log(actor=actor, action="api.token.created", obj=token, data={"prefix": token.prefix})
    return token, secret


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, user=actor, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit_log(actor=actor, action="api.token.revoked", obj=token, data={"prefix": token.prefix})
