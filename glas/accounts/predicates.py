"""Role predicates shared by every app's ``rules.py``."""

from __future__ import annotations

from typing import Any

import rules

from glas.accounts.roles import Role, VerificationLevel


def _has_role(role: Role) -> Any:
    @rules.predicate(name=f"has_role_{role.value}")
    def predicate(user: Any) -> bool:
        return bool(user is not None and user.is_authenticated and user.has_role(role))

    return predicate


is_citizen = _has_role(Role.CITIZEN)
is_verified_resident = _has_role(Role.VERIFIED_RESIDENT)
is_advisor = _has_role(Role.ADVISOR)
is_commission_member = _has_role(Role.COMMISSION_MEMBER)
is_council_staff = _has_role(Role.COUNCIL_STAFF)
is_integrity_officer = _has_role(Role.INTEGRITY_OFFICER)
is_researcher = _has_role(Role.RESEARCHER)
is_administrator = _has_role(Role.ADMINISTRATOR)


@rules.predicate
def is_email_confirmed(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.verification_level >= VerificationLevel.EMAIL_CONFIRMED
    )


@rules.predicate
def is_staff_member(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff_member)
