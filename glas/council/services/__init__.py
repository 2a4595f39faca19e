"""Writes of the council registry (see each module)."""

from glas.council.services.imports import ImportRefused, ImportReport, decisions_import_csv, parse_decisions_csv
from glas.council.services.registry import (
    administration_unit_create,
    agenda_item_add,
    committee_create,
    council_session_create,
    council_session_update,
    councillor_create,
    councillor_leave,
    councillors_voting_on,
    decision_record,
    minutes_record,
    official_create,
    political_group_create,
    session_document_add,
    term_create,
    votes_record,
)

__all__ = [
    "ImportRefused",
    "ImportReport",
    "administration_unit_create",
    "agenda_item_add",
    "committee_create",
    "council_session_create",
    "council_session_update",
    "councillor_create",
    "councillor_leave",
    "councillors_voting_on",
    "decision_record",
    "decisions_import_csv",
    "minutes_record",
    "official_create",
    "parse_decisions_csv",
    "political_group_create",
    "session_document_add",
    "term_create",
    "votes_record",
]
