"""Display and skip logic stored as data, validated when saved and evaluated without ``eval``.

A condition is a JSON object:

* ``{"op": "equals", "var": "q1", "value": "2"}`` — the answer is the code (for multiple choice:
  the code is among those chosen); for numbers, the number;
* ``{"op": "in", "var": "q1", "values": ["1", "2"]}`` — the answer is (or includes) one of them;
* ``{"op": "range", "var": "age", "min": 18, "max": 65}`` — a number (or a 0–10 scale, or an
  ISO date) within bounds; either bound may be left out; ``"min_exclusive"`` /
  ``"max_exclusive"`` (true) make a bound strict;
* ``{"op": "answered", "var": "q1"}`` — the question has an answer;
* ``{"and": [condition, …]}`` and ``{"or": [condition, …]}`` — nested to any depth up to
  ``MAX_DEPTH``.

A question (or section) may refer only to questions that come before it; that rule also rules
out loops. A question hidden by logic counts as unanswered for the logic after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from glas.core.exceptions import DomainError

MAX_DEPTH = 6
MAX_CONDITIONS = 100
OPS = ("equals", "in", "range", "answered")
RANGE_TYPES = frozenset({"numeric", "scale_0_10", "date"})


@dataclass(frozen=True)
class QuestionInfo:
    """What validation needs to know about a question: its place, type and codes."""

    variable: str
    order: tuple[int, int]  # (section position, question position)
    type: str
    codes: frozenset[str] = field(default_factory=frozenset)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def referenced_variables(logic: Any) -> set[str]:
    """The variables a (well-formed) logic expression refers to."""
    if not isinstance(logic, dict):
        return set()
    for combinator in ("and", "or"):
        if combinator in logic and isinstance(logic[combinator], list):
            found: set[str] = set()
            for item in logic[combinator]:
                found |= referenced_variables(item)
            return found
    var = logic.get("var")
    return {var} if isinstance(var, str) else set()


def validate(logic: Any, *, questions: Mapping[str, QuestionInfo], before: tuple[int, int] | None) -> None:
    """Refuse malformed logic, unknown variables or codes, and references to questions that do
    not come strictly before ``before`` (the position of the question or section it belongs
    to; for a section, ``(section position, 0)``). ``None`` logic is "always shown"."""
    if logic is None:
        return
    counter = [0]
    _validate(logic, questions=questions, before=before, depth=0, counter=counter)


def _validate(
    logic: Any, *, questions: Mapping[str, QuestionInfo], before: tuple[int, int] | None, depth: int, counter: list[int]
) -> None:
    counter[0] += 1
    if depth > MAX_DEPTH or counter[0] > MAX_CONDITIONS:
        raise DomainError(_("The display logic is too complex."), field="logic")
    if not isinstance(logic, dict):
        raise DomainError(_("The display logic is not well formed."), field="logic")
    for combinator in ("and", "or"):
        if combinator in logic:
            items = logic[combinator]
            if len(logic) != 1 or not isinstance(items, list) or not items:
                raise DomainError(_("“and” and “or” need a list of conditions."), field="logic")
            for item in items:
                _validate(item, questions=questions, before=before, depth=depth + 1, counter=counter)
            return
    op = logic.get("op")
    if op not in OPS:
        raise DomainError(_("Unknown condition “%(op)s”.") % {"op": str(op)[:30]}, field="logic")
    var = logic.get("var")
    info = questions.get(var) if isinstance(var, str) else None
    if info is None:
        raise DomainError(
            _("The logic refers to an unknown question “%(var)s”.") % {"var": str(var)[:64]}, field="logic"
        )
    if before is not None and info.order >= before:
        raise DomainError(
            _(
                "The logic refers to “%(var)s”, which is not asked before this point. Logic may refer only to "
                "earlier questions (no forward references or loops)."
            )
            % {"var": var},
            field="logic",
        )
    if info.type == "note":
        raise DomainError(_("“%(var)s” is a note and has no answer.") % {"var": var}, field="logic")
    if op == "equals":
        _check_value(logic.get("value"), info)
    elif op == "in":
        values = logic.get("values")
        if not isinstance(values, list) or not values:
            raise DomainError(_("“in” needs a list of values."), field="logic")
        for value in values:
            _check_value(value, info)
    elif op == "range":
        if info.type not in RANGE_TYPES:
            raise DomainError(
                _("A range can only be set on a number, a 0–10 scale or a date (not on “%(var)s”).") % {"var": var},
                field="logic",
            )
        bounds = [logic.get(key) for key in ("min", "max") if logic.get(key) is not None]
        if not bounds:
            raise DomainError(_("A range needs a lower or an upper bound."), field="logic")
        parse = _date if info.type == "date" else _number
        if any(parse(bound) is None for bound in bounds):
            raise DomainError(_("The bounds of the range on “%(var)s” are not valid.") % {"var": var}, field="logic")


def _check_value(value: Any, info: QuestionInfo) -> None:
    if info.codes:
        if not isinstance(value, str) or value not in info.codes:
            raise DomainError(
                _("“%(value)s” is not one of the codes of “%(var)s”.")
                % {"value": str(value)[:40], "var": info.variable},
                field="logic",
            )
    elif info.type in ("numeric", "scale_0_10"):
        if _number(value) is None:
            raise DomainError(
                _("“%(var)s” is compared with something that is not a number.") % {"var": info.variable}, field="logic"
            )
    elif info.type == "date":
        if _date(value) is None:
            raise DomainError(
                _("“%(var)s” is compared with something that is not a date.") % {"var": info.variable}, field="logic"
            )
    elif not isinstance(value, str):
        raise DomainError(_("The value compared with “%(var)s” is not valid.") % {"var": info.variable}, field="logic")


def evaluate(logic: Any, answers: Mapping[str, Any]) -> bool:
    """Whether ``logic`` holds for ``answers`` (variable → typed value; unanswered variables
    are missing). Logic is validated when saved; anything unexpected here evaluates to False."""
    if logic is None:
        return True
    if not isinstance(logic, dict):
        return False
    if "and" in logic:
        return all(evaluate(item, answers) for item in logic["and"])
    if "or" in logic:
        return any(evaluate(item, answers) for item in logic["or"])
    answer = answers.get(logic.get("var", ""))
    if answer is None or answer == "" or answer == [] or answer == {}:
        return False
    op = logic.get("op")
    if op == "answered":
        return True
    if op == "equals":
        return _matches(answer, logic.get("value"))
    if op == "in":
        return any(_matches(answer, value) for value in logic.get("values") or [])
    if op == "range":
        return _in_range(answer, logic)
    return False


def _matches(answer: Any, value: Any) -> bool:
    if isinstance(answer, list):
        return value in answer
    if isinstance(answer, Decimal):
        return answer == _number(value)
    if isinstance(answer, dt.date):
        return answer == _date(value)
    return bool(answer == value)


def _in_range(answer: Any, logic: Mapping[str, Any]) -> bool:
    parse: Any = _date if isinstance(answer, dt.date) else _number
    value = parse(answer)
    if value is None:
        return False
    low, high = logic.get("min"), logic.get("max")
    if low is not None:
        bound = parse(low)
        if bound is None or value < bound or (logic.get("min_exclusive") and value == bound):
            return False
    if high is not None:
        bound = parse(high)
        if bound is None or value > bound or (logic.get("max_exclusive") and value == bound):
            return False
    return True


@dataclass(frozen=True)
class Node:
    """A question or a section, in questionnaire order, for working out what is shown."""

    variable: str  # the question's variable; "" for a section
    section_key: int
    logic: Any


def visible_variables(nodes: Iterable[Node], answers: Mapping[str, Any]) -> set[str]:
    """The variables of the questions shown for ``answers``. ``nodes`` come in questionnaire
    order, each section before its questions. Answers to hidden questions are ignored by the
    logic that follows them."""
    effective: dict[str, Any] = {}
    shown: set[str] = set()
    hidden_sections: set[int] = set()
    for node in nodes:
        if not node.variable:
            if not evaluate(node.logic, effective):
                hidden_sections.add(node.section_key)
            continue
        if node.section_key in hidden_sections or not evaluate(node.logic, effective):
            continue
        shown.add(node.variable)
        if node.variable in answers:
            effective[node.variable] = answers[node.variable]
    return shown
