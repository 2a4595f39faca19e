"""Forms of the questionnaire designer, and the display-logic builder.

The logic builder turns a few rows of "question, operator, value" (joined by "and" or "or") into
the JSON that ``glas.surveys.logic`` evaluates, and back; ``logic_in_words`` says a condition in
plain words for the editor and the preview. The services validate what is built (forward
references and loops are refused there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from glas.core.forms import CleanTextMixin
from glas.surveys.models import Question, Survey

MAX_PASTED_LINES = 200
LOGIC_ROWS = 4
XLSFORM_MAX_BYTES = 5 * 1024 * 1024

# What can be set on a question of each type, beside its variable name, wording and help text.
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    "single": ("required", "allow_other", "randomise"),
    "multiple": ("required", "allow_other", "randomise", "min_choices", "max_choices"),
    "dropdown": ("required", "allow_other"),
    "yes_no": ("required",),
    "likert": ("required", "scale_points"),
    "matrix": ("required", "randomise"),
    "numeric": ("required", "min_value", "max_value", "decimal_places"),
    "short_text": ("required", "max_length"),
    "long_text": ("required", "max_length"),
    "date": ("required",),
    "ranking": ("required", "randomise"),
    "scale_0_10": ("required", "low_label", "high_label"),
    "settlement": ("required",),
    "note": (),
}
WORDING_FIELDS = ("text", "help_text", "low_label", "high_label")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SurveyForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the survey is run and how its results will be used; shown to respondents."),
    )
    anonymity = forms.ChoiceField(
        label=_("Anonymity"),
        choices=Survey.Anonymity.choices,
        initial=Survey.Anonymity.ANONYMOUS,
        widget=forms.RadioSelect,
        help_text=_(
            "Anonymous: nothing links a person to their answers. Confidential: invitations only record that a "
            "person has answered. Identified: answers are kept with the respondent's account. It cannot change "
            "once fieldwork has started."
        ),
    )
    fieldwork_start = forms.DateField(label=_("Fieldwork starts"), required=False, widget=_date_input())
    fieldwork_end = forms.DateField(label=_("Fieldwork ends"), required=False, widget=_date_input())
    intro = forms.CharField(
        label=_("Introduction"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent_text = forms.CharField(
        label=_("Informed consent"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What respondents agree to before they start: who runs the survey, what is kept, for how long."),
    )

    def __init__(self, *args: Any, frozen: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if frozen:
            del self.fields["anonymity"]


class SurveyFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any")), *Survey.Status.choices])


class SectionForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title of the section"), max_length=300, required=False)


class QuestionTypeForm(forms.Form):
    type = forms.ChoiceField(label=_("Type of the new question"), choices=Question.Type.choices)


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """Lines of "code;label" (a tab also separates) as pairs; raises ValidationError naming the line."""
    pairs = []
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_PASTED_LINES:
        raise forms.ValidationError(
            _("At most %(count)d lines at once.") % {"count": MAX_PASTED_LINES}, code="too_many"
        )
    for number, line in enumerate(lines, start=1):
        code, separator, label = line.replace("\t", ";").partition(";")
        if not separator or not code.strip() or not label.strip():
            raise forms.ValidationError(
                _("Line %(number)d: write the code, a semicolon and the label, as in “1;Yes”.") % {"number": number},
                code="line",
            )
        pairs.append((code.strip(), label.strip()))
    return pairs


class PairsField(forms.CharField):
    """A textarea of "code;label" lines."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        super().__init__(required=False, max_length=50000, **kwargs)

    def clean(self, value: Any) -> list[tuple[str, str]]:  # type: ignore[override]
        return parse_pairs(super().clean(value))


class QuestionForm(CleanTextMixin, forms.Form):
    """A question of a given type: only the fields that type uses; in fieldwork only its wording."""

    variable = forms.CharField(
        label=_("Variable name"),
        max_length=64,
        help_text=_("Names the question in exports and logic: Latin letters, digits and “_”, starting with a letter."),
    )
    text = forms.CharField(label=_("Question"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    help_text = forms.CharField(
        label=_("Help text"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    allow_other = forms.BooleanField(label=_("Offer “other, please specify”"), required=False)
    randomise = forms.BooleanField(label=_("Show the answers in random order"), required=False)
    min_choices = forms.IntegerField(label=_("At least this many answers"), required=False, min_value=0, max_value=1000)
    max_choices = forms.IntegerField(label=_("At most this many answers"), required=False, min_value=0, max_value=1000)
    min_value = forms.DecimalField(label=_("Smallest number"), required=False, max_digits=15, decimal_places=4)
    max_value = forms.DecimalField(label=_("Largest number"), required=False, max_digits=15, decimal_places=4)
    decimal_places = forms.IntegerField(label=_("Decimal places"), required=False, min_value=0, max_value=4, initial=0)
    max_length = forms.IntegerField(
        label=_("Longest answer, in characters"), required=False, min_value=1, max_value=5000
    )
    scale_points = forms.TypedChoiceField(
        label=_("Points on the scale"), choices=[(5, "5"), (7, "7")], coerce=int, initial=5
    )
    low_label = forms.CharField(label=_("Label of the low end (0)"), required=False, max_length=100)
    high_label = forms.CharField(label=_("Label of the high end (10)"), required=False, max_length=100)
    choices = PairsField(
        label=_("Answers"),
        help_text=_("One per line: code, semicolon, label — for example “1;Yes”. You can paste several lines."),
    )
    rows = PairsField(
        label=_("Rows of the matrix"),
        help_text=_("One per line: code, semicolon, label — for example “trust_mayor;The mayor”."),
    )

    def __init__(self, *args: Any, type: str, adding: bool = False, frozen: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.type = type
        keep = {"variable", "text", "help_text", *TYPE_FIELDS.get(type, ())}
        if adding and type in Question.CHOICE_TYPES:
            keep.add("choices")
            if type in ("yes_no", "likert"):
                self.fields["choices"].help_text = _(
                    "Leave empty for the standard answers; otherwise one per line: code, semicolon, label."
                )
        if adding and type == Question.Type.MATRIX:
            keep.add("rows")
            self.fields["choices"].label = _("Points of the scale (columns)")
        if frozen:
            keep &= set(WORDING_FIELDS)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields as the question services take them."""
        data = dict(self.cleaned_data)
        if "decimal_places" in data and data["decimal_places"] is None:
            data["decimal_places"] = 0
        return data


class QuestionMoveForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Move to section"), coerce=int)

    def __init__(self, *args: Any, sections: Sequence[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["section"]).choices = [
            (section.pk, section_name(section)) for section in sections
        ]


def section_name(section: Any) -> str:
    if section.title:
        return gettext("Section %(number)d: %(title)s") % {"number": section.position, "title": section.title}
    return gettext("Section %(number)d") % {"number": section.position}


class ChoiceForm(CleanTextMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    label = forms.CharField(label=_("Label"), max_length=500)

    def __init__(self, *args: Any, frozen: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if frozen:
            del self.fields["code"]


class ChoicesPasteForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Add to"),
        choices=[("choice", _("answers (or scale points)")), ("row", _("rows of the matrix"))],
        initial="choice",
        widget=forms.RadioSelect,
    )
    lines = PairsField(
        label=_("New answers"),
        help_text=_("One per line: code, semicolon, label — for example “1;Yes”. You can paste several lines."),
    )

    def __init__(self, *args: Any, matrix: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not matrix:
            del self.fields["kind"]

    def clean_lines(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = self.cleaned_data["lines"]
        if not pairs:
            raise forms.ValidationError(_("Write at least one line."), code="required")
        return pairs


class TransitionForm(forms.Form):
    """Nothing to fill in: the button confirms."""


class CopyWaveForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title of the new wave"), max_length=300)


class XLSFormImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label=_("XLSForm workbook (.xlsx)"),
        help_text=_("At most 5 MB. Sheets “survey”, “choices” and optionally “settings”, as KoboToolbox and ODK use."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=300,
        help_text=_("Leave empty to take the form title of the workbook."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not str(upload.name).lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx workbook."), code="extension")
        if upload.size > XLSFORM_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."), code="size")
        return upload


class QuotaForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Name of the quota"), max_length=200)
    variable_1 = forms.ChoiceField(label=_("First question"))
    variable_2 = forms.ChoiceField(label=_("Second question (optional)"), required=False)
    variable_3 = forms.ChoiceField(label=_("Third question (optional)"), required=False)
    closes_survey = forms.BooleanField(label=_("Close the survey when all cells are full"), required=False)

    def __init__(self, *args: Any, questions: Sequence[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        options = [(question.variable, question_name(question)) for question in questions]
        none: list[tuple[str, Any]] = [("", _("none"))]
        for name in ("variable_1", "variable_2", "variable_3"):
            cast(forms.ChoiceField, self.fields[name]).choices = options if name == "variable_1" else none + options
        self.has_questions = bool(options)

    def variables(self) -> list[str]:
        names = ("variable_1", "variable_2", "variable_3")
        return [self.cleaned_data[name] for name in names if self.cleaned_data.get(name)]


def question_name(question: Question) -> str:
    return f"{question.variable}: {Truncator(question.text).chars(60)}"


# --- Display logic: the builder -------------------------------------------------------------

OPERATORS = [
    ("equals", _("is")),
    ("in", _("is one of")),
    ("range", _("is between")),
    ("answered", _("is answered")),
]


class VariableField(forms.ChoiceField):
    """Offers the earlier questions, accepts any variable of the survey: a reference to a later
    question is refused by the service with its own message, not as "not a valid choice"."""

    def __init__(self, *args: Any, known: frozenset[str] = frozenset(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.known = known

    def valid_value(self, value: Any) -> bool:
        return value in self.known or super().valid_value(value)


class LogicForm(forms.Form):
    """Up to a few conditions on earlier questions, all or any of which must hold."""

    combinator = forms.ChoiceField(
        label=_("Show it when"),
        choices=[("and", _("all of these conditions hold")), ("or", _("any of these conditions holds"))],
        initial="and",
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args: Any, earlier: Sequence[Question], known: frozenset[str], rows: int = LOGIC_ROWS, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.rows = rows
        options = [("", _("— no condition —")), *[(q.variable, question_name(q)) for q in earlier]]
        for index in range(rows):
            self.fields[f"var_{index}"] = VariableField(
                label=_("Question"), choices=options, required=False, known=known
            )
            self.fields[f"op_{index}"] = forms.ChoiceField(label=_("Condition"), choices=OPERATORS, required=False)
            self.fields[f"value_{index}"] = forms.CharField(
                label=_("Answer code(s)"),
                required=False,
                max_length=500,
                help_text=_("For “is one of”, separate the codes with commas."),
            )
            self.fields[f"min_{index}"] = forms.CharField(
                label=_("From (for “is between”)"), required=False, max_length=30
            )
            self.fields[f"max_{index}"] = forms.CharField(
                label=_("To (for “is between”)"), required=False, max_length=30
            )

    def condition_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": index + 1,
                "fields": [self[f"{name}_{index}"] for name in ("var", "op", "value", "min", "max")],
            }
            for index in range(self.rows)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        conditions = []
        for index in range(self.rows):
            condition = self._condition(index, cleaned)
            if condition is not None:
                conditions.append(condition)
        if not conditions:
            cleaned["logic"] = None
        elif len(conditions) == 1:
            cleaned["logic"] = conditions[0]
        else:
            cleaned["logic"] = {cleaned.get("combinator") or "and": conditions}
        return cleaned

    def _condition(self, index: int, cleaned: Mapping[str, Any]) -> dict[str, Any] | None:
        var = cleaned.get(f"var_{index}")
        if not var:
            return None
        op = cleaned.get(f"op_{index}") or "equals"
        value = (cleaned.get(f"value_{index}") or "").strip()
        if op == "answered":
            return {"op": "answered", "var": var}
        if op == "equals":
            if not value:
                self.add_error(f"value_{index}", _("Write the answer code to compare with."))
                return None
            return {"op": "equals", "var": var, "value": value}
        if op == "in":
            values = [part.strip() for part in value.split(",") if part.strip()]
            if not values:
                self.add_error(f"value_{index}", _("Write the answer codes, separated by commas."))
                return None
            return {"op": "in", "var": var, "values": values}
        condition: dict[str, Any] = {"op": "range", "var": var}
        for bound in ("min", "max"):
            text = (cleaned.get(f"{bound}_{index}") or "").strip()
            if text:
                parsed = _bound(text)
                if parsed is None:
                    self.add_error(f"{bound}_{index}", _("Enter a number or a date (YYYY-MM-DD)."))
                    return None
                condition[bound] = parsed
        if len(condition) == 2:
            self.add_error(f"min_{index}", _("Give a lower or an upper bound (or both)."))
            return None
        return condition


def _bound(text: str) -> Any:
    """A range bound as stored: a whole number, a decimal as text, or an ISO date."""
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is not None and number.is_finite():
        return int(number) if number == number.to_integral_value() else str(number)
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def logic_initial(logic: Any) -> tuple[dict[str, Any], bool]:
    """The builder's initial values for stored ``logic``, and whether the builder can show it
    (nested conditions, say from an XLSForm import, cannot be edited row by row)."""
    if logic is None:
        return {"combinator": "and"}, True
    combinator, items = "and", [logic]
    for key in ("and", "or"):
        if isinstance(logic, dict) and key in logic:
            combinator, items = key, logic[key]
    if not isinstance(items, list) or any(not isinstance(item, dict) or "var" not in item for item in items):
        return {"combinator": "and"}, False
    initial: dict[str, Any] = {"combinator": combinator}
    for index, item in enumerate(items):
        initial[f"var_{index}"] = item.get("var")
        initial[f"op_{index}"] = item.get("op")
        if item.get("op") == "equals":
            initial[f"value_{index}"] = str(item.get("value", ""))
        elif item.get("op") == "in":
            initial[f"value_{index}"] = ", ".join(str(value) for value in item.get("values") or [])
        elif item.get("op") == "range":
            initial[f"min_{index}"] = "" if item.get("min") is None else str(item["min"])
            initial[f"max_{index}"] = "" if item.get("max") is None else str(item["max"])
    return initial, True


def logic_rows_needed(logic: Any) -> int:
    for key in ("and", "or"):
        if isinstance(logic, dict) and isinstance(logic.get(key), list):
            return max(LOGIC_ROWS, len(logic[key]) + 1)
    return LOGIC_ROWS


# --- Display logic in plain words -----------------------------------------------------------


def logic_in_words(logic: Any, labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """ "Shown when voted = yes (Да) and age between 18 and 30"; "" when always shown.
    ``labels`` maps a variable to its answer codes' labels, to say what a code means."""
    if logic is None:
        return ""
    return gettext("Shown when %(condition)s") % {"condition": _words(logic, labels or {}, nested=False)}


def _words(logic: Any, labels: Mapping[str, Mapping[str, str]], *, nested: bool) -> str:
    if not isinstance(logic, dict):
        return "?"
    for key, joiner in (("and", gettext(" and ")), ("or", gettext(" or "))):
        if key in logic and isinstance(logic[key], list):
            parts = [_words(item, labels, nested=True) for item in logic[key]]
            text = joiner.join(parts)
            return f"({text})" if nested and len(parts) > 1 else text
    var = str(logic.get("var", "?"))
    codes = labels.get(var, {})

    def value(code: Any) -> str:
        label = codes.get(str(code))
        return f"{code} ({label})" if label and label != str(code) else str(code)

    op = logic.get("op")
    if op == "answered":
        return gettext("%(var)s is answered") % {"var": var}
    if op == "equals":
        return gettext("%(var)s = %(value)s") % {"var": var, "value": value(logic.get("value"))}
    if op == "in":
        values = ", ".join(value(item) for item in logic.get("values") or [])
        return gettext("%(var)s is one of %(values)s") % {"var": var, "values": values}
    if op == "range":
        low, high = logic.get("min"), logic.get("max")
        if low is not None and high is not None:
            return gettext("%(var)s between %(min)s and %(max)s") % {"var": var, "min": low, "max": high}
        if low is not None:
            template = (
                gettext("%(var)s above %(min)s") if logic.get("min_exclusive") else gettext("%(var)s at least %(min)s")
            )
            return template % {"var": var, "min": low}
        template = (
            gettext("%(var)s below %(max)s") if logic.get("max_exclusive") else gettext("%(var)s at most %(max)s")
        )
        return template % {"var": var, "max": high}
    return "?"
