"""How forms are drawn (core/renderers.py) and how their model choices are read (core/forms.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from glas.core.forms import CHOOSE, ModelChoiceField, ModelMultipleChoiceField
from glas.core.models import Settlement


def test_fields_are_drawn_with_jinja2_and_the_admins_widgets_with_the_template_language():
    renderer = get_default_renderer()
    assert isinstance(renderer.get_template("django/forms/field.html"), Jinja2Template)
    assert isinstance(renderer.get_template("admin/widgets/related_widget_wrapper.html"), DjangoTemplate)


class PlaceForm(forms.Form):
    place = ModelChoiceField(label="Place", queryset=Settlement.objects.order_by("name"))
    places = ModelMultipleChoiceField(label="Places", queryset=Settlement.objects.order_by("name"), required=False)


class StockForm(forms.Form):
    place = forms.ModelChoiceField(label="Place", queryset=Settlement.objects.order_by("name"), empty_label=CHOOSE)


def tidy(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.django_db
def test_a_choice_list_is_one_plain_query_and_the_markup_is_djangos(kresna: Any):
    form = PlaceForm()
    with CaptureQueriesContext(connection) as captured:
        place = str(form["place"])
    # Django's own iterator reads choices through a server-side cursor on PostgreSQL (DECLARE,
    # FETCH, CLOSE); a short list needs one statement.
    assert len(captured) == 1 and captured[0]["sql"].startswith("SELECT")
    settlements = list(Settlement.objects.order_by("name"))
    assert len(settlements) == 7
    # The same markup as Django's own field drawn with its template-language renderer.
    stock = StockForm(renderer=DjangoTemplates())
    assert tidy(place) == tidy(str(stock["place"])) and place.count("<option") == 8
    assert str(form["places"]).count("<option") == 7
    bound = PlaceForm({"place": settlements[2].pk, "places": [settlements[0].pk, settlements[1].pk]})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["place"] == settlements[2]
    assert list(bound.cleaned_data["places"]) == settlements[:2]
    assert not PlaceForm({"place": 10**9}).is_valid()


@pytest.mark.django_db
def test_the_empty_entry_says_what_to_do_unless_the_form_names_its_own(kresna: Any):
    with translation.override("bg"):
        first = str(PlaceForm()["place"]).split("</option>")[0]
        assert first.endswith('<option value="" selected>— изберете —')
        assert "-----" not in str(PlaceForm()["place"])

    class Named(forms.Form):
        place = ModelChoiceField(label="Place", queryset=Settlement.objects.all(), empty_label="Anywhere")
        chosen = ModelChoiceField(label="Chosen", queryset=Settlement.objects.all(), initial=1)

    named = Named()
    assert '<option value="" selected>Anywhere</option>' in str(named["place"])
    # As in Django: a required list with an initial choice has no empty entry.
    assert named.fields["chosen"].empty_label is None  # type: ignore[attr-defined]
