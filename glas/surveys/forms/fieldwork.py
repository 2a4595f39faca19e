"""Forms of the fieldwork pages: a CSV list of invitations, a random sample, sending, letters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.core.forms import CleanTextMixin, ModelChoiceField
from glas.core.models import Settlement
from glas.core.selectors import current_municipality_or_none
from glas.surveys.services.invitations import MAX_CSV_BYTES, MAX_SAMPLE, SEND_KINDS


class InvitationsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, settlement, stratum (only email is required; leave it empty for a "
            "printed letter). UTF-8 or Windows-1251, separated by ; or ,. At most 2 MB and 10,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; split it into smaller files."))
        return bytes(upload.read(MAX_CSV_BYTES + 1))


class SampleDrawForm(forms.Form):
    size = forms.IntegerField(label=_("Sample size"), min_value=1, max_value=MAX_SAMPLE)
    by_settlement = forms.BooleanField(
        label=_("Stratify by settlement (in proportion to the verified residents of each)"),
        required=False,
        initial=True,
    )


class SendForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in SEND_KINDS], widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class LettersForm(CleanTextMixin, forms.Form):
    """Which letters to print: one settlement, and from which letter on (GET parameters)."""

    settlement = ModelChoiceField(
        label=_("Settlement"),
        queryset=Settlement.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All settlements"),
    )
    first = forms.IntegerField(
        label=_("From letter number"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        initial=0,
        help_text=_("At most 500 letters go in one PDF; print larger samples in parts."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = current_municipality_or_none()
        settlements = Settlement.objects.filter(municipality=municipality).order_by("kind", "name")
        self.fields["settlement"].queryset = settlements  # type: ignore[attr-defined]
