"""Counting a roll call and checking its outcome against the required majority.

ЗМСМА art. 27: the council sits when more than half of all councillors are present (quorum);
a decision needs more than half of those present (simple majority) unless the law asks for more
than half of all councillors (absolute: budget, municipal property, loans) or two thirds of all
councillors. Absent councillors count neither as present nor as votes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from glas.council.models import Decision, Vote


@dataclass(frozen=True)
class Tally:
    votes_for: int
    against: int
    abstained: int
    absent: int
    seats: int
    required_majority: str

    @property
    def present(self) -> int:
        return self.votes_for + self.against + self.abstained

    @property
    def recorded(self) -> int:
        return self.present + self.absent

    @property
    def quorum(self) -> int:
        """Councillors who must be present: more than half of all."""
        return self.seats // 2 + 1

    @property
    def has_quorum(self) -> bool:
        return self.present >= self.quorum

    @property
    def needed(self) -> int:
        """Votes "for" needed to adopt."""
        if self.required_majority == Decision.Majority.ABSOLUTE:
            return self.seats // 2 + 1
        if self.required_majority == Decision.Majority.TWO_THIRDS:
            return -(-2 * self.seats // 3)  # ceiling of 2/3 of all councillors
        return self.present // 2 + 1

    @property
    def passes(self) -> bool:
        return self.has_quorum and self.votes_for >= self.needed


def tally_of(choices: Iterable[str], *, seats: int, required_majority: str) -> Tally:
    counts = dict.fromkeys(Vote.Choice.values, 0)
    for choice in choices:
        counts[choice] += 1
    return Tally(
        votes_for=counts[Vote.Choice.FOR],
        against=counts[Vote.Choice.AGAINST],
        abstained=counts[Vote.Choice.ABSTAINED],
        absent=counts[Vote.Choice.ABSENT],
        seats=seats,
        required_majority=required_majority,
    )


def outcome_problem(tally: Tally, status: str) -> str | None:
    """Why a roll call contradicts the recorded status, or None. Only adopted and rejected
    decisions are checked; a decision without a roll call is not."""
    if tally.recorded == 0:
        return None
    if status == Decision.Status.ADOPTED and not tally.passes:
        if not tally.has_quorum:
            return _("Only %(present)s councillors voted: the council had no quorum (%(quorum)s needed).") % {
                "present": tally.present,
                "quorum": tally.quorum,
            }
        return _("The roll call has %(for)s votes for, %(needed)s were needed: the decision cannot be adopted.") % {
            "for": tally.votes_for,
            "needed": tally.needed,
        }
    if status == Decision.Status.REJECTED and tally.passes:
        return _("The roll call has the majority needed (%(for)s for): the decision cannot be rejected.") % {
            "for": tally.votes_for
        }
    return None
