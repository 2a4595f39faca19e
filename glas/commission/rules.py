"""Who may do what in the Consultative Commission: council staff and administrators set it up and
run its meetings; commission members draft opinions, declare conflicts, vote and dissent."""

import rules

from glas.accounts.predicates import is_administrator, is_commission_member, is_council_staff

is_secretariat = is_council_staff | is_administrator

rules.add_perm("commission.manage", is_secretariat)
rules.add_perm("commission.take_part", is_commission_member)
rules.add_perm("commission.open_workspace", is_commission_member | is_secretariat)
