"""allauth signals, each handed straight to a service, and the receivers that keep the
per-person cache (``glas/accounts/cache.py``) true."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from glas.accounts.models import User


@receiver(email_confirmed)
def _on_email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    from glas.accounts.services import account_email_confirmed

    account_email_confirmed(user=email_address.user)


# --- Keep the cached roles and second-factor state (glas/accounts/cache.py) true -------------


def _forget_members(group: Any) -> None:
    from glas.accounts import cache as person_cache

    person_cache.forget(group.user_set.values_list("pk", flat=True))


@receiver(m2m_changed, sender=User.groups.through)
def _on_groups_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    from glas.accounts import cache as person_cache

    if action not in {"post_add", "post_remove", "pre_clear", "post_clear"}:
        return
    if not reverse:
        person_cache.forget([instance.pk])
    elif action == "pre_clear":
        _forget_members(instance)
    elif pk_set:
        person_cache.forget(pk_set)


@receiver(post_save, sender=Group)
def _on_group_saved(sender: Any, instance: Group, created: bool, **kwargs: Any) -> None:
    if not created:
        _forget_members(instance)


@receiver(pre_delete, sender=Group)
def _on_group_deleted(sender: Any, instance: Group, **kwargs: Any) -> None:
    _forget_members(instance)


@receiver(post_save, sender=Authenticator)
@receiver(post_delete, sender=Authenticator)
def _on_authenticator_changed(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    from glas.accounts import cache as person_cache

    person_cache.forget([instance.user_id])
