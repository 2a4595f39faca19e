"""Writes for surveys, split by sub-domain: ``design`` (questionnaires, quotas, XLSForm import)
and ``fieldwork`` (invitations, responses). Import the functions from here."""

from glas.surveys.services.common import AnswersInvalid
from glas.surveys.services.design import (
    LIKERT_LABELS,
    QUESTION_FIELDS,
    QUESTION_WORDING,
    SECTION_FIELDS,
    SURVEY_FIELDS,
    TRANSITIONS,
    YES_NO_CHOICES,
    cell_key,
    check_choice_pairs,
    check_question_fields,
    choice_add,
    choice_delete,
    choice_move,
    choice_update,
    question_add,
    question_delete,
    question_move,
    question_update,
    quota_cell_set_target,
    quota_define,
    section_add,
    section_delete,
    section_move,
    section_update,
    survey_copy_as_wave,
    survey_create,
    survey_import_xlsform,
    survey_transition,
    survey_update,
)
from glas.surveys.services.fieldwork import (
    invitation_create,
    invitation_token,
    response_save_answers,
    response_start,
    response_submit,
    response_withdraw,
    token_hash,
)

# --- Fieldwork: invitation tokens derived again, samples, sending, letters ---
from glas.surveys.services.invitations import (
    ImportReport,
    invitation_refusal,
    invitations_draw_sample,
    invitations_import_csv,
    invitations_send,
)

# Results: publishing and export audit (services/results.py)
from glas.surveys.services.results import survey_export_log, survey_results_publish

# Weighting: design and population margins (services/weighting.py)
from glas.surveys.services.weighting import ProposedMargins, settlement_margins, survey_weighting_set

__all__ = [
    "LIKERT_LABELS",
    "QUESTION_FIELDS",
    "QUESTION_WORDING",
    "SECTION_FIELDS",
    "SURVEY_FIELDS",
    "TRANSITIONS",
    "YES_NO_CHOICES",
    "AnswersInvalid",
    "cell_key",
    "check_choice_pairs",
    "check_question_fields",
    "choice_add",
    "choice_delete",
    "choice_move",
    "choice_update",
    "invitation_create",
    "question_add",
    "question_delete",
    "question_move",
    "question_update",
    "quota_cell_set_target",
    "quota_define",
    "response_save_answers",
    "response_start",
    "response_submit",
    "response_withdraw",
    "section_add",
    "section_delete",
    "section_move",
    "section_update",
    "survey_copy_as_wave",
    "survey_create",
    "survey_import_xlsform",
    "survey_transition",
    "survey_update",
    "token_hash",
    # Results (services/results.py)
    "survey_export_log",
    "survey_results_publish",
]

# --- Fieldwork: invitation tokens derived again, samples, sending, letters ---
__all__ += [
    "ImportReport",
    "invitation_token",
    "invitation_refusal",
    "invitations_draw_sample",
    "invitations_import_csv",
    "invitations_send",
]

# --- Weighting (services/weighting.py) ---
__all__ += ["ProposedMargins", "settlement_margins", "survey_weighting_set"]


# --- Reports: the report builder and publishing (services/reports.py) ---
from glas.surveys.services.reports import (  # noqa: E402
    block_add,
    block_delete,
    block_move,
    block_update,
    report_create,
    report_publish,
    report_unpublish,
    report_update,
)

__all__ += [
    "block_add",
    "block_delete",
    "block_move",
    "block_update",
    "report_create",
    "report_publish",
    "report_unpublish",
    "report_update",
]

# --- Coding open answers (services/coding.py) ---
from glas.surveys.services.coding import (  # noqa: E402
    answer_uncode,
    answers_code_bulk,
    code_create,
    code_delete,
    code_frame_create,
    code_frame_update,
    code_update,
    coding_adjudicate,
)

__all__ += [
    "answer_uncode",
    "answers_code_bulk",
    "code_create",
    "code_delete",
    "code_frame_create",
    "code_frame_update",
    "code_update",
    "coding_adjudicate",
]
