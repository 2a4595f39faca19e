"""Forms parse the request; the services check the domain rules and raise DomainError."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.consultations.models import Attachment, Contribution, Draft
from glas.core.exceptions import DomainError
from glas.core.forms import ModelChoiceField, ModelMultipleChoiceField
from glas.core.models import Settlement
from glas.council.forms import DecisionChoiceField
from glas.council.models import Decision


class DomainForm(forms.Form):
    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class DraftForm(DomainForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    act_type = forms.ChoiceField(label=_("Type of act"), choices=Draft.ActType.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Draft.Topic.choices)
    settlements = ModelMultipleChoiceField(
        label=_("Settlements concerned"),
        queryset=Settlement.objects.order_by("kind", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the act concerns the whole municipality."),
    )
    proposer_kind = forms.ChoiceField(label=_("Proposed by"), choices=Draft.ProposerKind.choices)
    proposer_name = forms.CharField(
        label=_("Name of the proposer"),
        max_length=300,
        help_text=_("The administration unit, councillor, commission or initiative committee."),
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    motives = forms.CharField(
        label=_("Motives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Simple formatting is kept (paragraphs, lists, bold, italics); anything else is removed."),
    )
    impact_assessment = forms.CharField(
        label=_("Preliminary impact assessment"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class TextForm(DomainForm):
    text = forms.CharField(
        label=_("Text of the draft"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_('Start each article on a new line with "Чл. 1.", each paragraph with "(1)".'),
    )


class DocxForm(DomainForm):
    file = forms.FileField(label=_("Word document (DOCX)"))


class AttachmentForm(DomainForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File"))


class PublishForm(DomainForm):
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    short_term_reasons = forms.CharField(
        label=_("Reasons for a shorter term"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the term is shorter than the regular one; published with the consultation."),
    )


class ExtendForm(DomainForm):
    closes_on = forms.DateField(label=_("New closing date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=500)


def _paragraph_field(choices: list[tuple[int, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Paragraph"),
        choices=[("", _("— general comment on the whole draft —")), *choices],
        coerce=int,
        required=False,
        empty_value=None,
    )


class ContributionForm(DomainForm):
    kind = forms.ChoiceField(
        label=_("What do you want to do?"), choices=Contribution.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    proposed_text = forms.CharField(
        label=_("The wording you propose"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write the whole paragraph as you would like it to read; it is shown as a comparison."),
    )
    organisation = forms.CharField(
        label=_("On behalf of an organisation"),
        required=False,
        max_length=300,
        help_text=_("Leave empty if you write as a private person."),
    )
    publish_name = forms.BooleanField(label=_("My name may be published with my contribution"), required=False)

    def __init__(self, *args: Any, paragraphs: list[tuple[int, str]], anonymous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paragraph"] = _paragraph_field(paragraphs)
        self.order_fields(["kind", "paragraph", "text", "proposed_text"])
        if anonymous:
            self.fields["name"] = forms.CharField(label=_("Your name"), max_length=200)
            self.fields["email"] = forms.EmailField(
                label=_("Your e-mail address"),
                help_text=_("We send you a link to confirm the contribution; the address is never published."),
            )


class EnterForm(ContributionForm):
    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[(c.value, c.label) for c in Contribution.Channel if c != Contribution.Channel.ONLINE],
    )
    source = forms.CharField(label=_("Source (registry number, date)"), max_length=300)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, paragraphs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, paragraphs=paragraphs, anonymous=True, **kwargs)
        self.fields["name"].label = _("Name of the sender")
        self.fields["email"] = forms.EmailField(label=_("E-mail of the sender"), required=False)
        self.fields["publish_name"].label = _("The sender agreed to publish their name")


class AnswerForm(DomainForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Contribution.Decision.choices)
    reasons = forms.CharField(label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class HideForm(DomainForm):
    reason = forms.CharField(
        label=_("Published reason for hiding"),
        max_length=500,
        help_text=_("Shown in place of the contribution. Nothing is deleted."),
    )


class AdoptForm(DomainForm):
    decision = DecisionChoiceField(
        label=_("Council decision in the registry"),
        queryset=Decision.objects.filter(status="adopted").order_by("-date", "-number"),
        required=False,
        help_text=_(
            "Choose the decision from the council registry: its number, date and roll-call vote are taken from"
            " there. Fill in the fields below only for a decision not in the registry."
        ),
    )
    decision_number = forms.CharField(label=_("Council decision number"), max_length=50, required=False)
    decision_date = forms.DateField(
        label=_("Council decision date"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    decision_url = forms.CharField(label=_("Link to the council decision"), max_length=200, required=False)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, max_value=1000, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, max_value=1000, required=False)
    votes_abstained = forms.IntegerField(label=_("Abstentions"), min_value=0, max_value=1000, required=False)
    adopted_text = forms.CharField(
        label=_("Adopted text"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_('The text as adopted, in the same layout as the draft ("Чл. 1.", "(1)").'),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("decision") and not (data.get("decision_number") and data.get("decision_date")):
            raise forms.ValidationError(_("Choose the decision from the registry, or give its number and date."))
        if data.get("decision"):
            data["decision_date"] = data["decision"].date
        return data


class SubscriptionForm(DomainForm):
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("any topic")), *Draft.Topic.choices], required=False)
    settlement = ModelChoiceField(
        label=_("Settlement"),
        queryset=Settlement.objects.order_by("kind", "name"),
        required=False,
        empty_label=_("anywhere in the municipality"),
    )


class WithdrawForm(DomainForm):
    reason = forms.CharField(
        label=_("Published reason for withdrawing"),
        max_length=500,
        help_text=_("Shown on the timeline. The draft and its contributions stay public."),
    )
