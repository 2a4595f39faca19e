"""Who may do what with municipality data, rules, the calendar and the audit log."""

import rules

from glas.accounts.predicates import is_administrator, is_citizen, is_council_staff, is_staff_member

rules.add_perm("core.view_staff_area", is_staff_member)
rules.add_perm("core.view_audit_log", is_administrator)
rules.add_perm("core.change_legal_rule", is_administrator | is_council_staff)
rules.add_perm("core.change_calendar", is_administrator | is_council_staff)
rules.add_perm("core.view_notifications", is_citizen)
