"""Who may do what in integrity: only integrity officers handle reports; nobody else (advisors,
council staff, administrators included) can open them. The register of interest declarations is
public; council staff, integrity officers and administrators enter declarations, and only
integrity officers review the votes flagged against them."""

import rules

from glas.accounts.predicates import is_administrator, is_council_staff, is_integrity_officer

rules.add_perm("integrity.handle_reports", is_integrity_officer)
rules.add_perm("integrity.view_register", is_integrity_officer)

rules.add_perm("integrity.manage_declarations", is_council_staff | is_integrity_officer | is_administrator)
rules.add_perm("integrity.review_flags", is_integrity_officer)
