"""The answer form for one page (section) of a questionnaire, and the small forms around it.

``SectionAnswerForm`` builds one field per answerable part of each question (a matrix row, a
rank position, the "please specify" text); its fields accept any text, because the answers are
checked by the services (``response_save_answers``), whose messages are shown on the fields.
``blocks`` gives the templates one ``QuestionBlock`` per question, rendered by
``surveys/_question.html``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from glas.core.models import Settlement
from glas.core.selectors import current_municipality_or_none
from glas.surveys.models import OTHER_CODE, TEXT_CAP, Question, Response
from glas.surveys.selectors import Structure

FAMILIES = {
    "single": "choice",
    "yes_no": "choice",
    "likert": "choice",
    "scale_0_10": "choice",
    "multiple": "multiple",
    "dropdown": "select",
    "settlement": "select",
    "matrix": "matrix",
    "numeric": "number",
    "short_text": "text",
    "long_text": "text",
    "date": "date",
    "ranking": "ranking",
    "note": "note",
}
SHUFFLED_TYPES = frozenset({"single", "multiple", "dropdown", "ranking"})
OTHER_CAP = 500


class ListField(forms.Field):
    """The list of values of a group of checkboxes, unchecked (the services check them)."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool = False


@dataclass
class Part:
    """A matrix row or a rank position: its own field with a label and options."""

    name: str
    id: str
    label: str
    options: list[Option]
    value: str = ""


@dataclass
class QuestionBlock:
    """What a question's partial needs: names, ids, options, current values and the error."""

    question: Question
    family: str
    name: str
    id: str
    options: list[Option] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    value: str = ""
    other_name: str = ""
    other_id: str = ""
    other_value: str = ""
    other_error: str = ""
    error: str = ""
    logic: str = ""
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def help_id(self) -> str:
        return f"{self.id}-help" if self.question.help_text else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}-error" if self.error else ""

    @property
    def describedby(self) -> str:
        return " ".join(part for part in (self.help_id, self.error_id) if part)

    @property
    def first_input_id(self) -> str:
        """Where the error summary links to."""
        if self.family in ("choice", "multiple"):
            return f"{self.id}-0"
        if self.parts:
            return self.parts[0].id if self.family == "ranking" else f"{self.parts[0].id}-0"
        return self.id


def settlement_options() -> list[tuple[str, str]]:
    municipality = current_municipality_or_none()
    if municipality is None:
        return []
    return [
        (settlement.slug, settlement.display_name)
        for settlement in Settlement.objects.filter(municipality=municipality).order_by("name")
    ]


def initial_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored typed values (variable → value) as the raw values the form shows."""
    shown: dict[str, Any] = {}
    for variable, value in values.items():
        if isinstance(value, Decimal):
            shown[variable] = f"{value.normalize():f}"
        elif isinstance(value, dt.date):
            shown[variable] = value.isoformat()
        else:
            shown[variable] = value
    return shown


class SectionAnswerForm(forms.Form):
    """Answers to ``questions`` (one section, or several on a long entry page)."""

    def __init__(
        self,
        data: Any = None,
        *,
        structure: Structure,
        questions: Iterable[Question],
        response: Response,
        values: Mapping[str, Any] | None = None,
        others: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(data)
        self.structure = structure
        self.questions = list(questions)
        self.seed = str(response.public_id)
        self.service_errors: dict[str, str] = {}
        self.other_errors: dict[str, str] = {}
        raw = initial_values(values or {})
        needs_settlements = any(question.type == Question.Type.SETTLEMENT for question in self.questions)
        self._settlements = settlement_options() if needs_settlements else []
        for question in self.questions:
            self._add_fields(question, raw.get(question.variable), (others or {}).get(question.variable, ""))

    # --- fields ---------------------------------------------------------------------------

    def _add_fields(self, question: Question, value: Any, other: str) -> None:
        variable, kind = question.variable, question.type
        if kind == Question.Type.NOTE:
            return
        if kind == Question.Type.MULTIPLE:
            self.fields[variable] = ListField(required=False)
            self.initial[variable] = value or []
        elif kind == Question.Type.MATRIX:
            chosen = value if isinstance(value, dict) else {}
            for row in question.rows.all():
                name = f"{variable}--{row.code}"
                self.fields[name] = forms.CharField(required=False)
                self.initial[name] = chosen.get(row.code, "")
        elif kind == Question.Type.RANKING:
            ranked = value if isinstance(value, list) else []
            for rank in range(1, len(question.choices.all()) + 1):
                name = f"{variable}--{rank}"
                self.fields[name] = forms.CharField(required=False)
                self.initial[name] = ranked[rank - 1] if rank <= len(ranked) else ""
        else:
            self.fields[variable] = forms.CharField(required=False, strip=False)
            self.initial[variable] = "" if value is None else value
        if question.allow_other:
            name = f"{variable}--other"
            self.fields[name] = forms.CharField(required=False)
            self.initial[name] = other

    def _options(self, question: Question) -> list[tuple[str, str]]:
        if question.type == Question.Type.SETTLEMENT:
            return list(self._settlements)
        if question.type == Question.Type.SCALE_0_10:
            return [(str(point), str(point)) for point in range(11)]
        options = [(choice.code, choice.label) for choice in question.choices.all()]
        if question.randomise and question.type in SHUFFLED_TYPES:
            random.Random(f"{self.seed}:{question.pk}").shuffle(options)  # noqa: S311 - an order, not a secret
        if question.allow_other:
            options.append((OTHER_CODE, str(_("Other"))))
        return options

    def _value(self, name: str) -> Any:
        return self[name].value() if name in self.fields else ""

    # --- what the templates read -------------------------------------------------------------

    def blocks(self) -> list[QuestionBlock]:
        return [self._block(question) for question in self.questions]

    def _block(self, question: Question) -> QuestionBlock:
        variable = question.variable
        family = FAMILIES[question.type]
        block = QuestionBlock(
            question=question,
            family=family,
            name=variable,
            id=f"q-{variable}",
            error=self.service_errors.get(variable, ""),
            logic=json.dumps(question.logic) if question.logic else "",
        )
        options = self._options(question) if family != "note" else []
        if family in ("choice", "multiple", "select"):
            current = self._value(variable)
            chosen = {str(item) for item in current} if isinstance(current, list) else {str(current or "")}
            block.value = "" if isinstance(current, list) else str(current or "")
            block.options = [
                Option(code, label, f"{block.id}-{index}", code in chosen)
                for index, (code, label) in enumerate(options)
            ]
        elif family == "matrix":
            for row in question.rows.all():
                name = f"{variable}--{row.code}"
                current = str(self._value(name) or "")
                part_id = f"{block.id}--{row.code}"
                part_options = [
                    Option(choice.code, choice.label, f"{part_id}-{index}", choice.code == current)
                    for index, choice in enumerate(question.choices.all())
                ]
                block.parts.append(Part(name, part_id, row.label, part_options, current))
        elif family == "ranking":
            for rank in range(1, len(options) + 1):
                name = f"{variable}--{rank}"
                current = str(self._value(name) or "")
                part_options = [Option(code, label, "", code == current) for code, label in options]
                label = _("Place %(rank)d") % {"rank": rank}
                block.parts.append(Part(name, f"{block.id}--{rank}", label, part_options, current))
        elif family != "note":
            current = self._value(variable)
            block.value = "" if current is None else str(current)
            block.attrs = self._attrs(question)
        if question.allow_other:
            block.other_name = f"{variable}--other"
            block.other_id = f"{block.id}--other"
            block.other_value = str(self._value(block.other_name) or "")
            block.other_error = self.other_errors.get(variable, "")
        return block

    def _attrs(self, question: Question) -> dict[str, str]:
        if question.type == Question.Type.NUMERIC:
            attrs = {"step": str(Decimal(1).scaleb(-question.decimal_places)) if question.decimal_places else "1"}
            if question.min_value is not None:
                attrs["min"] = f"{question.min_value.normalize():f}"
            if question.max_value is not None:
                attrs["max"] = f"{question.max_value.normalize():f}"
            return attrs
        if question.type in Question.TEXT_TYPES:
            return {"maxlength": str(min(question.text_cap, TEXT_CAP))}
        return {}

    def error_list(self) -> list[tuple[str, str, str]]:
        """(input id, question text, message) for the error summary, in questionnaire order."""
        items = []
        for block in self.blocks():
            if block.error:
                items.append((block.first_input_id, block.question.text, block.error))
            if block.other_error:
                items.append((block.other_id, block.question.text, block.other_error))
        return items

    @property
    def has_answer_errors(self) -> bool:
        return bool(self.service_errors or self.other_errors)

    # --- what the services receive -----------------------------------------------------------

    def answers(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Answers by variable (empty values clear) and "please specify" texts by variable."""
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        other: dict[str, str] = {}
        for question in self.questions:
            variable = question.variable
            if question.type == Question.Type.NOTE:
                continue
            if question.type == Question.Type.MATRIX:
                answers[variable] = {
                    row.code: data.get(f"{variable}--{row.code}", "")
                    for row in question.rows.all()
                    if data.get(f"{variable}--{row.code}")
                }
            elif question.type == Question.Type.RANKING:
                count = len(question.choices.all())
                ranked = [data.get(f"{variable}--{rank}", "") for rank in range(1, count + 1)]
                answers[variable] = [code for code in ranked if code]
            else:
                answers[variable] = data.get(variable) or ("" if question.type != "multiple" else [])
            if question.allow_other and data.get(f"{variable}--other"):
                other[variable] = data[f"{variable}--other"]
        return answers, other

    def set_service_errors(self, errors: Mapping[str, str]) -> None:
        """Put the services' messages (keyed by variable, or ``<variable>_other``) on the
        questions; a key that names no question of this page goes on the first question."""
        by_variable = {question.variable for question in self.questions}
        for key, message in errors.items():
            if key in by_variable:
                self.service_errors[key] = message
            elif key.endswith("_other") and key[: -len("_other")] in by_variable:
                self.other_errors[key[: -len("_other")]] = message
            elif self.questions:
                self.service_errors.setdefault(self.questions[0].variable, message)

    def collect_field_errors(self) -> None:
        """Django's own refusals (say, a NUL byte) shown like the services' ones."""
        for name, messages in self.errors.items():
            variable = name.split("--")[0]
            if name.endswith("--other"):
                self.other_errors[variable] = str(messages[0])
            else:
                self.service_errors[variable] = str(messages[0])


class StartForm(forms.Form):
    """Start answering: the consent is read before the button; no data is taken here."""


class ShortCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your letter"),
        max_length=40,
        help_text=gettext_lazy("The code of eight letters and digits printed in your invitation letter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class LetterCodeForm(ShortCodeForm):
    """On the list of open surveys: which survey, and the code."""

    survey = forms.ChoiceField(label=gettext_lazy("Survey"))

    field_order = ["survey", "code"]

    def __init__(self, *args: Any, surveys: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field: Any = self.fields["survey"]
        choice_field.choices = [(str(survey.public_id), survey.title) for survey in surveys]


class EntryStartForm(forms.Form):
    """Assisted, paper or phone entry: how the answers were given, and which questionnaire."""

    channel = forms.ChoiceField(
        label=gettext_lazy("How were the answers given?"),
        choices=[
            ("paper", gettext_lazy("paper questionnaire")),
            ("phone", gettext_lazy("phone interview")),
            ("assisted", gettext_lazy("assisted at the bureau")),
        ],
        widget=forms.RadioSelect,
        initial="paper",
    )
    paper_ref = forms.CharField(
        label=gettext_lazy("Questionnaire number"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("The number printed on the paper questionnaire. Needed for a second entry."),
    )
    entry_round = forms.TypedChoiceField(
        label=gettext_lazy("Entry round"),
        choices=[(1, gettext_lazy("first entry")), (2, gettext_lazy("second entry (checking double entry)"))],
        coerce=int,
        widget=forms.RadioSelect,
        initial=1,
    )
