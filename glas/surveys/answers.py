"""Checking one submitted answer against its question and turning it into its typed value.

Raw values come from forms or the API: a code (single, dropdown, yes/no, Likert, settlement
slug), a list of codes (multiple choice; ranking in rank order), an object ``{row code: scale
code}`` (matrix), a number or its text (numeric, 0–10), text, or an ISO date. Empty values clear
the answer. Every refusal is a ``DomainError`` naming the question's variable as its field.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError
from glas.surveys.models import OTHER_CODE, TEXT_CAP, Question


@dataclass(frozen=True)
class CleanAnswer:
    """The typed value for the question's storage column, and the "other" text."""

    value: Any
    other_text: str = ""


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list | dict) and not raw)


def clean_text(raw: Any, *, cap: int, field: str) -> str:
    """Text with normalised line ends; refuses NUL bytes, lone surrogates and over-long text."""
    if not isinstance(raw, str):
        raise DomainError(_("Enter text."), field=field)
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if "\x00" in text or any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        raise DomainError(_("The text contains characters that cannot be stored."), field=field)
    if len(text) > cap:
        raise DomainError(
            _("Keep the answer within %(cap)d characters (it has %(length)d).") % {"cap": cap, "length": len(text)},
            field=field,
        )
    return text


def clean_answer(
    question: Question, raw: Any, *, other: Any = "", settlement_slugs: frozenset[str] = frozenset()
) -> CleanAnswer:
    """Check ``raw`` for ``question`` (choices and rows prefetched) and return its typed value."""
    field = question.variable
    kind = question.type
    if kind == Question.Type.NOTE:
        raise DomainError(_("This item is a note and takes no answer."), field=field)
    codes = [choice.code for choice in question.choices.all()]
    other_allowed = question.allow_other
    valid = set(codes) | ({OTHER_CODE} if other_allowed else set())

    if kind in Question.SINGLE_CODE_TYPES:
        allowed = settlement_slugs if kind == Question.Type.SETTLEMENT else valid
        if not isinstance(raw, str) or raw not in allowed:
            raise DomainError(_("Choose one of the answers offered."), field=field)
        return CleanAnswer(raw, _other_text(question, [raw], other))

    if kind in (Question.Type.MULTIPLE, Question.Type.RANKING):
        if not isinstance(raw, list) or not all(isinstance(code, str) for code in raw):
            raise DomainError(_("Choose among the answers offered."), field=field)
        if len(set(raw)) != len(raw) or not set(raw) <= valid:
            raise DomainError(_("Choose among the answers offered."), field=field)
        if kind == Question.Type.MULTIPLE:
            if question.min_choices and len(raw) < question.min_choices:
                raise DomainError(_("Choose at least %(n)d answers.") % {"n": question.min_choices}, field=field)
            if question.max_choices and len(raw) > question.max_choices:
                raise DomainError(_("Choose at most %(n)d answers.") % {"n": question.max_choices}, field=field)
            order = {code: index for index, code in enumerate(codes + [OTHER_CODE])}
            raw = sorted(raw, key=order.__getitem__)
        return CleanAnswer(list(raw), _other_text(question, raw, other))

    if kind == Question.Type.MATRIX:
        rows = {row.code for row in question.rows.all()}
        if not isinstance(raw, dict) or not set(raw) <= rows:
            raise DomainError(_("Answer the rows of the table shown."), field=field)
        cleaned = {row: code for row, code in raw.items() if not is_empty(code)}
        if not all(isinstance(code, str) and code in codes for code in cleaned.values()):
            raise DomainError(_("Choose one of the answers offered in each row."), field=field)
        if question.required and cleaned and set(cleaned) != rows:
            raise DomainError(_("Answer every row of the table."), field=field)
        return CleanAnswer(cleaned)

    if kind in Question.NUMBER_TYPES:
        return CleanAnswer(_clean_number(question, raw, field))

    if kind in Question.TEXT_TYPES:
        return CleanAnswer(clean_text(raw, cap=min(question.text_cap, TEXT_CAP), field=field))

    if kind == Question.Type.DATE:
        if isinstance(raw, dt.datetime):
            raise DomainError(_("Enter a date."), field=field)
        if isinstance(raw, dt.date):
            return CleanAnswer(raw)
        try:
            return CleanAnswer(dt.date.fromisoformat(str(raw).strip()[:10]))
        except ValueError:
            raise DomainError(_("Enter a date as YYYY-MM-DD."), field=field) from None

    raise DomainError(_("This question cannot be answered."), field=field)


def _clean_number(question: Question, raw: Any, field: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise DomainError(_("Enter a number."), field=field)
    try:
        number = Decimal(str(raw).strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise DomainError(_("Enter a number."), field=field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e14"):
        raise DomainError(_("Enter a number."), field=field)
    low: Decimal | None
    high: Decimal | None
    if question.type == Question.Type.SCALE_0_10:
        low, high, places = Decimal(0), Decimal(10), 0
    else:
        low, high, places = question.min_value, question.max_value, question.decimal_places
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places and number != number.quantize(Decimal(1).scaleb(-places)):
        if places == 0:
            raise DomainError(_("Enter a whole number."), field=field)
        raise DomainError(_("Use at most %(n)d decimal places.") % {"n": places}, field=field)
    if low is not None and number < low:
        raise DomainError(_("Enter a number of at least %(min)s.") % {"min": _plain(low)}, field=field)
    if high is not None and number > high:
        raise DomainError(_("Enter a number of at most %(max)s.") % {"max": _plain(high)}, field=field)
    return number


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _other_text(question: Question, chosen: list[str], other: Any) -> str:
    if not question.allow_other or OTHER_CODE not in chosen:
        return ""
    if is_empty(other):
        raise DomainError(_("Please specify the “other” answer."), field=f"{question.variable}_other")
    return clean_text(other, cap=SHORT_TEXT_OTHER_CAP, field=f"{question.variable}_other")


SHORT_TEXT_OTHER_CAP = 500
