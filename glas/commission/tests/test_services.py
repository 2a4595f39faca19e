"""The commission's rules: quorum, conflicts of interest, drafting together, votes and dissents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from glas.commission import services
from glas.commission.models import CommissionMember, Meeting, MeetingItem, Opinion, OpinionVote
from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def drafted(item: MeetingItem, members: list[CommissionMember], text: str = "Подкрепяме проекта.") -> Opinion:
    return services.opinion_draft_save(actor=members[0].user, item=item, text=text, base_revision=0)


def put_to_vote(item: MeetingItem, members: list[CommissionMember], secretary: Any, *, present: int = 5) -> Opinion:
    opinion = drafted(item, members)
    services.attendance_record(actor=secretary, meeting=item.meeting, present=[m.pk for m in members[:present]])
    return services.opinion_vote_open(actor=secretary, opinion=opinion)


def test_an_opinion_is_adopted_by_more_than_half_of_those_present_and_entitled(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary)
    for member, choice in zip(members, ["for", "for", "for", "against", "abstain"], strict=True):
        services.opinion_vote(actor=member.user, opinion=opinion, choice=choice)
    opinion = services.opinion_vote_close(actor=council_secretary, opinion=opinion)
    assert (opinion.status, opinion.votes_for, opinion.votes_against, opinion.abstentions, opinion.entitled) == (
        "adopted",
        3,
        1,
        1,
        5,
    )


def test_half_of_the_votes_is_not_a_majority(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary, present=4)
    for member, choice in zip(members[:4], ["for", "for", "against", "abstain"], strict=True):
        services.opinion_vote(actor=member.user, opinion=opinion, choice=choice)
    assert services.opinion_vote_close(actor=council_secretary, opinion=opinion).status == "rejected"


def test_no_vote_is_opened_without_a_quorum(item, members, council_secretary):
    opinion = drafted(item, members)
    services.attendance_record(actor=council_secretary, meeting=item.meeting, present=[m.pk for m in members[:2]])
    with pytest.raises(DomainError, match="There is no quorum: 2 present, 3 needed"):
        services.opinion_vote_open(actor=council_secretary, opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.DRAFTING


def test_no_vote_is_opened_before_attendance_is_recorded(item, members, council_secretary):
    opinion = drafted(item, members)
    with pytest.raises(DomainError, match="Record who is present"):
        services.opinion_vote_open(actor=council_secretary, opinion=opinion)


def test_a_member_who_declared_a_conflict_cannot_vote_and_does_not_count(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary)
    services.conflict_declare(actor=members[4].user, item=item, nature="Свързано лице")
    with pytest.raises(DomainError, match="declared a conflict of interest"):
        services.opinion_vote(actor=members[4].user, opinion=opinion, choice="for")
    for member in members[:2]:
        services.opinion_vote(actor=member.user, opinion=opinion, choice="for")
    services.opinion_vote(actor=members[2].user, opinion=opinion, choice="against")
    closed = services.opinion_vote_close(actor=council_secretary, opinion=opinion)
    assert closed.entitled == 4 and closed.status == "rejected"  # 2 of 4 is not more than half


def test_declaring_a_conflict_during_the_vote_withdraws_the_members_vote(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary)
    services.opinion_vote(actor=members[1].user, opinion=opinion, choice="for")
    services.conflict_declare(actor=members[1].user, item=item, nature="Роднина на вносителя")
    assert not OpinionVote.objects.filter(opinion=opinion, member=members[1]).exists()
    entry = AuditEntry.objects.filter(action="commission.conflict.declared").get()
    assert entry.data["vote_withdrawn"] is True


def test_a_conflict_is_declared_once(item, members):
    services.conflict_declare(actor=members[1].user, item=item, nature="Интерес")
    with pytest.raises(DomainError, match="already declared"):
        services.conflict_declare(actor=members[1].user, item=item, nature="Интерес")


def test_a_conflicted_member_does_not_draft_the_opinion(item, members):
    services.conflict_declare(actor=members[0].user, item=item, nature="Интерес")
    with pytest.raises(DomainError, match="declared a conflict of interest"):
        drafted(item, members)
    assert not Opinion.objects.exists()


def test_a_save_based_on_an_older_revision_is_refused_so_no_text_is_lost(item, members):
    first = drafted(item, members, "Версия 1")
    services.opinion_draft_save(actor=members[1].user, item=item, text="Версия 2", base_revision=first.revision)
    with pytest.raises(DomainError, match="saved a newer version") as refused:
        services.opinion_draft_save(actor=members[2].user, item=item, text="Версия 2б", base_revision=first.revision)
    assert refused.value.code == "stale"
    opinion = Opinion.objects.get()
    assert (opinion.text, opinion.revision) == ("Версия 2", 2)
    assert list(opinion.revisions.values_list("number", "author__name")) == [(1, "Експерт 0"), (2, "Експерт 1")]


def test_the_text_is_frozen_once_put_to_the_vote(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary)
    with pytest.raises(DomainError, match="can no longer change"):
        services.opinion_draft_save(actor=members[0].user, item=item, text="Нов", base_revision=opinion.revision)


def test_a_second_vote_replaces_the_first_and_is_counted_once(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary)
    services.opinion_vote(actor=members[0].user, opinion=opinion, choice="against")
    services.opinion_vote(actor=members[0].user, opinion=opinion, choice="for")
    assert list(OpinionVote.objects.values_list("choice", flat=True)) == ["for"]


def test_an_absent_member_cannot_vote(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary, present=4)
    with pytest.raises(DomainError, match="Only members present"):
        services.opinion_vote(actor=members[4].user, opinion=opinion, choice="for")


def test_a_person_who_is_not_a_serving_member_cannot_take_part(item, members, researcher, council_secretary):
    opinion = put_to_vote(item, members, council_secretary)
    with pytest.raises(DomainError, match="You may not do this"):
        services.opinion_vote(actor=researcher, opinion=opinion, choice="for")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    CommissionMember.objects.filter(pk=members[3].pk).update(term_end=yesterday)
    with pytest.raises(DomainError, match="Only members serving"):
        services.opinion_vote(actor=members[3].user, opinion=opinion, choice="for")


def test_the_meeting_day_is_the_local_one(item, members, council_secretary):
    """A meeting at 00:30 in Kresna is still the day before in UTC: a member whose term ended on
    that UTC day no longer serves at it (this test failed every night between 22:00 and 24:00
    UTC while the day was taken from the UTC timestamp)."""
    local_day = timezone.localdate() + dt.timedelta(days=3)
    starts = timezone.make_aware(dt.datetime.combine(local_day, dt.time(0, 30)))
    Meeting.objects.filter(pk=item.meeting.pk).update(starts_at=starts)
    item.meeting.refresh_from_db()
    assert starts.astimezone(dt.UTC).date() == local_day - dt.timedelta(days=1)
    assert item.meeting.day == local_day
    opinion = put_to_vote(item, members, council_secretary)
    CommissionMember.objects.filter(pk=members[3].pk).update(term_end=local_day - dt.timedelta(days=1))
    with pytest.raises(DomainError, match="Only members serving"):
        services.opinion_vote(actor=members[3].user, opinion=opinion, choice="for")
    services.opinion_vote(actor=members[2].user, opinion=opinion, choice="for")


def test_a_bad_vote_value_is_refused(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary)
    with pytest.raises(DomainError, match="Choose for, against or abstain"):
        services.opinion_vote(actor=members[0].user, opinion=opinion, choice="maybe")


def test_dissenting_views_come_from_members_who_did_not_vote_for(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary)
    for member, choice in zip(members, ["for", "for", "for", "against", "abstain"], strict=True):
        services.opinion_vote(actor=member.user, opinion=opinion, choice=choice)
    with pytest.raises(DomainError, match="written after the vote"):
        services.dissent_add(actor=members[3].user, opinion=opinion, text="Не съм съгласен.")
    opinion = services.opinion_vote_close(actor=council_secretary, opinion=opinion)
    services.dissent_add(actor=members[3].user, opinion=opinion, text="Не съм съгласен.")
    with pytest.raises(DomainError, match="voted against or abstained"):
        services.dissent_add(actor=members[0].user, opinion=opinion, text="Особено мнение")
    services.opinion_publish(actor=council_secretary, opinion=opinion)
    with pytest.raises(DomainError, match="has been published"):
        services.dissent_add(actor=members[4].user, opinion=opinion, text="Късно")


def test_only_an_adopted_opinion_is_published_and_only_once(item, members, council_secretary):
    opinion = put_to_vote(item, members, council_secretary)
    with pytest.raises(DomainError, match="Only an adopted opinion"):
        services.opinion_publish(actor=council_secretary, opinion=opinion)
    for member in members[:3]:
        services.opinion_vote(actor=member.user, opinion=opinion, choice="for")
    opinion = services.opinion_vote_close(actor=council_secretary, opinion=opinion)
    services.opinion_publish(actor=council_secretary, opinion=opinion)
    with pytest.raises(DomainError, match="Only an adopted opinion"):
        services.opinion_publish(actor=council_secretary, opinion=opinion)


def test_attendance_is_frozen_once_a_vote_was_held(item, members, council_secretary):
    put_to_vote(item, members, council_secretary)
    with pytest.raises(DomainError, match="attendance can no longer change"):
        services.attendance_record(actor=council_secretary, meeting=item.meeting, present=[members[0].pk])


def test_only_serving_members_are_marked_present(meeting, members, council_secretary, commission, make_user):
    with pytest.raises(DomainError, match="Only members serving"):
        services.attendance_record(actor=council_secretary, meeting=meeting, present=[members[0].pk, 99999])


def test_the_secretariat_steps_need_the_secretariat_role(item, members, commission_member):
    opinion = drafted(item, members)
    for step in (services.opinion_vote_open, services.opinion_vote_close, services.opinion_publish):
        with pytest.raises(DomainError, match="You may not do this"):
            step(actor=commission_member, opinion=opinion)


def test_minutes_are_text_or_a_pdf_file(meeting, council_secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError, match="Write the minutes"):
        services.minutes_save(actor=council_secretary, meeting=meeting, text="  ")
    fake = SimpleUploadedFile("minutes.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(DomainError, match="must be a PDF"):
        services.minutes_save(actor=council_secretary, meeting=meeting, upload=fake)
    pdf = SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    saved = services.minutes_save(actor=council_secretary, meeting=meeting, upload=pdf)
    assert saved.minutes_file.name.startswith("commission/minutes/meeting-")
    assert ".." not in saved.minutes_file.name


def test_meetings_are_numbered_in_order(commission, members, council_secretary):
    numbers = [
        services.meeting_schedule(
            actor=council_secretary, commission=commission, starts_at=timezone.now(), place="К"
        ).number
        for _ in range(3)
    ]
    assert numbers == [1, 2, 3]
    assert Meeting.objects.count() == 3


def test_every_step_writes_one_audit_entry(item, members, council_secretary):
    before = AuditEntry.objects.count()
    opinion = put_to_vote(item, members, council_secretary)
    services.opinion_vote(actor=members[0].user, opinion=opinion, choice="for")
    assert AuditEntry.objects.count() - before == 4  # drafted, attendance, vote opened, voted


def test_markup_in_texts_is_kept_as_text_and_nul_bytes_are_refused(item, members):
    opinion = drafted(item, members, "<script>alert(1)</script> Становище")
    assert opinion.text.startswith("<script>")  # stored as typed; templates escape it
    with pytest.raises(DomainError, match="cannot be stored"):
        services.opinion_draft_save(actor=members[0].user, item=item, text="a\x00b", base_revision=opinion.revision)
