"""Forms of the initiative pages. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.core.forms import CleanTextMixin, ModelChoiceField
from glas.core.models import Kmetstvo, Settlement
from glas.initiatives.models import Initiative, Signature

DATE = forms.DateInput(attrs={"type": "date"})


class NoEchoInput(forms.TextInput):
    """A text box that never writes its value back into the page (for the ЕГН)."""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        return super().get_context(name, None, attrs)


class InitiativeForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Instrument"), choices=Initiative.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("Question or proposal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For a referendum: the exact question voters answer with “yes” or “no”. "
            "It cannot change once the initiative is registered."
        ),
    )
    description = forms.CharField(
        label=_("Explanation"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    territory = forms.ChoiceField(label=_("Territory"), choices=Initiative.Territory.choices)
    kmetstvo = ModelChoiceField(label=_("Kmetstvo"), queryset=Kmetstvo.objects.none(), required=False)
    settlement = ModelChoiceField(label=_("Settlement"), queryset=Settlement.objects.none(), required=False)
    addressee = forms.ChoiceField(label=_("Addressed to"), choices=Initiative.Addressee.choices)

    def __init__(self, *args: Any, municipality: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kmetstvo"].queryset = Kmetstvo.objects.filter(municipality=municipality)  # type: ignore[attr-defined]
        self.fields["settlement"].queryset = Settlement.objects.filter(municipality=municipality)  # type: ignore[attr-defined]


class WordingForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("Question or proposal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    description = forms.CharField(
        label=_("Explanation"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class InviteForm(CleanTextMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254)


class ReviewForm(CleanTextMixin, forms.Form):
    admissible = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Admissible: register it")), ("0", _("Inadmissible"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    excluded_topic = forms.ChoiceField(label=_("Ground of inadmissibility"), required=False, choices=())
    reasons = forms.CharField(label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, topics: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        choices = [("", _("— not applicable —"))] + [
            (rule.key, f"{rule.display_title} ({rule.legal_basis})") for rule in topics
        ]
        choices.append(("competence", str(_("Outside the competence of the council or the mayor"))))
        self.fields["excluded_topic"].choices = choices  # type: ignore[attr-defined]


class OpenCollectionForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Collection closes on"),
        required=False,
        widget=DATE,
        help_text=_("Petitions close after the period the rules set; leave empty for a petition."),
    )


class DecisionForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Initiative.Decision.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    reasons = forms.CharField(
        label=_("Reasons and number of the decision"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OutcomeForm(forms.Form):
    vote_date = forms.DateField(label=_("Date of the referendum"), widget=DATE)
    voters = forms.IntegerField(label=_("Voters on the roll"), min_value=1, max_value=10_000_000)
    cast = forms.IntegerField(label=_("Votes cast"), min_value=0, max_value=10_000_000)
    yes = forms.IntegerField(label=_("Votes “yes”"), min_value=0, max_value=10_000_000)


class PaperSignatureForm(CleanTextMixin, forms.Form):
    sheet_number = forms.IntegerField(label=_("Sheet number"), min_value=1, max_value=100000)
    line_number = forms.IntegerField(label=_("Line"), min_value=1, max_value=1000)
    full_name = forms.CharField(label=_("Three names"), max_length=200)
    egn = forms.CharField(
        label=_("ЕГН"), max_length=40, widget=NoEchoInput(attrs={"autocomplete": "off", "inputmode": "numeric"})
    )
    address = forms.CharField(label=_("Permanent address"), max_length=300)
    settlement = ModelChoiceField(label=_("Settlement of the permanent address"), queryset=Settlement.objects.none())
    second_keying = forms.BooleanField(
        label=_("Second keying of a line already entered (double entry: checked against the first, never counted)"),
        required=False,
    )

    def __init__(self, *args: Any, settlements: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = settlements  # type: ignore[attr-defined]


class RegistryAnswerForm(forms.Form):
    file = forms.FileField(label=_("The registry's answer (CSV: id, result, reason)"))


class InvalidateForm(CleanTextMixin, forms.Form):
    sheet_number = forms.IntegerField(label=_("Sheet number"), min_value=1, required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("— any —")), *Signature.Channel.choices]
    )
    signed_from = forms.DateField(label=_("Signed from"), required=False, widget=DATE)
    signed_until = forms.DateField(label=_("Signed until"), required=False, widget=DATE)
    held_only = forms.BooleanField(label=_("Only signatures held for review"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class HeldReviewForm(CleanTextMixin, forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Count it")), ("0", _("Invalidate it"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
