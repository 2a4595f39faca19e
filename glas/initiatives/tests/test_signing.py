"""Signing online and on paper: each person counts once, only where and when the law allows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from glas.accounts.demo import demo_egn
from glas.accounts.services import account_delete
from glas.core.exceptions import DomainError
from glas.core.models import AuditEntry, Settlement
from glas.initiatives import services
from glas.initiatives.emails import canonical_email
from glas.initiatives.models import Signature
from glas.initiatives.selectors import signature_count


def paper(initiative, actor, *, sheet=1, line=1, egn, name="Иван Петров Иванов", slug="kresna", address="ул. Шипка 1"):
    return services.signature_enter_paper(
        actor=actor,
        initiative=initiative,
        sheet_number=sheet,
        line_number=line,
        full_name=name,
        egn=egn,
        address=address,
        settlement=Settlement.objects.get(slug=slug),
    )


def test_a_verified_resident_of_the_territory_signs_once(collecting, make_resident):
    resident = make_resident("slivnitsa")
    services.signature_sign(actor=resident, initiative=collecting)
    with pytest.raises(DomainError) as error:
        services.signature_sign(actor=resident, initiative=collecting)
    assert error.value.code == "already_signed"
    assert signature_count(collecting) == 1 == Signature.objects.count()


def test_signing_outside_the_territory_is_refused(promoter, kresna_rules, make_user, council_secretary, make_resident):
    from .conftest import committee_of

    Settlement.objects.filter(slug="slivnitsa").update(voters=500)
    initiative = services.initiative_create(
        actor=promoter,
        municipality=kresna_rules,
        kind="referendum",
        title="Сливница",
        question="Въпрос?",
        territory="settlement",
        settlement=Settlement.objects.get(slug="slivnitsa"),
    )
    committee_of(initiative, promoter, make_user)
    services.initiative_submit_for_review(actor=promoter, initiative=initiative)
    services.initiative_review(
        actor=council_secretary, initiative=initiative, admissible=True, reasons="Допустимо по закона."
    )
    services.initiative_open_collection(
        actor=promoter, initiative=initiative, closes_on=initiative.registered_on + dt.timedelta(days=30)
    )
    with pytest.raises(DomainError) as error:
        services.signature_sign(actor=make_resident("kresna"), initiative=initiative)
    assert error.value.code == "territory"
    services.signature_sign(actor=make_resident("slivnitsa"), initiative=initiative)
    assert signature_count(initiative) == 1


def test_signing_before_registration_is_refused(draft, make_resident):
    with pytest.raises(DomainError) as error:
        services.signature_sign(actor=make_resident(), initiative=draft)
    assert error.value.code == "not_open"


def test_signing_after_closing_is_refused(collecting, make_resident):
    resident = make_resident()
    day_after = collecting.collection_closes_on + dt.timedelta(days=1)
    moment = dt.datetime.combine(day_after, dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False), pytest.raises(DomainError) as error:
        services.signature_sign(actor=resident, initiative=collecting)
    assert error.value.code == "closed"


def test_signing_after_submission_is_refused(collecting, promoter, make_resident):
    services.initiative_submit_signatures(actor=promoter, initiative=collecting)
    with pytest.raises(DomainError) as error:
        services.signature_sign(actor=make_resident(), initiative=collecting)
    assert error.value.code == "closed"


def test_an_unverified_person_cannot_sign_a_binding_instrument(collecting, citizen):
    with pytest.raises(DomainError) as error:
        services.signature_sign(actor=citizen, initiative=collecting)
    assert error.value.code == "unverified"


def test_a_minor_on_the_registration_date_cannot_sign(collecting, make_resident, new_egn, promoter):
    registered_on = collecting.registered_on
    birth = registered_on.replace(year=registered_on.year - 18) + dt.timedelta(days=1)
    with pytest.raises(DomainError) as error:
        services.signature_sign(actor=make_resident(birth=birth), initiative=collecting)
    assert error.value.code == "age"
    with pytest.raises(DomainError) as error:
        paper(collecting, promoter, egn=new_egn(birth))
    assert error.value.code == "age"
    paper(collecting, promoter, egn=new_egn(birth - dt.timedelta(days=1)))


def test_the_same_egn_online_and_on_paper_counts_once(collecting, make_resident, promoter):
    egn = demo_egn(dt.date(1960, 2, 2), 321)
    services.signature_sign(actor=make_resident(egn=egn), initiative=collecting)
    with pytest.raises(DomainError) as error:
        paper(collecting, promoter, egn=egn)
    assert error.value.code == "already_signed"
    assert signature_count(collecting) == 1


def test_the_same_person_on_two_sheets_is_refused_the_second_time(collecting, promoter, council_secretary):
    egn = demo_egn(dt.date(1960, 2, 2), 322)
    paper(collecting, promoter, sheet=1, line=4, egn=egn)
    with pytest.raises(DomainError) as error:
        paper(collecting, council_secretary, sheet=7, line=2, egn=" 60-02-02 322" + egn[-1], name="Иван Петров Иванов")
    assert error.value.code == "already_signed"
    assert Signature.objects.filter(initiative=collecting).count() == 1


def test_a_line_of_a_sheet_is_entered_once(collecting, promoter, new_egn):
    paper(collecting, promoter, sheet=3, line=5, egn=new_egn())
    with pytest.raises(DomainError) as error:
        paper(collecting, promoter, sheet=3, line=5, egn=new_egn())
    assert error.value.code == "line_taken"


def test_a_person_who_deleted_the_account_and_registered_again_still_counts_once(collecting, make_resident):
    egn = demo_egn(dt.date(1958, 7, 7), 455)
    first = make_resident(egn=egn, email="first@example.org")
    services.signature_sign(actor=first, initiative=collecting)
    account_delete(actor=first)
    with pytest.raises(DomainError) as error:
        services.signature_sign(actor=make_resident(egn=egn, email="second@example.org"), initiative=collecting)
    assert error.value.code == "already_signed"
    assert signature_count(collecting) == 1


@pytest.mark.parametrize(
    "raw",
    [
        "123",
        "12345678901",
        "85O1O1O1O1",
        "7501020017",
        "7513320010",
        "0000000000",
        "1111111111",
        "９９１３３１１１１１",
        "75\u200b01020010",
        "75\x0001020010",
    ],
)
def test_a_bad_egn_on_a_paper_line_is_a_field_error(collecting, promoter, raw):
    with pytest.raises(DomainError) as error:
        paper(collecting, promoter, egn=raw)
    assert error.value.field == "egn"
    assert Signature.objects.count() == 0


def test_formatting_variants_of_one_egn_are_one_person(collecting, promoter):
    egn = demo_egn(dt.date(1971, 11, 30), 515)
    paper(collecting, promoter, sheet=1, line=1, egn=egn)
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in egn)
    for variant in (
        f"{egn[:6]} {egn[6:]}",
        f"{egn[:6]}-{egn[6:]}",
        arabic_indic,
        "".join(chr(0xFF10 + int(d)) for d in egn),
    ):
        with pytest.raises(DomainError) as error:
            paper(collecting, promoter, sheet=2, line=1, egn=variant)
        assert error.value.code == "already_signed"


@pytest.mark.parametrize(
    "name",
    [
        "=HYPERLINK(1)",
        "+Иван Петров Иванов",
        "Иван Петров",
        "@Иван Петров Иванов",
        "Иван" * 60,
        "Иван \u202eПетров Иванов",
        "-1 Петров Иванов",
    ],
)
def test_a_bad_name_on_a_paper_line_is_refused(collecting, promoter, new_egn, name):
    with pytest.raises(DomainError) as error:
        paper(collecting, promoter, egn=new_egn(), name=name)
    assert error.value.field == "full_name"


def test_a_paper_address_outside_the_territory_is_refused(collecting, promoter, new_egn):
    with pytest.raises(DomainError) as error:
        services.signature_enter_paper(
            actor=promoter,
            initiative=collecting,
            sheet_number=1,
            line_number=1,
            full_name="Иван Петров Иванов",
            egn=new_egn(),
            address="София",
            settlement=None,
        )
    assert error.value.field == "settlement"


def test_an_outsider_cannot_enter_paper_signatures(collecting, make_user, new_egn):
    with pytest.raises(DomainError) as error:
        paper(collecting, make_user("stranger@example.org"), egn=new_egn())
    assert error.value.code == "forbidden"


def test_a_withdrawn_signature_stops_counting_and_the_person_may_sign_again(collecting, make_resident):
    resident = make_resident()
    services.signature_sign(actor=resident, initiative=collecting)
    services.signature_withdraw(actor=resident, initiative=collecting)
    assert signature_count(collecting) == 0
    services.signature_sign(actor=resident, initiative=collecting)
    assert signature_count(collecting) == 1


def test_withdrawal_after_submission_is_refused(collecting, make_resident, promoter):
    resident = make_resident()
    services.signature_sign(actor=resident, initiative=collecting)
    services.initiative_submit_signatures(actor=promoter, initiative=collecting)
    with pytest.raises(DomainError):
        services.signature_withdraw(actor=resident, initiative=collecting)
    assert signature_count(collecting) == 1


def test_a_held_signature_does_not_count_until_cleared(collecting, make_resident, council_secretary):
    signature = services.signature_sign(actor=make_resident(), initiative=collecting, hold=True)
    assert signature_count(collecting) == 0
    services.signature_review(actor=council_secretary, signature=signature, accept=True)
    assert signature_count(collecting) == 1
    assert AuditEntry.objects.filter(action="initiatives.signature.cleared").count() == 1


def test_bulk_invalidation_needs_a_condition(collecting, promoter, council_secretary, new_egn):
    for line in range(1, 4):
        paper(collecting, promoter, sheet=9, line=line, egn=new_egn())
    paper(collecting, promoter, sheet=10, line=1, egn=new_egn())
    with pytest.raises(DomainError) as error:
        services.signatures_invalidate(
            actor=council_secretary, initiative=collecting, reason="Подправен лист", conditions={}
        )
    assert error.value.code == "no_condition"
    with pytest.raises(DomainError):
        services.signatures_invalidate(
            actor=council_secretary, initiative=collecting, reason="Подправен лист", conditions={"channel": ""}
        )
    assert signature_count(collecting) == 4
    count = services.signatures_invalidate(
        actor=council_secretary, initiative=collecting, reason="Подправен лист", conditions={"sheet_number": 9}
    )
    assert count == 3
    assert signature_count(collecting) == 1
    entry = AuditEntry.objects.get(action="initiatives.signatures.invalidated")
    assert entry.data["count"] == 3 and entry.data["conditions"] == {"sheet_number": "9"}


def test_the_committee_cannot_invalidate_signatures(collecting, promoter):
    with pytest.raises(DomainError) as error:
        services.signatures_invalidate(
            actor=promoter, initiative=collecting, reason="Подправен", conditions={"sheet_number": 1}
        )
    assert error.value.code == "forbidden"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Maria.Petrova+petition@GMail.com", "mariapetrova@gmail.com"),
        ("m.a.r.i.a.petrova@googlemail.com", "mariapetrova@gmail.com"),
        (" MariaPetrova@gmail.com ", "mariapetrova@gmail.com"),
        ("maria+x@outlook.com", "maria@outlook.com"),
        ("maria.petrova+x@abv.bg", "maria.petrova+x@abv.bg"),
        ("Maria.Petrova@ABV.bg", "maria.petrova@abv.bg"),
        ("maria-news@yahoo.com", "maria@yahoo.com"),
    ],
)
def test_canonical_email_rules(written, canonical):
    assert canonical_email(written) == canonical


@pytest.mark.parametrize(
    "raw", ["", "no-at-sign", "a@b@c", "+tag@gmail.com", "a b@gmail.com", "x" * 300 + "@gmail.com"]
)
def test_a_malformed_email_is_a_field_error(raw):
    with pytest.raises(DomainError):
        canonical_email(raw)


def test_one_mailbox_written_differently_supports_a_petition_once(petition, make_user):
    services.signature_sign(actor=make_user("maria.petrova@gmail.com"), initiative=petition)
    for other in ("MariaPetrova+bus@googlemail.com", "m.a.r.i.a.petrova@GMAIL.com"):
        with pytest.raises(DomainError) as error:
            services.signature_sign(actor=make_user(other), initiative=petition)
        assert error.value.code == "already_signed"
    assert signature_count(petition) == 1


def test_an_unconfirmed_email_cannot_support_a_petition(petition, outsider):
    with pytest.raises(DomainError) as error:
        services.signature_sign(actor=outsider, initiative=petition)
    assert error.value.code == "unconfirmed"


def test_petitions_close_after_the_rule_window_and_have_no_paper_lists(petition, promoter, new_egn):
    assert petition.collection_closes_on >= petition.registered_on + dt.timedelta(days=50)
    with pytest.raises(DomainError) as error:
        paper(petition, promoter, egn=new_egn())
    assert error.value.code == "kind"


def test_the_database_refuses_a_second_row_for_the_same_person(collecting, make_resident):
    signature = services.signature_sign(actor=make_resident(), initiative=collecting)
    twin = Signature(
        initiative=collecting, channel="online", identity_key=signature.identity_key, signer=signature.signer
    )
    with pytest.raises(ValidationError):
        twin.full_clean()


def test_double_entry_reports_the_lines_where_the_two_keyings_differ(collecting, promoter, council_secretary, new_egn):
    from glas.initiatives.selectors import keying_mismatches

    egn = new_egn()
    paper(collecting, promoter, sheet=4, line=1, egn=egn)
    paper(collecting, promoter, sheet=4, line=2, egn=new_egn(), name="Мария Иванова Петрова")
    again = services.signature_key_again
    kresna = Settlement.objects.get(slug="kresna")
    with pytest.raises(DomainError) as error:
        again(
            actor=promoter,
            initiative=collecting,
            sheet_number=4,
            line_number=1,
            full_name="Иван Петров Иванов",
            egn=egn,
            address="ул. Шипка 1",
            settlement=kresna,
        )
    assert error.value.code == "same_keyer"
    again(
        actor=council_secretary,
        initiative=collecting,
        sheet_number=4,
        line_number=1,
        full_name="иван петров иванов",
        egn=egn,
        address="ул.  Шипка 1",
        settlement=kresna,
    )
    again(
        actor=council_secretary,
        initiative=collecting,
        sheet_number=4,
        line_number=2,
        full_name="Мария Иванова Петрова",
        egn=new_egn(),
        address="ул. Шипка 1",
        settlement=kresna,
    )
    mismatches = keying_mismatches(collecting)
    assert [(m.sheet_number, m.line_number, m.fields) for m in mismatches] == [(4, 2, ["ЕГН"])]
    assert signature_count(collecting) == 2
    with pytest.raises(DomainError) as error:
        again(
            actor=council_secretary,
            initiative=collecting,
            sheet_number=9,
            line_number=9,
            full_name="Иван Петров Иванов",
            egn=new_egn(),
            address="ул. Шипка 1",
            settlement=kresna,
        )
    assert error.value.code == "no_first"


def test_the_signer_is_told_by_a_task_after_the_commit_in_their_language(
    collecting, make_resident, django_capture_on_commit_callbacks
):
    from glas.core.models import Notification
    from glas.initiatives.tasks import confirm_signature

    resident = make_resident()
    resident.language = "bg"
    resident.save(update_fields=["language"])
    with django_capture_on_commit_callbacks() as callbacks:
        signature = services.signature_sign(actor=resident, initiative=collecting)
    assert len(callbacks) == 1 and not Notification.objects.filter(recipient=resident).exists()
    assert confirm_signature.call(str(signature.public_id)) is True
    assert confirm_signature.call(signature.pk) is True  # a task queued by an older release
    notice = Notification.objects.filter(recipient=resident, kind="initiatives.signed").first()
    assert notice.title == f"Подписът Ви за „{collecting.title}“ е отчетен"
    assert notice.url.endswith(f"/{collecting.public_id}/")


def test_no_notice_for_a_signature_withdrawn_before_the_task_ran(collecting, make_resident):
    from glas.core.models import Notification
    from glas.initiatives.tasks import confirm_signature

    resident = make_resident()
    signature = services.signature_sign(actor=resident, initiative=collecting)
    services.signature_withdraw(actor=resident, initiative=collecting)
    assert confirm_signature.call(str(signature.public_id)) is False
    assert not Notification.objects.filter(recipient=resident, kind="initiatives.signed").exists()


def test_a_signature_reads_once_and_writes_its_four_rows_together(
    collecting, make_resident, settings, django_assert_num_queries
):
    """The signer's verification is one read; the signature, its counter shard, the audit entry
    and the notice task are one message on PostgreSQL (here inside the test's transaction, so
    between a savepoint and its release), and one statement each on SQLite."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    resident = make_resident()
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 7):
        signature = services.signature_sign(actor=resident, initiative=collecting)
    assert signature.pk and Signature.objects.get(pk=signature.pk).signer == resident
    assert signature_count(collecting) == 1
    assert AuditEntry.objects.filter(action="initiatives.signature.signed", object_id=str(collecting.pk)).count() == 1
    task = DBTaskResult.objects.get(task_path="glas.initiatives.tasks.confirm_signature")
    assert task.args_kwargs["args"] == [str(signature.public_id)]


def test_a_supporter_from_outside_the_territory_is_counted_in_a_shard_made_for_them(
    promoter, kresna_rules, council_secretary, make_resident
):
    """Petitions do not check the territory: a supporter whose settlement is outside it has no
    counter shards when collection opens, and is counted in one made when they sign."""
    from glas.initiatives.models import Initiative, SignatureCounter

    oshtava = Settlement.objects.get(slug="oshtava")
    oshtava.voters = 150
    oshtava.save(update_fields=["voters"])
    petition = services.initiative_create(
        actor=promoter,
        municipality=kresna_rules,
        kind=Initiative.Kind.PETITION,
        title="Чешма в Ощава",
        question="Молим за нова чешма на площада.",
        territory=Initiative.Territory.SETTLEMENT,
        settlement=oshtava,
        addressee=Initiative.Addressee.MAYOR,
    )
    services.initiative_submit_for_review(actor=promoter, initiative=petition)
    services.initiative_review(
        actor=council_secretary, initiative=petition, admissible=True, reasons="От компетентността на кмета."
    )
    petition = services.initiative_open_collection(actor=promoter, initiative=petition, closes_on=None)
    kresna = Settlement.objects.get(slug="kresna")
    assert not SignatureCounter.objects.filter(initiative=petition, settlement=kresna).exists()
    services.signature_sign(actor=make_resident("kresna"), initiative=petition)
    services.signature_sign(actor=make_resident("oshtava"), initiative=petition)
    assert signature_count(petition) == 2
    assert (
        sum(SignatureCounter.objects.filter(initiative=petition, settlement=kresna).values_list("count", flat=True))
        == 1
    )
