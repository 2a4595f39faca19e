from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from glas.accounts.models import ResidentVerification, User
from glas.accounts.roles import STAFF_ROLES
from glas.core.forms import CleanTextMixin, ModelChoiceField
from glas.core.models import NotificationPreference, Settlement


class SignupForm(CleanTextMixin, forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls ``signup`` after saving the user)."""

    # The consent comes last, just before the button, after everything it agrees to.
    field_order = ["email", "display_name", "password1", "password2", "accept_terms"]

    display_name = forms.CharField(
        label=_("Public name (optional)"),
        max_length=100,
        required=False,
        help_text=_("Shown next to what you publish. Leave empty to appear as “Resident”."),
    )
    accept_terms = forms.BooleanField(
        label=_("I have read and accept the terms of use and the privacy notice."),
        required=True,
        error_messages={"required": _("You need to accept the terms of use and the privacy notice to register.")},
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        from glas.accounts.selectors import current_consent_texts
        from glas.accounts.services import consent_accept, profile_update

        profile_update(
            actor=user, full_name="", display_name=self.cleaned_data.get("display_name", ""), language=user.language
        )
        for consent in current_consent_texts():
            consent_accept(actor=user, consent=consent)


class ProfileForm(CleanTextMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        help_text=_("Used only by the bureau and staff when they answer you."),
    )
    display_name = forms.CharField(
        label=_("Public name"),
        max_length=100,
        required=False,
        help_text=_("Shown next to what you publish. Leave empty to appear as “Resident”."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class FindPersonForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"), max_length=254)


class UnechoedTextInput(forms.TextInput):
    """A text input that is empty whenever the form is shown again: what was typed into it
    (the ЕГН) is never written back into a page, not even one with errors."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        return super().get_context(name, None, attrs)


class ResidentVerificationForm(CleanTextMixin, forms.Form):
    egn = forms.CharField(
        label=_("ЕГН"),
        max_length=40,
        help_text=_("Read it from the identity document. It is stored only in a protected form."),
        widget=UnechoedTextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    settlement = ModelChoiceField(
        label=_("Settlement of permanent address"),
        queryset=Settlement.objects.none(),
    )
    document = forms.ChoiceField(label=_("Document checked"), choices=ResidentVerification.Document.choices)
    address_checked = forms.BooleanField(
        label=_("I checked the permanent address in the document in person."),
        required=True,
    )

    def __init__(self, *args: Any, settlements: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = settlements  # type: ignore[attr-defined]


class RevokeVerificationForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class RoleForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in STAFF_ROLES])


class NotificationPreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("E-mail me about notifications"), choices=NotificationPreference.Mode.choices, widget=forms.RadioSelect
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be deleted and this cannot be undone."),
        required=True,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
