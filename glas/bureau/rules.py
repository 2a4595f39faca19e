"""Who may do what in the bureau.

Advisors (volunteer experts and municipal staff) work the cases assigned to them or shared with
them; supervisors (advisors whose profile says so) and administrators triage, assign and see
every case. Citizens see only their own cases.
"""

from __future__ import annotations

from typing import Any

import rules

from glas.accounts.predicates import is_administrator, is_advisor
from glas.core.hotcache import cached_read


def supervisor_cache_key(user_id: int) -> str:
    return f"bureau:supervisor:{user_id}"


@rules.predicate
def is_bureau_supervisor(user: Any) -> bool:
    """An advisor whose bureau profile marks them as supervisor. Asked several times on every
    bureau page: kept on the user object for the request and, with Redis, across requests
    (forgotten whenever an advisor profile is saved or deleted: ``glas/bureau/receivers.py``)."""
    if user is None or not user.is_authenticated or not user.has_role("advisor"):
        return False
    cached = getattr(user, "_bureau_supervisor", None)
    if cached is None:
        from glas.bureau.models import AdvisorProfile

        cached = cached_read(
            supervisor_cache_key(user.pk),
            lambda: AdvisorProfile.objects.filter(user_id=user.pk, is_supervisor=True).exists(),
        )
        user._bureau_supervisor = cached
    return bool(cached)


@rules.predicate
def is_assigned_advisor(user: Any, case: Any) -> bool:
    return bool(case is not None and user.is_authenticated and case.assigned_to_id == user.pk)


@rules.predicate
def is_shared_with(user: Any, case: Any) -> bool:
    return bool(case is not None and user.is_authenticated and case.shared_with.filter(pk=user.pk).exists())


@rules.predicate
def is_case_citizen(user: Any, case: Any) -> bool:
    return bool(case is not None and user.is_authenticated and case.citizen_id == user.pk)


supervises = (is_advisor & is_bureau_supervisor) | is_administrator

rules.add_perm("bureau.work_cases", is_advisor | is_administrator)
rules.add_perm("bureau.supervise", supervises)
rules.add_perm("bureau.view_case", supervises | (is_advisor & (is_assigned_advisor | is_shared_with)))
rules.add_perm("bureau.work_case", supervises | (is_advisor & is_assigned_advisor))
rules.add_perm("bureau.follow_case", is_case_citizen)
