"""A person's roles and second-factor state, read on every signed-in request.

Each page needs the person's roles (their group names: what they may see) and, for staff,
whether they have a TOTP authenticator (``StaffMFAMiddleware``). Both are hot reads
(``glas/core/hotcache.py``): cached with Redis and forgotten by the receivers in
``glas/accounts/receivers.py`` whenever a group membership, a group or an authenticator changes.
Everything else a permission depends on (``is_active``, ``deleted_at``, the verification
level) is on the user row, which is read fresh on every request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glas.core.hotcache import cached_read
from glas.core.hotcache import forget as forget_keys


def _roles_key(pk: Any) -> str:
    return f"accounts:groups:{pk}"


def _totp_key(pk: Any) -> str:
    return f"accounts:totp:{pk}"


# Read on every signed-in request (in the batch of ``HotReadsMiddleware``).
hot_keys = (_roles_key, _totp_key)


def group_names(user: Any) -> frozenset[str]:
    """The names of the person's groups (their staff roles)."""
    return cached_read(_roles_key(user.pk), lambda: frozenset(user.groups.values_list("name", flat=True)))


def has_totp(user: Any) -> bool:
    """Whether the person has activated a TOTP authenticator."""
    from allauth.mfa.models import Authenticator

    return cached_read(
        _totp_key(user.pk), lambda: Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def forget(pks: Iterable[Any]) -> None:
    """Drop what is cached for these people."""
    forget_keys(key for pk in pks if pk is not None for key in (_roles_key(pk), _totp_key(pk)))
