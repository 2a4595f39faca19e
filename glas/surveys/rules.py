"""Who may do what with surveys: researchers and administrators design and run them; bureau
advisors (and researchers) enter paper questionnaires and phone interviews."""

from typing import Any

import rules

from glas.accounts.predicates import is_administrator, is_advisor, is_researcher


@rules.predicate
def is_respondent(user: Any, response: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and response is not None
        and response.respondent_id is not None
        and response.respondent_id == user.pk
    )


is_designer = is_researcher | is_administrator

rules.add_perm("surveys.design_survey", is_designer)
rules.add_perm("surveys.run_fieldwork", is_designer)
rules.add_perm("surveys.view_results", is_designer)
rules.add_perm("surveys.enter_responses", is_advisor | is_designer)
rules.add_perm("surveys.withdraw_response", is_respondent)
# Weighting a survey to the population and analysing its answers (issue 4): researchers and
# administrators, like the rest of the results.
rules.add_perm("surveys.weight_survey", is_designer)
rules.add_perm("surveys.analyse_results", is_designer)
# Reports on surveys (services/reports.py): written and published by researchers and
# administrators; a published report is public (access.get_report_for_reader).
rules.add_perm("surveys.edit_reports", is_designer)
# Coding open answers may show names people wrote in them: researchers and administrators only.
rules.add_perm("surveys.code_answers", is_designer)
