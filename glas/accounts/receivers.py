"""allauth signals, each handed straight to a service (no logic here)."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed)
def _on_email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    from glas.accounts.services import account_email_confirmed

    account_email_confirmed(user=email_address.user)
