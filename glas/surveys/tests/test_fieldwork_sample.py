"""A random sample of verified residents, stratified by settlement in proportion."""

from __future__ import annotations

import pytest

from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry
from glas.surveys import services
from glas.surveys.models import Invitation
from glas.surveys.services.invitations import largest_remainder
from glas.surveys.tests.fieldwork_helpers import make_confidential, verified_residents

FRAME = {"kresna": 10, "slivnitsa": 6, "vlahi": 4}


@pytest.fixture
def confidential(researcher, civic_survey):
    return make_confidential(researcher, civic_survey)


@pytest.fixture
def residents(make_user, advisor, kresna):
    return verified_residents(make_user, advisor, FRAME)


def drawn_by_settlement(survey) -> dict[str, int]:
    counts: dict[str, int] = {}
    for slug in Invitation.objects.filter(survey=survey).values_list("settlement__slug", flat=True):
        counts[slug] = counts.get(slug, 0) + 1
    return counts


def test_the_sample_is_split_over_settlements_in_proportion(researcher, confidential, residents):
    report = services.invitations_draw_sample(actor=researcher, survey=confidential, size=10)
    assert report.drawn == 10 and report.frame == 20
    assert drawn_by_settlement(confidential) == {"kresna": 5, "slivnitsa": 3, "vlahi": 2}
    people = {user.pk: user for user in residents}
    for invitation in Invitation.objects.filter(survey=confidential):
        person = people[invitation.person_id]
        assert invitation.email == person.email
        assert invitation.settlement_id == person.resident_verification.settlement_id


def test_places_left_after_whole_shares_go_to_the_largest_remainders(researcher, confidential, residents):
    services.invitations_draw_sample(actor=researcher, survey=confidential, size=7)
    # Shares 3.5, 2.1 and 1.4: whole parts 3, 2, 1; the seventh place goes to the largest remainder.
    assert drawn_by_settlement(confidential) == {"kresna": 4, "slivnitsa": 2, "vlahi": 1}


def test_largest_remainder_allocation_adds_up_and_never_exceeds_a_stratum():
    counts = {"a": 1, "b": 1, "c": 1, "d": 997}
    for size in (1, 2, 3, 4, 500, 1000):
        allocation = largest_remainder(counts, size)
        assert sum(allocation.values()) == size
        assert all(allocation[key] <= counts[key] for key in counts)


def test_people_already_invited_are_not_drawn_again(researcher, confidential, residents):
    services.invitation_create(actor=researcher, survey=confidential, email=residents[0].email.upper())
    services.invitations_draw_sample(actor=researcher, survey=confidential, size=10)
    services.invitations_draw_sample(actor=researcher, survey=confidential, size=9)
    people = list(Invitation.objects.filter(survey=confidential, person__isnull=False).values_list("person", flat=True))
    assert len(people) == len(set(people)) == 19
    assert residents[0].pk not in people
    with pytest.raises(DomainError) as error:
        services.invitations_draw_sample(actor=researcher, survey=confidential, size=1)
    assert error.value.field == "size" and "Only 0" in error.value.message


def test_people_who_are_not_verified_residents_are_never_drawn(researcher, confidential, residents, citizen):
    services.invitations_draw_sample(actor=researcher, survey=confidential, size=20, by_settlement=False)
    assert not Invitation.objects.filter(person=citizen).exists()
    assert Invitation.objects.filter(survey=confidential).count() == 20


def test_a_seeded_draw_can_be_reproduced_and_its_seed_is_audited(researcher, confidential, residents):
    services.invitations_draw_sample(actor=researcher, survey=confidential, size=8, seed=2026)
    first = set(Invitation.objects.filter(survey=confidential).values_list("person", flat=True))
    Invitation.objects.filter(survey=confidential).delete()
    services.invitations_draw_sample(actor=researcher, survey=confidential, size=8, seed=2026)
    again = set(Invitation.objects.filter(survey=confidential).values_list("person", flat=True))
    assert first == again
    entry = AuditEntry.objects.filter(action="surveys.invitations.sampled").latest("pk")
    assert entry.data["seed"] == 2026 and entry.data["allocation"] == {"kresna": 4, "slivnitsa": 2, "vlahi": 2}
    assert "example.org" not in str(entry.data)


@pytest.mark.parametrize("size", [0, -3, 10_001, True])
def test_a_sample_size_out_of_bounds_is_refused(researcher, confidential, residents, size):
    with pytest.raises(DomainError) as error:
        services.invitations_draw_sample(actor=researcher, survey=confidential, size=size)
    assert error.value.field == "size"
    assert not Invitation.objects.exists()


def test_an_advisor_may_not_draw_a_sample(advisor, confidential, residents):
    with pytest.raises(DomainError) as error:
        services.invitations_draw_sample(actor=advisor, survey=confidential, size=1)
    assert error.value.code == "forbidden"
