"""What an invitation says and where it points: the absolute links of e-mails, and the printed
letters (PDF, one A4 page each) for people invited without an e-mail address.

Letters are rendered in the request, at most ``LETTERS_CAP`` letters per PDF: on the reference
machine (2 cores) WeasyPrint takes about 7 s for 500 letters and 53 s for 2,000 (2.6 MB), too
long for a request, so a larger sample is printed in parts, by settlement or from the ``first``
letter on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from glas.core.models import Settlement
from glas.core.selectors import current_municipality_or_none
from glas.surveys.models import Invitation, Survey
from glas.surveys.services.fieldwork import invitation_token

LETTERS_CAP = 500


def absolute(path: str) -> str:
    """An address for e-mail and paper, as core builds them: the site's URL plus the path."""
    return f"{settings.GLAS_SITE_URL.rstrip('/')}{path}"


def invitation_link(survey: Survey, token: str) -> str:
    return absolute(reverse("surveys:respond_invitation", args=[survey.public_id, token]))


def landing_link(survey: Survey) -> str:
    """The survey's public address, where a person types the short code from a letter."""
    return absolute(reverse("surveys:respond_start", args=[survey.public_id]))


def grouped_code(code: str) -> str:
    """ "ABCDEFGH" → "ABCD-EFGH", easier to read aloud and to type."""
    return f"{code[:4]}-{code[4:]}" if len(code) > 4 else code


def email_context(invitation: Invitation) -> dict[str, Any]:
    survey = invitation.survey
    return {
        "survey": survey,
        "link": invitation_link(survey, invitation_token(invitation)),
        "landing": landing_link(survey),
        "code": grouped_code(invitation.short_code),
        "municipality": current_municipality_or_none(),
        "site_url": settings.GLAS_SITE_URL,
    }


def letter_invitations(survey: Survey, *, settlement: Settlement | None = None, first: int = 0) -> QuerySet[Invitation]:
    """The invitations that need a printed letter: without an e-mail address, not completed;
    at most ``LETTERS_CAP``, from the ``first``-th on, by settlement."""
    query = Invitation.objects.filter(survey=survey, email="", completed_at__isnull=True)
    if settlement is not None:
        query = query.filter(settlement=settlement)
    query = query.select_related("settlement", "settlement__kmetstvo").order_by("settlement__name", "pk")
    return query[first : first + LETTERS_CAP]


@dataclass
class Letter:
    code: str
    settlement: Settlement | None


def letters_html(survey: Survey, invitations: QuerySet[Invitation]) -> str:
    letters = [Letter(code=grouped_code(item.short_code), settlement=item.settlement) for item in invitations]
    context = {
        "survey": survey,
        "letters": letters,
        # Typed by hand from paper: without "https://", which browsers add themselves.
        "landing": landing_link(survey).split("://", 1)[-1],
        "municipality": current_municipality_or_none(),
    }
    return render_to_string("surveys/letters/invitation_letters.html", context)
