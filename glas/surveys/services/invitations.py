"""Writes for the samples of a survey: import a list of invitations from CSV, draw a random
sample of verified residents, and send invitations and reminders by e-mail.

Each function checks ``surveys.run_fieldwork``, runs in one transaction and writes one audit
entry (counts only: no e-mail address is ever put in the audit data). E-mail goes after commit,
as tasks that take invitation ids (``glas.surveys.tasks.send_invitation_emails``).

CSV import, decided:

* columns ``email`` (required as a column; a row without an address is an invitation by printed
  letter), ``settlement`` (a settlement's name or slug) and ``stratum`` (free text, 100
  characters); Bulgarian headings (``имейл``, ``населено място``, ``страта``) are understood
  and other columns ignored;
* UTF-8, with or without a byte-order mark, or Windows-1251 (what Bulgarian Excel saves), taken
  only when it decodes to Bulgarian Cyrillic text; ``;`` or ``,`` as the delimiter;
* at most ``MAX_CSV_BYTES`` and ``MAX_CSV_ROWS`` rows;
* every bad line is reported by its number, and nothing is saved while any line is bad; the same
  address twice in the file is such an error (the list is probably wrong), while an address
  already invited to this survey is skipped and reported, so that an extended list can be
  uploaded again;
* cells are only ever data: a cell starting with ``=`` is stored as text and never evaluated.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from glas.core.audit import audit_log
from glas.core.csvtext import csv_text
from glas.core.enqueue import enqueue_on_commit
from glas.core.exceptions import DomainError
from glas.core.forms import text_problem
from glas.core.models import Settlement
from glas.core.selectors import current_municipality_or_none
from glas.surveys.models import Invitation, Survey
from glas.surveys.services.common import require
from glas.surveys.services.fieldwork import derive_token, new_short_code, new_token_nonce, token_hash

if TYPE_CHECKING:
    from glas.accounts.models import User

MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 10_000
MAX_REPORTED_ERRORS = 50
MAX_SAMPLE = 10_000
SEND_CHUNK = 100  # invitations per e-mail task
SEND_KINDS = ("invitation", "reminder")

HEADINGS = {
    "email": "email",
    "e-mail": "email",
    "имейл": "email",
    "е-мейл": "email",
    "електронна поща": "email",
    "settlement": "settlement",
    "населено място": "settlement",
    "stratum": "stratum",
    "страта": "stratum",
}


class ImportRefused(DomainError):
    """The file was refused; ``errors`` lists every problem (by line), for the form."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0], field="file", code="csv")
        self.errors = errors


@dataclass
class ImportReport:
    created: int
    skipped_lines: list[int] = field(default_factory=list)  # already invited to this survey


@dataclass
class SampleReport:
    drawn: int
    frame: int
    allocation: dict[str, int]  # settlement slug (or "" for all) → people drawn


def invitation_refusal(survey: Survey) -> DomainError | None:
    """Why no invitation can be added to the survey now (anonymous, or its fieldwork is over),
    or None when one can. The invitations page asks it too, so as not to offer forms that can
    only be refused."""
    if survey.anonymity == Survey.Anonymity.ANONYMOUS:
        return DomainError(_("An anonymous survey is answered by public link, not by invitation."), code="anonymous")
    if survey.status not in (Survey.Status.DRAFT, Survey.Status.FIELDWORK):
        return DomainError(_("The fieldwork of this survey is over."), code="closed")
    return None


def _check_can_invite(actor: User, survey: Survey) -> None:
    require(actor, "surveys.run_fieldwork", survey)
    refusal = invitation_refusal(survey)
    if refusal is not None:
        raise refusal


@contextmanager
def _invited_once() -> Iterator[None]:
    """Invitations added at the same moment by someone else may take the same person, address
    or code (the database refuses the second): ask to try again rather than fail."""
    try:
        yield
    except IntegrityError:
        raise DomainError(
            _("Invitations were being added at the same time; nothing was saved. Please try again."),
            code="conflict",
        ) from None


def _create_invitations(survey: Survey, specs: Iterable[dict[str, Any]]) -> int:
    """Bulk-create invitations, each with its own nonce (so its token can be derived again)
    and a short code not yet used in the survey. Two queries plus one per 500 rows."""
    used = set(Invitation.objects.filter(survey=survey).values_list("short_code", flat=True))
    rows = []
    for spec in specs:
        code = new_short_code()
        while code in used:
            code = new_short_code()
        used.add(code)
        nonce = new_token_nonce()
        rows.append(
            Invitation(
                survey=survey, token_hash=token_hash(derive_token(nonce)), token_nonce=nonce, short_code=code, **spec
            )
        )
    Invitation.objects.bulk_create(rows, batch_size=500)
    return len(rows)


# --- CSV import -----------------------------------------------------------------------------


def _line_error(line: int, message: str) -> str:
    return _("Line %(line)s: %(problem)s") % {"line": line, "problem": message}


def _decode(data: bytes) -> str:
    text = csv_text(data)
    if text is None:
        raise ImportRefused(
            [_("The file is not a CSV text file in UTF-8 or Windows-1251. Save it from the spreadsheet as CSV.")]
        )
    return text


def _delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=";,").delimiter
    except csv.Error:
        first_line = text.split("\n", 1)[0]
        return ";" if first_line.count(";") > first_line.count(",") else ","


def _settlement_index() -> dict[str, Settlement]:
    municipality = current_municipality_or_none()
    index: dict[str, Settlement] = {}
    if municipality is None:
        return index
    for settlement in Settlement.objects.filter(municipality=municipality):
        prefix = "гр." if settlement.kind == Settlement.Kind.TOWN else "с."
        names = [settlement.slug, settlement.name, settlement.name_en, f"{prefix} {settlement.name}"]
        names.append(f"{prefix}{settlement.name}")
        for name in names:
            if name:
                index[name.casefold()] = settlement
    return index


def _parse_csv(text: str, survey: Survey) -> tuple[list[dict[str, Any]], list[int]]:
    """The invitations to create and the lines skipped, or ``ImportRefused`` with every error."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        heading = next(reader, None)
    except csv.Error:
        heading = None
    if not heading:
        raise ImportRefused([_("The file is empty.")])
    columns: dict[str, int] = {}
    for position, title in enumerate(heading):
        name = HEADINGS.get(" ".join(title.split()).casefold())
        if name in columns:
            raise ImportRefused([_("The column “%(name)s” appears twice.") % {"name": name}])
        if name:
            columns[name] = position
    if "email" not in columns:
        raise ImportRefused([_("The file has no “email” column (the first line must name the columns).")])
    settlements = _settlement_index() if "settlement" in columns else {}
    already = set(Invitation.objects.filter(survey=survey).exclude(email="").values_list("email", flat=True))
    errors: list[str] = []
    specs: list[dict[str, Any]] = []
    skipped: list[int] = []
    seen: dict[str, int] = {}
    count = 0
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            if count > MAX_CSV_ROWS:
                raise ImportRefused(
                    [_("The file has more than %(cap)s rows; split it into smaller files.") % {"cap": MAX_CSV_ROWS}]
                )
            spec, problem = _parse_row(row, columns, settlements)
            if problem:
                errors.append(_line_error(line, problem))
                continue
            email = spec["email"]
            if email and email in seen:
                errors.append(_line_error(line, _("the same e-mail address as line %(line)s.") % {"line": seen[email]}))
                continue
            if email:
                seen[email] = line
            if email and email in already:
                skipped.append(line)
                continue
            specs.append(spec)
    except csv.Error:
        errors.append(_line_error(line + 1, _("this line cannot be read as CSV.")))
    if errors:
        more = len(errors) - MAX_REPORTED_ERRORS
        shown = errors[:MAX_REPORTED_ERRORS]
        if more > 0:
            shown.append(_("…and %(count)s more lines with errors.") % {"count": more})
        raise ImportRefused(shown)
    if not specs and not skipped:
        raise ImportRefused([_("The file has no invitations in it.")])
    return specs, skipped


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    position = columns.get(name)
    if position is None or position >= len(row):
        return ""
    return row[position].strip()


def _parse_row(
    row: list[str], columns: dict[str, int], settlements: dict[str, Settlement]
) -> tuple[dict[str, Any], str]:
    for cell in row:
        problem = text_problem(cell)
        if problem:
            return {}, problem
        if len(cell) > 500:
            return {}, _("a cell is longer than 500 characters.")
    email = _cell(row, columns, "email").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return {}, _("not an e-mail address.")
    settlement = None
    name = _cell(row, columns, "settlement")
    if name:
        settlement = settlements.get(" ".join(name.split()).casefold())
        if settlement is None:
            return {}, _("unknown settlement (write its name as in the list of settlements).")
    stratum = _cell(row, columns, "stratum")
    if len(stratum) > 100:
        return {}, _("the stratum is longer than 100 characters.")
    return {"email": email, "settlement": settlement, "stratum": stratum}, ""


def invitations_import_csv(*, actor: User, survey: Survey, data: bytes) -> ImportReport:
    """Invitations from a CSV list (see the module docstring for what is accepted). All or
    nothing: ``ImportRefused`` lists every bad line and nothing is saved."""
    _check_can_invite(actor, survey)
    if len(data) > MAX_CSV_BYTES:
        raise ImportRefused([_("The file is larger than 2 MB; split it into smaller files.")])
    specs, skipped = _parse_csv(_decode(data), survey)
    with _invited_once(), transaction.atomic():
        created = _create_invitations(survey, specs)
        audit_log(
            actor=actor,
            action="surveys.invitations.imported",
            obj=survey,
            data={"created": created, "skipped_already_invited": len(skipped)},
        )
    return ImportReport(created=created, skipped_lines=skipped)


# --- Random sample of verified residents ----------------------------------------------------


def largest_remainder(counts: dict[Any, int], size: int) -> dict[Any, int]:
    """Split ``size`` over the strata in proportion to ``counts`` (Hamilton's method): each gets
    the whole part of its share, and the places left go to the largest remainders (ties: the
    larger stratum, then the key). No stratum gets more than it has when ``size`` ≤ total."""
    total = sum(counts.values())
    if total == 0:
        return dict.fromkeys(counts, 0)
    shares = {key: Fraction(size * count, total) for key, count in counts.items()}
    allocation = {key: int(share) for key, share in shares.items()}
    left = size - sum(allocation.values())
    order = sorted(counts, key=lambda key: (-(shares[key] - allocation[key]), -counts[key], str(key)))
    for key in order[:left]:
        allocation[key] += 1
    return allocation


def invitations_draw_sample(
    *, actor: User, survey: Survey, size: int, by_settlement: bool = True, seed: int | None = None
) -> SampleReport:
    """Invite a simple random sample of ``size`` verified residents (verification level 2) of
    the municipality who are not yet invited to this survey (by account or by e-mail address).

    With ``by_settlement`` the sample is stratified by the settlement of each person's resident
    verification, allocated in proportion to the number of verified residents who can still be
    drawn there (largest remainders). The frame's own counts are used rather than the census
    ``PopulationFigure``: only verified residents can be drawn, and a settlement cannot give more
    people than it has; weighting to the population is the analysis' job.

    The draw uses ``random.SystemRandom``; with a ``seed`` (tests, a draw to be reproduced) a
    seeded generator over the frame in account order, and the seed is recorded in the audit
    entry."""
    from glas.accounts.models import User
    from glas.accounts.roles import VerificationLevel

    _check_can_invite(actor, survey)
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_SAMPLE:
        raise DomainError(_("The sample size is a whole number from 1 to %(cap)s.") % {"cap": MAX_SAMPLE}, field="size")
    invited = Invitation.objects.filter(survey=survey)
    frame_query = (
        User.objects.filter(
            verification_level=VerificationLevel.VERIFIED_RESIDENT,
            is_active=True,
            deleted_at__isnull=True,
            resident_verification__isnull=False,
        )
        .annotate(email_lower=Lower("email"))
        .exclude(pk__in=invited.filter(person__isnull=False).values("person_id"))
        .exclude(email_lower__in=invited.exclude(email="").values("email"))
    )
    municipality = current_municipality_or_none()
    if municipality is not None:
        frame_query = frame_query.filter(resident_verification__settlement__municipality=municipality)
    frame = list(
        frame_query.order_by("pk").values_list(
            "pk", "email_lower", "resident_verification__settlement_id", "resident_verification__settlement__slug"
        )
    )
    if size > len(frame):
        raise DomainError(
            _("Only %(count)s verified residents can still be invited to this survey.") % {"count": len(frame)},
            field="size",
        )
    rng: random.Random = random.Random(seed) if seed is not None else random.SystemRandom()  # noqa: S311
    strata: dict[str, list[tuple[int, str, int, str]]] = {}
    for person in frame:
        strata.setdefault(person[3] if by_settlement else "", []).append(person)
    allocation = largest_remainder({key: len(members) for key, members in strata.items()}, size)
    drawn = []
    for key in sorted(strata):
        drawn.extend(rng.sample(strata[key], allocation[key]))
    specs = [
        {"email": email, "person_id": pk, "settlement_id": settlement_id, "stratum": ""}
        for pk, email, settlement_id, _slug in drawn
    ]
    with _invited_once(), transaction.atomic():
        created = _create_invitations(survey, specs)
        audit_log(
            actor=actor,
            action="surveys.invitations.sampled",
            obj=survey,
            data={
                "drawn": created,
                "frame": len(frame),
                "by_settlement": by_settlement,
                "seed": seed,
                "allocation": {key: count for key, count in sorted(allocation.items()) if count},
            },
        )
    return SampleReport(drawn=created, frame=len(frame), allocation=allocation)


# --- Sending --------------------------------------------------------------------------------


def invitations_to_send(survey: Survey, kind: str) -> Any:
    """Invitations with an e-mail address that the next sending of ``kind`` would reach:
    invitations not sent yet, or reminders to people invited, not done, not yet reminded."""
    query = Invitation.objects.filter(survey=survey).exclude(email="").exclude(token_nonce="")
    if kind == "reminder":
        return query.filter(sent_at__isnull=False, completed_at__isnull=True, reminded_at__isnull=True)
    return query.filter(sent_at__isnull=True)


def invitations_send(*, actor: User, survey: Survey, kind: str = "invitation") -> int:
    """Queue the e-mail invitations (or reminders) of the survey; returns how many. The tasks
    run after commit and mark each invitation sent (or reminded) when its e-mail goes, so
    sending twice, or a task run twice, e-mails nobody twice."""
    from glas.surveys.tasks import send_invitation_emails

    require(actor, "surveys.run_fieldwork", survey)
    if kind not in SEND_KINDS:
        raise DomainError(_("Unknown kind of e-mail."), field="kind")
    if survey.status != Survey.Status.FIELDWORK:
        raise DomainError(_("E-mails are sent only while the survey is in fieldwork."), code="not_fieldwork")
    with transaction.atomic():
        ids = list(invitations_to_send(survey, kind).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), SEND_CHUNK):
            enqueue_on_commit(send_invitation_emails, ids[start : start + SEND_CHUNK], kind)
        audit_log(
            actor=actor,
            action="surveys.invitations.reminded" if kind == "reminder" else "surveys.invitations.sent",
            obj=survey,
            data={"count": len(ids)},
        )
    return len(ids)
