"""Who may do what with draft acts and their consultations.

Council and administration staff prepare drafts, set the consultation term, answer the
proposals, publish the справка and send the draft to the council. Bureau advisors (and council
staff) enter proposals received by e-mail, post or in person. Council staff moderate.
Anyone with a confirmed e-mail may comment and support or oppose others' proposals; people
without an account take part with a name and an e-mail address they confirm.
"""

import rules

from glas.accounts.predicates import is_administrator, is_advisor, is_council_staff, is_email_confirmed

is_consultation_manager = is_council_staff | is_administrator

rules.add_perm("consultations.manage_draft", is_consultation_manager)
rules.add_perm("consultations.answer_proposals", is_council_staff)
rules.add_perm("consultations.publish_report", is_council_staff)
rules.add_perm("consultations.moderate", is_consultation_manager)
rules.add_perm("consultations.enter_proposals", is_advisor | is_consultation_manager)
rules.add_perm("consultations.take_part", is_email_confirmed)
rules.add_perm("consultations.subscribe", is_email_confirmed)
