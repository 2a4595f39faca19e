"""Forms of the report builder: the report's details, narrative text and a finding."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.surveys.reports import TEXT_CAP, ReportVariables

FINDING_KINDS = [
    ("frequency", _("Frequencies of the answers")),
    ("mean", _("Mean of a number")),
    ("crosstab", _("Crosstab of two questions")),
]


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=TEXT_CAP,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text; a blank line starts a new paragraph."),
    )
    slug = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=100,
        help_text=_(
            "The last part of the report's public address, in lower-case Latin letters, digits and hyphens. "
            "Left empty, it is made from the title. It cannot change after the report is published."
        ),
    )

    def __init__(self, *args: Any, frozen: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if frozen:
            self.fields["slug"].disabled = True


class NarrativeForm(forms.Form):
    prefix = "text"
    caption = forms.CharField(label=_("Heading (optional)"), required=False, max_length=300)
    text = forms.CharField(
        label=_("Text"),
        max_length=TEXT_CAP,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text; a blank line starts a new paragraph."),
    )


class FindingForm(forms.Form):
    """A finding: what it shows, of which question, optionally by a group (domain) or, for a
    crosstab, against a second question. The choices are the survey's own questions."""

    prefix = "finding"
    kind = forms.ChoiceField(label=_("What the finding shows"), choices=FINDING_KINDS)
    variable = forms.ChoiceField(label=_("Question"))
    by = forms.ChoiceField(label=_("Separately for each group of (optional)"), required=False)
    column = forms.ChoiceField(label=_("Against the question (crosstab only)"), required=False)
    caption = forms.CharField(
        label=_("Caption"), required=False, max_length=300, help_text=_("Left empty, the finding's own title is used.")
    )
    key = forms.CharField(
        label=_("Link key"),
        required=False,
        max_length=64,
        help_text=_(
            "Names the finding in its permanent link, in lower-case Latin letters, digits and hyphens. "
            "Left empty, it is made from the questions. It cannot change after the report is published."
        ),
    )

    def __init__(self, *args: Any, variables: ReportVariables, frozen_key: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        questions = [(q.variable, f"{q.variable}: {q.text[:80]}") for q in variables.questions]
        closed = [(q.variable, f"{q.variable}: {q.text[:80]}") for q in variables.closed]
        none: list[tuple[str, Any]] = [("", _("— none —"))]
        cast(forms.ChoiceField, self.fields["variable"]).choices = questions
        cast(forms.ChoiceField, self.fields["by"]).choices = none + closed
        cast(forms.ChoiceField, self.fields["column"]).choices = none + closed
        if frozen_key:
            self.fields["key"].disabled = True

    def spec(self) -> dict[str, str]:
        """The specification as the service checks it (empty parts left out)."""
        data = self.cleaned_data
        return {name: data[name] for name in ("kind", "variable", "by", "column") if data.get(name)}
