"""The Bulgarian personal number (ЕГН): normalise, validate, hash, mask.

Format YYMMDDSSSC. The month carries the century (+20 → 1800s, +40 → 2000s); the ninth
digit is even for men and odd for women; the check digit is Σ(dᵢ·wᵢ) mod 11 with weights
2,4,8,5,10,9,7,3,6, and 10 becomes 0. python-stdnum implements the format; the business
limits here are Glas's own: the birth date is not in the future and at most
``MAX_AGE_YEARS`` ago, and numbers made of one repeated digit are refused.

An ЕГН is kept only as ``egn_hash`` (HMAC-SHA-256 with ``settings.EGN_HASH_KEY``) plus its
last two digits. It never goes into a URL, a log line, an e-mail or an audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.bg import egn as stdnum_egn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from glas.core.exceptions import DomainError

MAX_AGE_YEARS = 120
MAX_INPUT_LENGTH = 40
# Separators people type inside the number: spaces (all kinds), dashes, dots, slashes.
_SEPARATORS = {" ", "-", ".", "/", "\u00a0", "\u2009", "\u202f", "\u2010", "\u2011", "\u2012", "\u2013", "\u2212"}


@dataclass(frozen=True)
class Egn:
    value: str  # ten ASCII digits
    birth_date: dt.date
    sex: str  # "male" / "female"

    @property
    def last2(self) -> str:
        return self.value[-2:]

    @property
    def masked(self) -> str:
        return mask(self.value)


def normalise(raw: str) -> str:
    """Ten ASCII digits, or a DomainError. Accepts separators and non-ASCII digits
    (Arabic-Indic, full-width, …); refuses letters and invisible or control characters."""
    if raw is None:
        raise DomainError(_("Enter the ЕГН."), field="egn", code="required")
    if len(raw) > MAX_INPUT_LENGTH:
        raise DomainError(_("An ЕГН has exactly 10 digits."), field="egn", code="length")
    digits = []
    for char in raw.strip():
        if char in _SEPARATORS:
            continue
        category = unicodedata.category(char)
        if category == "Nd":
            digits.append(str(unicodedata.digit(char)))
            continue
        if category.startswith("L"):
            raise DomainError(_("An ЕГН contains only digits."), field="egn", code="letters")
        raise DomainError(_("The ЕГН contains a character that is not allowed."), field="egn", code="character")
    value = "".join(digits)
    if not value:
        raise DomainError(_("Enter the ЕГН."), field="egn", code="required")
    if len(value) != 10:
        raise DomainError(_("An ЕГН has exactly 10 digits."), field="egn", code="length")
    return value


def parse(raw: str, *, today: dt.date | None = None) -> Egn:
    """Normalise and validate; returns the canonical number with its birth date and sex."""
    value = normalise(raw)
    if len(set(value)) == 1:
        raise DomainError(_("This is not a valid ЕГН."), field="egn", code="repeated")
    try:
        stdnum_egn.validate(value)
    except InvalidChecksum:
        raise DomainError(
            _("The ЕГН's check digit is wrong: please check the number."), field="egn", code="checksum"
        ) from None
    except (InvalidComponent, InvalidFormat, InvalidLength):
        raise DomainError(_("The ЕГН does not contain a valid date of birth."), field="egn", code="date") from None
    except ValidationError:
        raise DomainError(_("This is not a valid ЕГН."), field="egn", code="invalid") from None
    birth_date = stdnum_egn.get_birth_date(value)
    today = today or timezone.localdate()
    if birth_date > today:
        raise DomainError(_("The ЕГН's date of birth is in the future."), field="egn", code="future")
    if birth_date < years_before(today, MAX_AGE_YEARS):
        raise DomainError(
            _("The ЕГН's date of birth is more than %(years)s years ago.") % {"years": MAX_AGE_YEARS},
            field="egn",
            code="too_old",
        )
    sex = "male" if int(value[8]) % 2 == 0 else "female"
    return Egn(value=value, birth_date=birth_date, sex=sex)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def keyed_hash(value: str) -> str:
    """HMAC-SHA-256 of a canonical ЕГН (hex). The same number gives the same hash for as
    long as ``EGN_HASH_KEY`` is unchanged, which is what de-duplication relies on."""
    key = settings.EGN_HASH_KEY.encode("utf-8")
    return hmac.new(key, b"glas-egn-v1:" + value.encode("ascii"), hashlib.sha256).hexdigest()


def mask(value: str) -> str:
    return "••••••••" + value[-2:]
