"""Forms of the bureau. Domain rules live in the services; forms parse and label."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.accounts.models import User
from glas.bureau.models import Article, Case, Category, ReplyTemplate, Service
from glas.bureau.services import CaseRequest
from glas.core.forms import CleanTextMixin, ModelChoiceField
from glas.core.models import Settlement

TEXT = forms.Textarea(attrs={"rows": 6})


class IntakeForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you need?"),
        choices=Case.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Proposals and signals to the administration are not processed anonymously (Administrative "
            "Procedure Code, art. 111). Corruption can be reported without your name through the integrity channel."
        ),
    )
    category = forms.ChoiceField(label=_("Topic"), choices=Category.choices)
    settlement = ModelChoiceField(label=_("Settlement"), queryset=Settlement.objects.none(), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Your question or request"),
        max_length=10_000,
        widget=TEXT,
        help_text=_("For an access to information request, describe the information you are looking for."),
    )
    access_form = forms.ChoiceField(
        label=_("Preferred form of access (access to information requests only)"),
        choices=[("", "—"), *Case.AccessForm.choices],
        required=False,
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    address = forms.CharField(
        label=_("Address for correspondence"),
        max_length=300,
        required=False,
        help_text=_("Required for access to information requests; a postal or an e-mail address."),
    )
    preferred_contact = forms.ChoiceField(label=_("How should we contact you?"), choices=Case.Contact.choices)
    consent_process = forms.BooleanField(
        label=_("I agree that the bureau processes the data in this request in order to help me."), required=False
    )
    consent_refer = forms.BooleanField(
        label=_("I agree that the bureau passes my request to another body or service that can help."),
        required=False,
    )

    def __init__(self, *args: Any, municipality: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        settlements = Settlement.objects.all()
        if municipality is not None:
            settlements = settlements.filter(municipality=municipality)
        self.fields["settlement"].queryset = settlements  # type: ignore[attr-defined]

    def case_request(self) -> CaseRequest:
        data = self.cleaned_data
        return CaseRequest(
            kind=data["kind"],
            category=data["category"],
            subject=data["subject"],
            description=data["description"],
            preferred_contact=data["preferred_contact"],
            consent_process=data["consent_process"],
            consent_refer=data["consent_refer"],
            settlement=data["settlement"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            address=data["address"],
            access_form=data["access_form"],
        )


class AdvisorIntakeForm(IntakeForm):
    channel = forms.ChoiceField(
        label=_("Received by"), choices=[c for c in Case.Channel.choices if c[0] != Case.Channel.WEB]
    )
    field_order = ["channel"]


class IdempotentForm(CleanTextMixin, forms.Form):
    """Carries a one-time key: a form sent twice (double click, back button) is stored once."""

    key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4())


class ReplyForm(IdempotentForm):
    body = forms.CharField(label=_("Reply to the citizen"), max_length=10_000, widget=TEXT)
    final = forms.BooleanField(label=_("This reply answers the case (closes it)"), required=False)


class NoteForm(IdempotentForm):
    body = forms.CharField(label=_("Internal note (never shown to the citizen)"), max_length=10_000, widget=TEXT)


class CitizenMessageForm(IdempotentForm):
    body = forms.CharField(label=_("Your message"), max_length=10_000, widget=TEXT)


class TemplatePickForm(forms.Form):
    template = ModelChoiceField(
        label=_("Start from a reply template"), queryset=ReplyTemplate.objects.filter(active=True), required=False
    )


class AdvisorChoiceForm(forms.Form):
    advisor = ModelChoiceField(label=_("Advisor"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            groups__name="advisor", is_active=True
        ).order_by("display_name", "id")


class ReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReferForm(CleanTextMixin, forms.Form):
    service = ModelChoiceField(label=_("Service"), queryset=Service.objects.filter(active=True))
    note = forms.CharField(label=_("Note for the citizen"), max_length=2000, required=False, widget=TEXT)
    close = forms.BooleanField(label=_("The referral ends the bureau's work on this case"), required=False)


class ExtendForm(CleanTextMixin, forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[
            ("volume", _("large volume of information (ЗДОИ, art. 30)")),
            ("third_party", _("consent of a third party needed (ЗДОИ, art. 31)")),
        ],
    )
    reason = forms.CharField(
        label=_("Reasons (sent to the applicant)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClarifyForm(CleanTextMixin, forms.Form):
    body = forms.CharField(label=_("What needs to be clarified"), max_length=10_000, widget=TEXT)


class ForwardForm(CleanTextMixin, forms.Form):
    body_name = forms.CharField(label=_("Competent body"), max_length=300)
    note = forms.CharField(label=_("Note for the applicant"), max_length=2000, required=False, widget=TEXT)


class DecideForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision (access to information)"),
        choices=[
            ("", "—"),
            ("full", _("full access")),
            ("partial", _("partial access")),
            ("refused", _("refusal")),
        ],
        required=False,
    )
    grounds = forms.CharField(
        label=_("Legal grounds"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    text = forms.CharField(label=_("Text of the decision"), max_length=10_000, required=False, widget=TEXT)
    publish_released = forms.BooleanField(label=_("Publish the released information"), required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Case.Outcome.ANSWERED, Case.Outcome.ANSWERED.label),
            (Case.Outcome.REFERRED, Case.Outcome.REFERRED.label),
            (Case.Outcome.WITHDRAWN, Case.Outcome.WITHDRAWN.label),
        ],
    )


class RateForm(CleanTextMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How much did the bureau help you?"),
        coerce=int,
        choices=[(5, _("5 — very much")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 — not at all"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)


class ArticleForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary (one or two sentences)"), max_length=300)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    body = forms.CharField(label=_("Text"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 14}))


class LinkArticleForm(forms.Form):
    # The list shows titles only: an article's text can be long, and this form is on every
    # open case page.
    article = ModelChoiceField(
        label=_("Knowledge-base article"),
        queryset=Article.objects.filter(status=Article.Status.PUBLISHED).only("id", "title", "status"),
    )


class SlotsForm(CleanTextMixin, forms.Form):
    settlement = ModelChoiceField(label=_("Settlement"), queryset=Settlement.objects.all())
    place = forms.CharField(label=_("Place"), max_length=200)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.TypedChoiceField(
        label=_("Minutes per appointment"),
        coerce=int,
        choices=[(15, "15"), (20, "20"), (30, "30"), (45, "45"), (60, "60")],
    )


class BookingForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    topic = forms.CharField(label=_("What is it about?"), max_length=200)
