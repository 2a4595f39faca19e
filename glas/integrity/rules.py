"""Who may do what in the integrity channel: only integrity officers handle reports; nobody else
(advisors, council staff, administrators included) can open them. The public register of
declarations is open to all; officers keep it."""

import rules

from glas.accounts.predicates import is_integrity_officer

rules.add_perm("integrity.handle_reports", is_integrity_officer)
rules.add_perm("integrity.view_register", is_integrity_officer)
