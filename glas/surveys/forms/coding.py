"""Forms of the coding pages: a code frame, a code, deleting a code, the answer filters."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from glas.core.forms import CleanTextMixin, ModelChoiceField
from glas.surveys.coding import FILTERS
from glas.surveys.models import Code, CodeFrame


class CodeFrameForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Name of the code frame"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the codes sort answers by, and rules for the coders."),
    )
    multiple = forms.BooleanField(
        label=_("An answer may get several codes"),
        required=False,
        help_text=_("Exported as one 0/1 variable per code; otherwise as one variable holding the code."),
    )
    primary_coder = forms.TypedChoiceField(
        label=_("Primary coder (whose codes are final)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, coders: list[tuple[int, str, int]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if coders is None:
            del self.fields["primary_coder"]
        else:
            field = cast(forms.TypedChoiceField, self.fields["primary_coder"])
            field.choices = [("", _("whoever codes first"))] + [(pk, name) for pk, name, _count in coders]


class CodeForm(CleanTextMixin, forms.Form):
    value = forms.IntegerField(label=_("Code (number)"), min_value=1, max_value=999999)
    label = forms.CharField(label=_("Label"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CodeEditForm(CodeForm):
    position = forms.IntegerField(label=_("Position in the list"), min_value=0, max_value=10000)


class CodeDeleteForm(forms.Form):
    reassign_to = ModelChoiceField(
        label=_("Give its answers this code instead"),
        queryset=Code.objects.none(),
        required=False,
        empty_label=_("(none: the code is not used)"),
    )

    def __init__(self, *args: Any, code: Code, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["reassign_to"])
        field.queryset = Code.objects.filter(frame_id=code.frame_id).exclude(pk=code.pk).order_by("position", "value")


class AnswerFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("all", _("all answers")),
            ("uncoded", _("answers you have not coded")),
            ("coded", _("answers you have coded")),
            ("disagreements", _("answers where coders disagree")),
        ],
    )
    q = forms.CharField(label=_("Containing the words"), required=False, max_length=200)

    def values(self) -> tuple[str, str]:
        """The filter and the search words; a bad value falls back to showing everything."""
        if not self.is_valid():
            return "all", ""
        show = self.cleaned_data.get("show") or "all"
        return (show if show in FILTERS else "all"), (self.cleaned_data.get("q") or "").strip()


def frame_initial(frame: CodeFrame) -> dict[str, Any]:
    return {
        "name": frame.name,
        "description": frame.description,
        "multiple": frame.multiple,
        "primary_coder": frame.primary_coder_id,
    }
