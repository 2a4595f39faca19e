from django.urls import URLPattern, URLResolver, path

from glas.surveys.views import design, entry, fieldwork, respond

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = []

# --- Design: researchers build questionnaires (views/design.py) --------------------------------
_survey = "design/<uuid:public_id>/"
urlpatterns += [
    path("design/", design.design_list, name="design_list"),
    path("design/new/", design.design_create, name="design_create"),
    path("design/import/", design.design_import, name="design_import"),
    path(_survey, design.design_detail, name="design_detail"),
    path(f"{_survey}settings/", design.design_settings, name="design_settings"),
    path(f"{_survey}preview/", design.design_preview, name="design_preview"),
    path(f"{_survey}xlsform/", design.design_export_xlsform, name="design_export_xlsform"),
    path(f"{_survey}status/<slug:to>/", design.design_transition, name="design_transition"),
    path(f"{_survey}copy/", design.design_copy_wave, name="design_copy_wave"),
    path(f"{_survey}quotas/", design.design_quotas, name="design_quotas"),
    path(f"{_survey}quotas/<int:quota_id>/targets/", design.design_quota_targets, name="design_quota_targets"),
    path(f"{_survey}sections/add/", design.design_section_add, name="design_section_add"),
    path(f"{_survey}sections/<int:section_id>/edit/", design.design_section_edit, name="design_section_edit"),
    path(f"{_survey}sections/<int:section_id>/logic/", design.design_section_logic, name="design_section_logic"),
    path(f"{_survey}sections/<int:section_id>/move/", design.design_section_move, name="design_section_move"),
    path(f"{_survey}sections/<int:section_id>/delete/", design.design_section_delete, name="design_section_delete"),
    path(
        f"{_survey}sections/<int:section_id>/questions/new/",
        design.design_question_add,
        name="design_question_add",
    ),
    path(f"{_survey}questions/<int:question_id>/edit/", design.design_question_edit, name="design_question_edit"),
    path(f"{_survey}questions/<int:question_id>/logic/", design.design_question_logic, name="design_question_logic"),
    path(f"{_survey}questions/<int:question_id>/move/", design.design_question_move, name="design_question_move"),
    path(f"{_survey}questions/<int:question_id>/delete/", design.design_question_delete, name="design_question_delete"),
    path(f"{_survey}questions/<int:question_id>/choices/", design.design_choices, name="design_choices"),
    path(f"{_survey}options/<slug:kind>/<int:choice_id>/edit/", design.design_choice_edit, name="design_choice_edit"),
    path(f"{_survey}options/<slug:kind>/<int:choice_id>/move/", design.design_choice_move, name="design_choice_move"),
    path(
        f"{_survey}options/<slug:kind>/<int:choice_id>/delete/",
        design.design_choice_delete,
        name="design_choice_delete",
    ),
]


# --- Respondents: public link, invitation, save and resume, review, withdraw (views/respond.py) --
urlpatterns += [
    path("", respond.open_list, name="open_list"),
    path("<uuid:public_id>/", respond.respond_start, name="respond_start"),
    path("<uuid:public_id>/i/<str:token>/", respond.respond_invitation, name="respond_invitation"),
    path("r/<uuid:response_id>/", respond.respond_resume, name="respond_resume"),
    path("r/<uuid:response_id>/page/<int:number>/", respond.respond_page, name="respond_page"),
    path("r/<uuid:response_id>/review/", respond.respond_review, name="respond_review"),
    path("r/<uuid:response_id>/done/", respond.respond_done, name="respond_done"),
    path("r/<uuid:response_id>/withdraw/", respond.respond_withdraw, name="respond_withdraw"),
]


# --- Assisted, paper and phone entry; double entry (views/entry.py) ----------------------------
urlpatterns += [
    path("entry/", entry.entry_list, name="entry_list"),
    path("entry/<uuid:public_id>/new/", entry.entry_start, name="entry_start"),
    path("entry/r/<uuid:response_id>/", entry.entry_resume, name="entry_resume"),
    path("entry/r/<uuid:response_id>/page/<int:number>/", entry.entry_page, name="entry_page"),
    path("entry/r/<uuid:response_id>/review/", entry.entry_review, name="entry_review"),
    path("design/<uuid:public_id>/double-entry/", entry.entry_mismatches, name="entry_mismatches"),
]


# --- Fieldwork: invitations, letters, reminders, monitor (views/fieldwork.py) -------------------


urlpatterns += [
    path("design/<uuid:public_id>/invitations/", fieldwork.fieldwork_invitations, name="fieldwork_invitations"),
    path("design/<uuid:public_id>/invitations/upload/", fieldwork.fieldwork_upload, name="fieldwork_upload"),
    path("design/<uuid:public_id>/invitations/sample/", fieldwork.fieldwork_sample, name="fieldwork_sample"),
    path("design/<uuid:public_id>/invitations/send/", fieldwork.fieldwork_send, name="fieldwork_send"),
    path("design/<uuid:public_id>/invitations/letters.pdf", fieldwork.fieldwork_letters, name="fieldwork_letters"),
    path("design/<uuid:public_id>/monitor/", fieldwork.fieldwork_monitor, name="fieldwork_monitor"),
]


# --- Results: exports, codebook, public results (views/results.py) -----------------------------
from django.urls import path  # noqa: E402

from glas.surveys.views import results  # noqa: E402

urlpatterns += [
    path("design/<uuid:public_id>/data/", results.results_exports, name="results_exports"),
    path("design/<uuid:public_id>/data/publish/", results.results_publish, name="results_publish"),
    path("design/<uuid:public_id>/data/codebook/", results.results_codebook, name="results_codebook"),
    path("design/<uuid:public_id>/data/codebook.pdf", results.results_codebook_pdf, name="results_codebook_pdf"),
    path("design/<uuid:public_id>/data/<str:fmt>/", results.results_export, name="results_export"),
    path("<uuid:public_id>/results/", results.results_public, name="results_public"),
]


# --- Weighting and analysis (views/weighting.py) -----------------------------------------------
from glas.surveys.views import weighting  # noqa: E402

urlpatterns += [
    path("design/<uuid:public_id>/weighting/", weighting.weighting, name="weighting"),
    path("design/<uuid:public_id>/analysis/", weighting.analysis, name="analysis"),
]


# --- Reports: the builder, the public report, its files and finding links (views/reports.py) ----
from glas.surveys.views import reports  # noqa: E402

_report = "design/<uuid:public_id>/reports/<uuid:report_id>/"
urlpatterns += [
    path("design/<uuid:public_id>/reports/", reports.report_list, name="report_list"),
    path(_report, reports.report_edit, name="report_edit"),
    path(f"{_report}settings/", reports.report_settings, name="report_settings"),
    path(f"{_report}blocks/add/", reports.report_block_add, name="report_block_add"),
    path(f"{_report}blocks/<int:block_id>/edit/", reports.report_block_edit, name="report_block_edit"),
    path(f"{_report}blocks/<int:block_id>/move/", reports.report_block_move, name="report_block_move"),
    path(f"{_report}blocks/<int:block_id>/delete/", reports.report_block_delete, name="report_block_delete"),
    path(f"{_report}publish/", reports.report_publish, name="report_publish"),
    path("reports/<slug:slug>/", reports.report_public, name="report_public"),
    path("reports/<slug:slug>/report.pdf", reports.report_pdf, name="report_pdf"),
    path("reports/<slug:slug>/report.docx", reports.report_docx_download, name="report_docx"),
    path("findings/<uuid:report_id>/<slug:key>/", reports.finding_link, name="finding_link"),
]


# --- Coding open answers (views/coding.py) -----------------------------------------------------
from glas.surveys.views import coding  # noqa: E402

_coding = "design/<uuid:public_id>/coding/"
_coding_question = f"{_coding}<int:question_id>/"
urlpatterns += [
    path(_coding, coding.coding_index, name="coding_index"),
    path(_coding_question, coding.coding_question, name="coding_question"),
    path(f"{_coding_question}frame/", coding.coding_frame, name="coding_frame"),
    path(f"{_coding_question}codes/add/", coding.coding_code_add, name="coding_code_add"),
    path(f"{_coding_question}codes/<int:code_id>/edit/", coding.coding_code_edit, name="coding_code_edit"),
    path(f"{_coding_question}codes/<int:code_id>/delete/", coding.coding_code_delete, name="coding_code_delete"),
    path(f"{_coding_question}code/", coding.coding_code, name="coding_code"),
    path(f"{_coding_question}uncode/", coding.coding_uncode, name="coding_uncode"),
    path(f"{_coding_question}adjudicate/", coding.coding_adjudicate, name="coding_adjudicate"),
    path(f"{_coding_question}suggestions/", coding.coding_suggestions, name="coding_suggest"),
    path(f"{_coding_question}agreement/", coding.coding_agreement, name="coding_agreement"),
]
