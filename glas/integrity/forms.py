"""Forms of the integrity pages; the services do the checks that need the database."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from glas.core.forms import ModelChoiceField
from glas.council.models import Councillor
from glas.integrity.models import IntegrityOfficer, InterestDeclaration, Report, VoteFlag


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


class ReportForm(forms.Form):
    context = forms.ChoiceField(label=_("What is it about?"), choices=Report.Context.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Describe the facts as you know them. Do not write your name here if you want to stay anonymous."),
    )
    persons = forms.CharField(
        label=_("Who is involved? (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    when_where = forms.CharField(
        label=_("When and where? (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = MultipleFileField(
        label=_("Documents or photos (optional)"),
        required=False,
        help_text=_(
            "Up to 5 files of 10 MB: PDF, JPEG, PNG, Word (.docx) or plain text. "
            "Hidden information in the files (camera, location, author) is removed."
        ),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == Report.Kind.SIGNAL:
            self.fields["name"] = forms.CharField(label=_("Your name"), max_length=200)
            self.fields["contact"] = forms.CharField(
                label=_("How can the officer reach you?"),
                max_length=300,
                help_text=_("A telephone number, an e-mail or a postal address. Only the integrity officers see it."),
            )
            self.fields["relation"] = forms.CharField(
                label=_("Your relation to the municipality (optional)"),
                max_length=300,
                required=False,
                help_text=_("For example: employee, contractor, applicant, resident."),
            )


class FollowForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("The 20 digits you received when you sent the report; spaces do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Documents or photos (optional)"), required=False)


class OfficerMessageForm(forms.Form):
    body = forms.CharField(label=_("Message to the reporter"), widget=forms.Textarea(attrs={"rows": 5}))
    feedback = forms.BooleanField(
        label=_("This is the feedback on the measures taken (the law's 3-month feedback)"), required=False
    )


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(label=_("Integrity passphrase"), widget=forms.PasswordInput(render_value=False))


class EnrolForm(forms.Form):
    passphrase = forms.CharField(
        label=_("New integrity passphrase"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters, different from your login password. It cannot be reset: keep it safe."),
    )
    repeat = forms.CharField(label=_("The passphrase again"), widget=forms.PasswordInput)


class ForwardForm(forms.Form):
    to = forms.CharField(
        label=_("Forward to"),
        max_length=300,
        initial=_("Commission for Personal Data Protection (КЗЛД)"),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Report.Outcome.choices, widget=forms.RadioSelect)


class IdentityRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the identity needed?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "A second officer must approve; the request and every reading are recorded in the report's history."
        ),
    )


class ShareForm(forms.Form):
    officer = ModelChoiceField(label=_("Officer"), queryset=IntegrityOfficer.objects.none())

    def __init__(self, *args: Any, exclude: IntegrityOfficer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = IntegrityOfficer.objects.filter(active=True).exclude(pk=exclude.pk).select_related("user")


def year_choice(value: Any) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return this_year
    return year if dt.MINYEAR < 2000 <= year <= this_year + 1 else this_year


class DeclarationForm(forms.Form):
    person_name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.ChoiceField(label=_("Position"), choices=InterestDeclaration.Position.choices)
    councillor = ModelChoiceField(
        label=_("Councillor (for a councillor's declaration)"), queryset=Councillor.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind of declaration"), choices=InterestDeclaration.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}))
    positions_held = forms.CharField(
        label=_("Positions and memberships"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    interests = forms.CharField(
        label=_("Other private interests"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    companies = forms.CharField(
        label=_("Related companies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: name; UIC (ЕИК, may be empty); relation (owner, manager, related or other). "
            "For example: Бетон Кресна ЕООД; 175074752; owner"
        ),
    )
    document = forms.FileField(label=_("The declaration as filed (PDF)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["councillor"])  # type: ignore[type-arg]
        field.queryset = Councillor.objects.select_related("term").order_by("-term__start", "name")

    def clean_companies(self) -> list[tuple[str, str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["companies"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("Line %(line)d: write name; UIC; relation, separated by semicolons.") % {"line": number}
                )
            rows.append((parts[0], parts[1], parts[2]))
        return rows


class FlagReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(VoteFlag.Status.CONFIRMED, _("conflict confirmed")), (VoteFlag.Status.DISMISSED, _("no conflict"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the conflict is confirmed: it is published with the declaration."),
    )


class EthicsCodeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    adopted_by = forms.CharField(
        label=_("Adopted by"), max_length=300, help_text=_("The order or decision and its date.")
    )
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 16}))
    document = forms.FileField(label=_("Or the code as a PDF file"), required=False)
