"""Writes for the council registry: the term and its people, sessions with agenda, documents
and minutes, decisions and roll calls.

Each function checks ``council.manage_registry`` (demo seeding passes ``actor=None`` only
through ``system=True``), runs in one transaction and writes one audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.core.models import Municipality
from glas.council.models import (
    AdministrationUnit,
    AgendaItem,
    Councillor,
    Decision,
    Minutes,
    Official,
    PoliticalGroup,
    Session,
    SessionDocument,
    StandingCommittee,
    Term,
    Vote,
)
from glas.council.services.common import clean, require
from glas.council.services.files import check_document, check_photo
from glas.council.tally import outcome_problem, tally_of

if TYPE_CHECKING:
    from glas.accounts.models import User


def _allowed(actor: User | None, system: bool) -> None:
    if not system:
        require(actor)


@contextmanager
def _unique(message: str, field: str) -> Any:
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise DomainError(message, field=field, code="duplicate") from None


def _within_term(term: Term, day: dt.date, field: str = "date") -> None:
    if not term.covers(day):
        raise DomainError(
            _("The date %(date)s is outside the term %(term)s.") % {"date": day.strftime("%d.%m.%Y"), "term": term},
            field=field,
            code="date",
        )


# --- The term and its people -----------------------------------------------------------------


@transaction.atomic
def term_create(
    *,
    actor: User | None,
    municipality: Municipality,
    start: dt.date,
    end: dt.date,
    seats: int,
    is_demo: bool = False,
    system: bool = False,
) -> Term:
    _allowed(actor, system)
    if start >= end:
        raise DomainError(_("The term must end after it starts."), field="end")
    if seats < 1:
        raise DomainError(_("A council has at least one seat."), field="seats")
    term = Term(municipality=municipality, start=start, end=end, seats=seats, is_demo=is_demo)
    with _unique(_("A term starting on this date exists already."), "start"):
        term.save()
    audit_log(actor=actor, action="council.term.created", obj=term, data={"seats": seats})
    return term


@transaction.atomic
def political_group_create(
    *,
    actor: User | None,
    term: Term,
    name: str,
    name_en: str = "",
    kind: str = PoliticalGroup.Kind.PARTY,
    is_demo: bool = False,
    system: bool = False,
) -> PoliticalGroup:
    _allowed(actor, system)
    group = PoliticalGroup(
        term=term,
        name=clean(name, field="name", cap=200, required=True),
        name_en=clean(name_en, field="name_en", cap=200),
        kind=kind,
        is_demo=is_demo,
    )
    with _unique(_("This term already has a group of that name."), "name"):
        group.save()
    audit_log(actor=actor, action="council.group.created", obj=group)
    return group


@transaction.atomic
def committee_create(
    *,
    actor: User | None,
    term: Term,
    name: str,
    slug: str,
    name_en: str = "",
    remit: str = "",
    is_demo: bool = False,
    system: bool = False,
) -> StandingCommittee:
    _allowed(actor, system)
    committee = StandingCommittee(
        term=term,
        name=clean(name, field="name", cap=200, required=True),
        name_en=clean(name_en, field="name_en", cap=200),
        slug=slug,
        remit=clean(remit, field="remit", cap=5000),
        is_demo=is_demo,
    )
    with _unique(_("This term already has a committee with that short name."), "slug"):
        committee.save()
    audit_log(actor=actor, action="council.committee.created", obj=committee)
    return committee


@transaction.atomic
def councillor_create(
    *,
    actor: User | None,
    term: Term,
    name: str,
    active_from: dt.date,
    group: PoliticalGroup | None = None,
    committees: Iterable[StandingCommittee] = (),
    active_to: dt.date | None = None,
    photo: UploadedFile | None = None,
    is_chair: bool = False,
    is_demo: bool = False,
    system: bool = False,
) -> Councillor:
    _allowed(actor, system)
    _within_term(term, active_from, "active_from")
    if active_to is not None and active_to < active_from:
        raise DomainError(_("A councillor cannot leave before taking office."), field="active_to")
    if group is not None and group.term_id != term.pk:
        raise DomainError(_("The group belongs to another term."), field="group")
    committees = list(committees)
    if any(committee.term_id != term.pk for committee in committees):
        raise DomainError(_("The committee belongs to another term."), field="committees")
    councillor = Councillor(
        term=term,
        name=clean(name, field="name", cap=200, required=True),
        group=group,
        active_from=active_from,
        active_to=active_to,
        is_chair=is_chair,
        is_demo=is_demo,
    )
    if photo is not None:
        extension = check_photo(photo)
        councillor.photo.save(f"photo.{extension}", photo, save=False)
    with _unique(_("This term already has a councillor of that name."), "name"):
        councillor.save()
    councillor.committees.set(committees)
    audit_log(actor=actor, action="council.councillor.created", obj=councillor)
    return councillor


@transaction.atomic
def councillor_leave(*, actor: User | None, councillor: Councillor, on: dt.date, system: bool = False) -> Councillor:
    """The councillor's mandate ends on ``on`` (resignation, incompatibility, death)."""
    _allowed(actor, system)
    if on < councillor.active_from:
        raise DomainError(_("A councillor cannot leave before taking office."), field="active_to")
    councillor.active_to = on
    councillor.save(update_fields=["active_to"])
    audit_log(actor=actor, action="council.councillor.left", obj=councillor, data={"on": on.isoformat()})
    return councillor


@transaction.atomic
def official_create(
    *,
    actor: User | None,
    municipality: Municipality,
    role: str,
    name: str,
    active_from: dt.date,
    remit: str = "",
    is_demo: bool = False,
    system: bool = False,
) -> Official:
    _allowed(actor, system)
    official = Official(
        municipality=municipality,
        role=role,
        name=clean(name, field="name", cap=200, required=True),
        remit=clean(remit, field="remit", cap=300),
        active_from=active_from,
        is_demo=is_demo,
    )
    with _unique(_("The municipality already has a mayor in office."), "role"):
        official.save()
    audit_log(actor=actor, action="council.official.created", obj=official, data={"role": role})
    return official


@transaction.atomic
def administration_unit_create(
    *,
    actor: User | None,
    municipality: Municipality,
    name: str,
    name_en: str = "",
    head: str = "",
    remit: str = "",
    phone: str = "",
    email: str = "",
    position: int = 0,
    is_demo: bool = False,
    system: bool = False,
) -> AdministrationUnit:
    _allowed(actor, system)
    unit = AdministrationUnit(
        municipality=municipality,
        name=clean(name, field="name", cap=200, required=True),
        name_en=clean(name_en, field="name_en", cap=200),
        head=clean(head, field="head", cap=200),
        remit=clean(remit, field="remit", cap=5000),
        phone=clean(phone, field="phone", cap=50),
        email=clean(email, field="email", cap=254),
        position=position,
        is_demo=is_demo,
    )
    with _unique(_("A unit of that name exists already."), "name"):
        unit.save()
    audit_log(actor=actor, action="council.unit.created", obj=unit)
    return unit


# --- Sessions --------------------------------------------------------------------------------

SESSION_FIELDS = ("number", "date", "starts_at", "kind", "place", "status")


def _fill_session(session: Session, data: Mapping[str, Any]) -> None:
    session.number = int(data["number"])
    session.date = data["date"]
    session.starts_at = data.get("starts_at")
    session.kind = data.get("kind") or Session.Kind.REGULAR
    session.place = clean(data.get("place"), field="place", cap=300)
    session.status = data.get("status") or Session.Status.PLANNED
    if session.number < 1:
        raise DomainError(_("The number must be positive."), field="number")
    if session.kind not in Session.Kind.values:
        raise DomainError(_("Choose a valid kind."), field="kind")
    if session.status not in Session.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    _within_term(session.term, session.date)


@transaction.atomic
def council_session_create(
    *, actor: User | None, term: Term, data: Mapping[str, Any], is_demo: bool = False, system: bool = False
) -> Session:
    _allowed(actor, system)
    session = Session(term=term, is_demo=is_demo)
    _fill_session(session, data)
    with _unique(_("This term already has a session with that number."), "number"):
        session.save()
    audit_log(actor=actor, action="council.session.created", obj=session)
    return session


@transaction.atomic
def council_session_update(*, actor: User | None, session: Session, data: Mapping[str, Any]) -> Session:
    require(actor)
    session = Session.objects.select_for_update().select_related("term").get(pk=session.pk)
    _fill_session(session, data)
    with _unique(_("This term already has a session with that number."), "number"):
        session.save(update_fields=list(SESSION_FIELDS))
    audit_log(actor=actor, action="council.session.updated", obj=session)
    return session


@transaction.atomic
def agenda_item_add(
    *,
    actor: User | None,
    session: Session,
    title: str,
    proposer: str = "",
    committee: StandingCommittee | None = None,
    system: bool = False,
) -> AgendaItem:
    _allowed(actor, system)
    if committee is not None and committee.term_id != session.term_id:
        raise DomainError(_("The committee belongs to another term."), field="committee")
    Session.objects.select_for_update().filter(pk=session.pk).first()
    last = session.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0
    item = AgendaItem.objects.create(
        session=session,
        position=last + 1,
        title=clean(title, field="title", cap=500, required=True),
        proposer=clean(proposer, field="proposer", cap=200),
        committee=committee,
    )
    audit_log(actor=actor, action="council.agenda_item.added", obj=item, data={"session": session.pk})
    return item


@transaction.atomic
def session_document_add(
    *,
    actor: User | None,
    session: Session,
    title: str,
    upload: UploadedFile,
    agenda_item: AgendaItem | None = None,
    system: bool = False,
) -> SessionDocument:
    _allowed(actor, system)
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise DomainError(_("The agenda item belongs to another session."), field="agenda_item")
    title = clean(title, field="title", cap=300, required=True)
    fmt, size = check_document(upload)
    document = SessionDocument(session=session, agenda_item=agenda_item, title=title, format=fmt, size=size)
    document.file.save(f"document.{fmt}", upload, save=False)
    document.save()
    audit_log(actor=actor, action="council.document.added", obj=document, data={"format": fmt, "size": size})
    return document


@transaction.atomic
def minutes_record(
    *,
    actor: User | None,
    session: Session,
    text: str = "",
    upload: UploadedFile | None = None,
    system: bool = False,
) -> Minutes:
    """Record (or replace) the minutes of a held session: a PDF, a written text, or both."""
    _allowed(actor, system)
    if session.status != Session.Status.HELD:
        raise DomainError(_("Minutes are recorded once the session has been held."), field="text")
    text = clean(text, field="text", cap=200_000)
    minutes = Minutes.objects.select_for_update().filter(session=session).first() or Minutes(session=session)
    minutes.text = text
    if upload is not None:
        _fmt, minutes.size = check_document(upload, pdf_only=True)
        minutes.file.save("minutes.pdf", upload, save=False)
    if not minutes.text and not minutes.file:
        raise DomainError(_("Upload the minutes as a PDF or write their text."), field="text")
    minutes.updated_at = timezone.now()
    minutes.save()
    audit_log(actor=actor, action="council.minutes.recorded", obj=minutes, data={"file": bool(minutes.file)})
    return minutes


# --- Decisions and votes ---------------------------------------------------------------------

DECISION_FIELDS = ("number", "date", "title", "text", "status", "required_majority", "agenda_item", "committee")


def _fill_decision(decision: Decision, session: Session, data: Mapping[str, Any]) -> None:
    decision.session = session
    decision.term = session.term
    decision.number = int(data["number"])
    decision.date = data.get("date") or session.date
    decision.title = clean(data.get("title"), field="title", cap=500, required=True)
    decision.text = clean(data.get("text"), field="text", cap=200_000)
    decision.status = data.get("status") or Decision.Status.ADOPTED
    decision.required_majority = data.get("required_majority") or Decision.Majority.SIMPLE
    decision.agenda_item = data.get("agenda_item")
    decision.committee = data.get("committee")
    if decision.number < 1:
        raise DomainError(_("The number must be positive."), field="number")
    if decision.status not in Decision.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    if decision.required_majority not in Decision.Majority.values:
        raise DomainError(_("Choose a valid majority."), field="required_majority")
    if decision.agenda_item is not None and decision.agenda_item.session_id != session.pk:
        raise DomainError(_("The agenda item belongs to another session."), field="agenda_item")
    if decision.committee is not None and decision.committee.term_id != session.term_id:
        raise DomainError(_("The committee belongs to another term."), field="committee")
    _within_term(session.term, decision.date)
    decision.search_text = decision.searchable()


def _check_outcome(decision: Decision, choices: Iterable[str]) -> None:
    tally = tally_of(choices, seats=decision.term.seats, required_majority=decision.required_majority)
    problem = outcome_problem(tally, decision.status)
    if problem:
        raise DomainError(problem, field="status", code="outcome")


@transaction.atomic
def decision_record(
    *,
    actor: User | None,
    session: Session,
    data: Mapping[str, Any],
    decision: Decision | None = None,
    is_demo: bool = False,
    system: bool = False,
) -> Decision:
    """Create a decision of ``session`` or, with ``decision``, correct it. A correction must
    stay consistent with the roll call already recorded."""
    _allowed(actor, system)
    creating = decision is None
    if decision is None:
        decision = Decision(is_demo=is_demo)
    else:
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _fill_decision(decision, session, data)
    if not creating:
        _check_outcome(decision, decision.votes.values_list("choice", flat=True))
    decision.updated_at = timezone.now()
    message = _("This term already has a decision № %(number)s.") % {"number": decision.number}
    with _unique(message, "number"):
        decision.save()
    action = "council.decision.created" if creating else "council.decision.updated"
    audit_log(actor=actor, action=action, obj=decision, data={"number": decision.number, "status": decision.status})
    return decision


def councillors_voting_on(decision: Decision) -> list[Councillor]:
    """The councillors of the decision's term who held office on its date."""
    return [
        councillor
        for councillor in Councillor.objects.filter(term_id=decision.term_id).select_related("group").order_by("name")
        if councillor.is_active_on(decision.date)
    ]


@transaction.atomic
def votes_record(
    *, actor: User | None, decision: Decision, choices: Mapping[int, str], system: bool = False
) -> dict[str, int]:
    """Record the roll call of ``decision``: one choice for every councillor in office on its
    date (recording it again replaces it; nothing is counted twice). Returns the counts."""
    _allowed(actor, system)
    decision = Decision.objects.select_for_update().select_related("term").get(pk=decision.pk)
    voters = {councillor.pk: councillor for councillor in councillors_voting_on(decision)}
    unknown = set(choices) - set(voters)
    if unknown:
        raise DomainError(_("Only councillors in office on the day of the decision can vote."), field="votes")
    missing = [voters[pk].name for pk in voters if pk not in choices]
    if missing:
        raise DomainError(
            _("Record a vote for every councillor: %(names)s.") % {"names": ", ".join(missing)},
            field="votes",
            code="missing",
        )
    if any(choice not in Vote.Choice.values for choice in choices.values()):
        raise DomainError(_("Choose for, against, abstained or absent."), field="votes")
    _check_outcome(decision, choices.values())
    _write_votes(decision, choices)
    counts = {choice: list(choices.values()).count(choice) for choice in Vote.Choice.values}
    audit_log(actor=actor, action="council.votes.recorded", obj=decision, data=counts)
    return counts


def _write_votes(decision: Decision, choices: Mapping[int, str]) -> None:
    """Replace the roll call: at most three queries whatever the council's size."""
    existing = {vote.councillor_id: vote for vote in Vote.objects.filter(decision=decision)}
    Vote.objects.filter(decision=decision).exclude(councillor_id__in=list(choices)).delete()
    changed = []
    for councillor_id, choice in choices.items():
        vote = existing.get(councillor_id)
        if vote is not None and vote.choice != choice:
            vote.choice = choice
            changed.append(vote)
    Vote.objects.bulk_update(changed, ["choice"])
    Vote.objects.bulk_create(
        [
            Vote(decision=decision, councillor_id=councillor_id, choice=choice)
            for councillor_id, choice in choices.items()
            if councillor_id not in existing
        ]
    )
