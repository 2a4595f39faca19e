"""The public register of interest declarations (ЗПК 2023) and the check of council votes against
them: a councillor who voted (for, against or abstaining) on a decision whose text names a company
from their own declaration is flagged for an integrity officer to review. Flags are never
published before that review, and only confirmed ones are."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.bg import vat as bg_uic

from glas.core.audit import audit_log
from glas.core.exceptions import DomainError
from glas.core.text import clean_plain_text
from glas.council.models import search_key
from glas.integrity.models import DeclaredCompany, EthicsCode, InterestDeclaration, VoteFlag

if TYPE_CHECKING:
    from glas.accounts.models import User
    from glas.council.models import Councillor

LEGAL_FORMS = re.compile(r"\b(еоод|оод|еад|ад|ет|кд|кда|сд|ltd|llc|gmbh)\b\.?", re.IGNORECASE)
QUOTES = re.compile(r"[„“”\"'«»]")
MIN_NAME = 4  # shorter names match too much ordinary text
VOTED = ("for", "against", "abstained")


def _require(actor: User | None, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise DomainError(_("You may not do this."), code="forbidden")


def company_key(name: str) -> str:
    """A company name as it is searched in decisions: case-folded, without quotes or legal form."""
    return " ".join(search_key(LEGAL_FORMS.sub(" ", QUOTES.sub(" ", name))).split())


def _companies(rows: list[tuple[str, str, str]]) -> list[DeclaredCompany]:
    companies = []
    for number, (name, eik, relation) in enumerate(rows, start=1):
        name = clean_plain_text(name, cap=300, field="companies").strip()
        eik = re.sub(r"\s", "", eik or "")
        if not name:
            raise DomainError(_("Line %(line)d: give the company's name.") % {"line": number}, field="companies")
        if eik and not bg_uic.is_valid(eik):
            raise DomainError(
                _("Line %(line)d: %(eik)s is not a valid UIC (ЕИК).") % {"line": number, "eik": eik[:20]},
                field="companies",
            )
        if relation not in DeclaredCompany.Relation.values:
            raise DomainError(
                _("Line %(line)d: the relation must be one of: %(values)s.")
                % {"line": number, "values": ", ".join(DeclaredCompany.Relation.values)},
                field="companies",
            )
        companies.append(DeclaredCompany(name=name, eik=bg_uic.compact(eik) if eik else "", relation=relation))
    return companies


def _document(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    from glas.council.services.files import check_document

    check_document(upload, field="document", pdf_only=True)


def declaration_file(
    *,
    actor: User,
    person_name: str,
    position: str,
    kind: str,
    year: int,
    filed_on: dt.date,
    councillor: Councillor | None = None,
    positions_held: str = "",
    interests: str = "",
    companies: list[tuple[str, str, str]] | None = None,
    document: UploadedFile | None = None,
    is_demo: bool = False,
) -> InterestDeclaration:
    _require(actor, "integrity.manage_declarations")
    if position not in InterestDeclaration.Position.values:
        raise DomainError(_("Choose the position."), field="position")
    if kind not in InterestDeclaration.Kind.values:
        raise DomainError(_("Choose the kind of declaration."), field="kind")
    if councillor is not None and position != InterestDeclaration.Position.COUNCILLOR:
        raise DomainError(_("Only a councillor's declaration is linked to a councillor."), field="councillor")
    if filed_on > timezone.localdate() or not 1990 <= year <= filed_on.year + 1:
        raise DomainError(_("Check the year and the date of filing."), field="filed_on")
    rows = _companies(companies or [])
    _document(document)
    with transaction.atomic():
        declaration = InterestDeclaration(
            person_name=clean_plain_text(person_name, cap=200, field="person_name") or "",
            position=position,
            councillor=councillor,
            kind=kind,
            year=year,
            filed_on=filed_on,
            positions_held=clean_plain_text(positions_held, cap=5000, field="positions_held"),
            interests=clean_plain_text(interests, cap=5000, field="interests"),
            is_demo=is_demo,
        )
        if not declaration.person_name:
            raise DomainError(_("This field is required."), field="person_name")
        if document is not None:
            declaration.document.save(f"{declaration.public_id}.pdf", document, save=False)
        declaration.save()
        for company in rows:
            company.declaration = declaration
        DeclaredCompany.objects.bulk_create(rows)
        declaration.search_text = search_key(" ".join([declaration.person_name, *(f"{c.name} {c.eik}" for c in rows)]))
        declaration.save(update_fields=["search_text"])
        audit_log(actor=actor, action="integrity.declaration.filed", obj=declaration, data={"companies": len(rows)})
        transaction.on_commit(lambda: vote_conflicts_scan(declaration=declaration))
    return declaration


def declaration_withdraw(*, actor: User, declaration: InterestDeclaration, reason: str) -> InterestDeclaration:
    """A declaration entered by mistake stays in the register, marked as withdrawn with a reason."""
    _require(actor, "integrity.manage_declarations")
    text = clean_plain_text(reason, cap=300, field="reason")
    if not text:
        raise DomainError(_("Give the reason."), field="reason")
    with transaction.atomic():
        InterestDeclaration.objects.filter(pk=declaration.pk).update(withdrawn_reason=text)
        declaration.refresh_from_db()
        audit_log(actor=actor, action="integrity.declaration.withdrawn", obj=declaration, data={"reason": text})
    return declaration


def vote_conflicts_scan(*, declaration: InterestDeclaration | None = None) -> int:
    """Flag votes of councillors on decisions naming a company from their declarations; returns
    how many new flags were made. One query per declared company; existing flags are kept."""
    from glas.council.models import Vote

    companies = DeclaredCompany.objects.filter(
        declaration__councillor__isnull=False, declaration__withdrawn_reason=""
    ).select_related("declaration")
    if declaration is not None:
        companies = companies.filter(declaration=declaration)
    made = 0
    for company in companies:
        key = company_key(company.name)
        match = Q()
        if len(key) >= MIN_NAME:
            match |= Q(decision__search_text__contains=key)
        if company.eik:
            match |= Q(decision__search_text__contains=company.eik)
        if not match:
            continue
        councillor = company.declaration.councillor_id or 0
        votes = Vote.objects.filter(match, councillor_id=councillor, choice__in=VOTED)
        for vote in votes.select_related("decision"):
            on = "eik" if company.eik and company.eik in vote.decision.search_text else "name"
            _flag, created = VoteFlag.objects.get_or_create(vote=vote, company=company, defaults={"matched_on": on})
            made += int(created)
    if made:
        audit_log(actor=None, action="integrity.vote_flags.found", data={"new": made})
    return made


def vote_flag_review(*, actor: User, flag: VoteFlag, status: str, note: str = "") -> VoteFlag:
    _require(actor, "integrity.review_flags")
    if status not in (VoteFlag.Status.DISMISSED, VoteFlag.Status.CONFIRMED):
        raise DomainError(_("Choose whether the conflict is confirmed or dismissed."), field="status")
    text = clean_plain_text(note, cap=2000, field="note")
    if status == VoteFlag.Status.CONFIRMED and not text:
        raise DomainError(_("Explain the confirmed conflict; the note is published."), field="note")
    with transaction.atomic():
        VoteFlag.objects.filter(pk=flag.pk).update(
            status=status, note=text, reviewed_by=actor, reviewed_at=timezone.now()
        )
        flag.refresh_from_db()
        audit_log(actor=actor, action="integrity.vote_flag.reviewed", obj=flag, data={"status": status})
    return flag


def ethics_code_publish(
    *,
    actor: User,
    title: str,
    adopted_by: str,
    text: str = "",
    document: UploadedFile | None = None,
    is_demo: bool = False,
) -> EthicsCode:
    """Publish (a new version of) the employees' ethics code."""
    _require(actor, "integrity.manage_declarations")
    body = clean_plain_text(text, cap=100_000, field="text")
    if not body and document is None:
        raise DomainError(_("Give the text of the code or upload it as a PDF file."), field="text")
    title = clean_plain_text(title, cap=300, field="title")
    adopted = clean_plain_text(adopted_by, cap=300, field="adopted_by")
    if not title or not adopted:
        raise DomainError(_("This field is required."), field="title" if not title else "adopted_by")
    _document(document)
    with transaction.atomic():
        code = EthicsCode(
            title=title, adopted_by=adopted, text=body, published_on=timezone.localdate(), is_demo=is_demo
        )
        if document is not None:
            code.document.save(f"ethics-{timezone.localdate():%Y%m%d}.pdf", document, save=False)
        code.save()
        audit_log(actor=actor, action="integrity.ethics_code.published", obj=code)
    return code
