"""Who may do what with initiatives: anyone with a confirmed e-mail starts one; its promoter and
confirmed committee members run it and enter paper lists; council staff (and administrators)
review admissibility, verify signatures and record the council's decision."""

from typing import Any

import rules

from glas.accounts.predicates import is_administrator, is_council_staff, is_email_confirmed


@rules.predicate
def is_committee_member(user: Any, initiative: Any) -> bool:
    if user is None or not user.is_authenticated or initiative is None:
        return False
    if initiative.promoter_id == user.pk:
        return True
    return initiative.committee.filter(user=user, confirmed_at__isnull=False).exists()


is_council = is_council_staff | is_administrator

rules.add_perm("initiatives.create_initiative", is_email_confirmed)
rules.add_perm("initiatives.manage_initiative", is_committee_member)
rules.add_perm("initiatives.enter_paper_signatures", is_committee_member | is_council)
rules.add_perm("initiatives.review_initiative", is_council)
rules.add_perm("initiatives.verify_signatures", is_council)
rules.add_perm("initiatives.record_decision", is_council)
