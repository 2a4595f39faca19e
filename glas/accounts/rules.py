"""Who may do what with accounts (see also ``glas/core/rules.py``)."""

import rules

from glas.accounts.predicates import is_administrator, is_advisor, is_citizen, is_council_staff

rules.add_perm("accounts.verify_resident", is_advisor | is_council_staff)
rules.add_perm("accounts.manage_roles", is_administrator)
rules.add_perm("accounts.export_own_data", is_citizen)
rules.add_perm("accounts.delete_own_account", is_citizen)
