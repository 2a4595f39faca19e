"""Forms of the commission pages; the services do the checking that needs the database."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.commission.models import CommissionMember, OpinionVote
from glas.consultations.models import Draft
from glas.core.forms import ModelChoiceField
from glas.council.forms import DecisionChoiceField


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=300)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    draft = ModelChoiceField(
        label=_("Draft act in consultation"),
        # The title is all the list shows (a draft's motives and assessment can be long).
        queryset=Draft.objects.exclude(status="draft").order_by("-created_at").only("id", "title"),
        required=False,
    )
    decision = DecisionChoiceField(label=_("Council decision"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    subject_url = forms.URLField(
        label=_("Link to the draft or decision"),
        required=False,
        assume_scheme="https",
        help_text=_("The public page of the draft act or the council decision."),
    )


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[CommissionMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = cast(forms.TypedMultipleChoiceField, self.fields["present"])
        present.choices = [(m.pk, f"{m.name} ({m.organisation})") for m in members]


class ConflictForm(forms.Form):
    nature = forms.CharField(
        label=_("Nature of your interest"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("It is published with the meeting. You will take no part in drafting or voting on this item."),
    )


class DraftForm(forms.Form):
    text = forms.CharField(label=_("Text of the opinion"), widget=forms.Textarea(attrs={"rows": 10}))
    note = forms.CharField(label=_("What changed (optional)"), max_length=300, required=False)
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=OpinionVote.Choice.choices, widget=forms.RadioSelect)


class DissentForm(forms.Form):
    text = forms.CharField(label=_("Your dissenting view"), widget=forms.Textarea(attrs={"rows": 5}))


class MinutesForm(forms.Form):
    minutes_text = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    minutes_file = forms.FileField(label=_("Minutes as a PDF file"), required=False)


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the member's account"))
    name = forms.CharField(label=_("Name as published"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=300)
    expertise = forms.CharField(label=_("Areas of expertise"), max_length=500)
    term_start = forms.DateField(label=_("Term starts"), widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label=_("Term ends"), widget=forms.DateInput(attrs={"type": "date"}))
    is_chair = forms.BooleanField(label=_("Chair"), required=False)
