"""Access helpers: fetch a case for a person, or raise 404/403."""

from __future__ import annotations

import hmac
from typing import Any

from django.http import Http404

from glas.bureau.models import Case
from glas.bureau.selectors import case_list_flags
from glas.bureau.services import token_hash
from glas.core.access import require_perm
from glas.core.compiled import compiled

REFERENCE_MAX = 20


def _case_by_reference(reference: str, *, list_flags: bool = False) -> Case:
    """The case with this reference, or 404. With ``list_flags`` (the advisor's case page and
    steps) it also carries whether it has referrals, shares and linked articles
    (``selectors.CASE_READ_FLAGS``), so that the page reads only the lists it has."""
    if not isinstance(reference, str) or len(reference) > REFERENCE_MAX:
        raise Http404

    def query(key: Any) -> Any:
        cases = Case.objects.select_related("settlement", "assigned_to", "citizen")
        if list_flags:
            cases = cases.annotate(**case_list_flags())
        return cases.filter(reference=key).order_by("pk")[:1]

    # Compiled once per process (glas.core.compiled): every case page and action reads it.
    statement = compiled(
        "bureau.case_by_reference_with_flags" if list_flags else "bureau.case_by_reference",
        query,
        key_fields=[Case._meta.get_field("reference")],
        samples=["sample-reference"],
    )
    case = statement.instance(reference)
    if case is None:
        raise Http404
    return case  # type: ignore[return-value]


def get_case_for_advisor(user: Any, reference: str) -> Case:
    """A case for the bureau: its assigned advisor, advisors it is shared with, supervisors.
    Another advisor's case answers 404, as if it did not exist."""
    require_perm(user, "bureau.work_cases")
    case = _case_by_reference(reference, list_flags=True)
    if not user.has_perm("bureau.view_case", case):
        raise Http404
    return case


def get_case_for_citizen(user: Any, reference: str) -> Case:
    """The signed-in citizen's own case."""
    case = _case_by_reference(reference)
    if not user.has_perm("bureau.follow_case", case) or case.status == Case.Status.UNCONFIRMED:
        raise Http404
    return case


def get_case_by_follow_link(reference: str, token: str) -> Case:
    """The case whose secret follow link this is; 404 for any other reference or token."""
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        raise Http404
    case = _case_by_reference(reference)
    if (
        case.follow_token_hash is None
        or not hmac.compare_digest(case.follow_token_hash, token_hash(token))
        or case.status == Case.Status.UNCONFIRMED
    ):
        raise Http404
    return case
