"""Who may do what with the council registry: everyone reads it (it is public information);
council and administration staff, and administrators, keep it."""

import rules

from glas.accounts.predicates import is_administrator, is_council_staff

rules.add_perm("council.manage_registry", is_council_staff | is_administrator)
