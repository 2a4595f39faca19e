"""A person's own API tokens: list, create (the secret is shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from glas.api import services
from glas.api.access import get_own_token
from glas.api.forms import ApiTokenForm
from glas.api.models import ApiToken
from glas.core.exceptions import DomainError
from glas.core.types import AuthedRequest


@login_required
@never_cache
def tokens(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            form = ApiTokenForm()
    context = {"form": form, "secret": secret, "tokens": ApiToken.objects.filter(user=request.user)}
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_own_token(request.user, pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked. Programs that use it can no longer sign in."))
    return redirect("api_tokens:list")
