"""Forms of the council pages: sessions, agenda, documents, minutes, decisions, roll calls,
CSV import and the decision search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.core.forms import CleanTextMixin, ModelChoiceField
from glas.council.models import AgendaItem, Councillor, Decision, Session, StandingCommittee, Term, Vote
from glas.council.services.files import MAX_DOCUMENT_BYTES
from glas.council.services.imports import MAX_CSV_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionForm(CleanTextMixin, forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=32000)
    date = forms.DateField(label=_("Date"), widget=DATE)
    starts_at = forms.TimeField(
        label=_("Starts at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Session.Status.choices)


class AgendaItemForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=500)
    proposer = forms.CharField(label=_("Proposed by"), max_length=200, required=False)
    committee = ModelChoiceField(
        label=_("Reporting committee"), queryset=StandingCommittee.objects.none(), required=False
    )

    def __init__(self, *args: Any, term: Term, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = StandingCommittee.objects.filter(term=term)  # type: ignore[attr-defined]


class DocumentForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=300)
    agenda_item = ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("The session as a whole"),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX or ODT, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(session=session)  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."), code="size")
        return upload


class MinutesForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        label=_("Text of the minutes"), required=False, max_length=200_000, widget=forms.Textarea(attrs={"rows": 8})
    )
    file = forms.FileField(
        label=_("Minutes as PDF"),
        required=False,
        help_text=_("At most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )


class DecisionForm(CleanTextMixin, forms.Form):
    number = forms.IntegerField(label=_("Decision number"), min_value=1, max_value=9_999_999)
    date = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title (regarding)"), max_length=500)
    text = forms.CharField(
        label=_("Text"), required=False, max_length=200_000, widget=forms.Textarea(attrs={"rows": 10})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Decision.Status.choices)
    required_majority = forms.ChoiceField(label=_("Required majority"), choices=Decision.Majority.choices)
    agenda_item = ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False)
    committee = ModelChoiceField(
        label=_("Standing committee"), queryset=StandingCommittee.objects.none(), required=False
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(session=session)  # type: ignore[attr-defined]
        self.fields["committee"].queryset = StandingCommittee.objects.filter(term_id=session.term_id)  # type: ignore[attr-defined]


class RollCallForm(forms.Form):
    """One radio group per councillor in office on the day of the decision."""

    def __init__(self, *args: Any, councillors: list[Councillor], initial_votes: dict[int, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.councillors = councillors
        for councillor in councillors:
            label = (
                councillor.name if councillor.group is None else f"{councillor.name} ({councillor.group.display_name})"
            )
            self.fields[f"c{councillor.pk}"] = forms.ChoiceField(
                label=label,
                choices=Vote.Choice.choices,
                widget=forms.RadioSelect,
                initial=initial_votes.get(councillor.pk),
            )

    def choices(self) -> dict[int, str]:
        return {councillor.pk: self.cleaned_data[f"c{councillor.pk}"] for councillor in self.councillors}


class DecisionsImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: number, date, session, title, text, status, majority, then one column per "
            "councillor headed by their name. UTF-8 or Windows-1251, separated by ; or ,. At most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; split it into smaller files."))
        return bytes(upload.read(MAX_CSV_BYTES + 1))


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    committee = ModelChoiceField(
        label=_("Standing committee"), queryset=StandingCommittee.objects.none(), required=False
    )

    def __init__(self, *args: Any, years: list[int], term: Term | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(year, str(year)) for year in years]]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Any status")), *Decision.Status.choices]  # type: ignore[attr-defined]
        committees = StandingCommittee.objects.filter(term=term) if term else StandingCommittee.objects.none()
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["committee"].empty_label = _("Any committee")  # type: ignore[attr-defined]


class DecisionChoiceField(ModelChoiceField[Decision]):
    """A council decision chosen from the registry (other modules link to decisions)."""

    def __init__(self, **kwargs: Any) -> None:
        # Without the decisions' full texts: the list shows number, date and title.
        kwargs.setdefault("queryset", Decision.objects.order_by("-date", "-number").defer("text", "search_text"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Decision) -> str:
        return f"№ {obj.number} / {obj.date:%d.%m.%Y} — {obj.title[:80]}"
