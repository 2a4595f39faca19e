"""Access helpers: fetch a registry object for a person, or raise 404/403. Public objects
(councillors, sessions, decisions, documents) are readable by anyone; changing them needs
``council.manage_registry``."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from glas.core.access import require_perm
from glas.core.selectors import current_municipality
from glas.council.models import Councillor, Decision, Minutes, Session, SessionDocument, Term
from glas.council.selectors import current_term, decision_detail, session_detail

MANAGE = "council.manage_registry"


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def get_current_term() -> Term:
    term = current_term(current_municipality())
    if term is None:
        raise Http404
    return term


def get_term_for_change(user: Any) -> Term:
    require_perm(user, MANAGE)
    return get_current_term()


def get_public_councillor(pk: int) -> Councillor:
    return get_object_or_404(Councillor.objects.select_related("group", "term"), pk=pk)


def get_public_session(pk: int) -> Session:
    session = session_detail(pk)
    if session is None:
        raise Http404
    return session


def get_public_decision(public_id: Any) -> Decision:
    decision = decision_detail(_uuid(public_id))
    if decision is None:
        raise Http404
    return decision


def get_public_document(pk: int) -> SessionDocument:
    return get_object_or_404(SessionDocument, pk=pk)


def get_public_minutes_file(session_pk: int) -> Minutes:
    return get_object_or_404(Minutes.objects.exclude(file=""), session_id=session_pk)


def get_session_for_change(user: Any, pk: int) -> Session:
    require_perm(user, MANAGE)
    return get_object_or_404(Session.objects.select_related("term"), pk=pk)


def get_decision_for_change(user: Any, public_id: Any) -> Decision:
    require_perm(user, MANAGE)
    return get_object_or_404(
        Decision.objects.select_related("term", "session", "agenda_item", "committee"), public_id=_uuid(public_id)
    )
