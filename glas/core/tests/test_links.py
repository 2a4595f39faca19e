"""``{% link %}``: the same URLs as ``{% url %}``, remembered per URL configuration and prefix."""

from __future__ import annotations

from django.template import Context, Template
from django.urls import include, path, reverse, set_script_prefix

# The third test serves the whole site under /elsewhere/ with this module as URL configuration.
urlpatterns = [path("elsewhere/", include("glas.urls"))]


def _render(source: str) -> str:
    return Template("{% load links %}" + source).render(Context())


def test_link_gives_what_url_gives_with_and_without_arguments():
    assert _render("{% link 'core:home' %}") == reverse("core:home")
    assert _render("{% link 'accounts:consent_text' 'privacy' %}") == reverse("accounts:consent_text", args=["privacy"])
    assert _render("{% link 'core:rules' as rules %}[{{ rules }}]") == f"[{reverse('core:rules')}]"


def test_a_site_served_under_a_prefix_gets_prefixed_links():
    plain = _render("{% link 'core:rules' %}")
    set_script_prefix("/kresna/")
    try:
        assert _render("{% link 'core:rules' %}") == "/kresna" + plain
    finally:
        set_script_prefix("/")
    assert _render("{% link 'core:rules' %}") == plain


def test_another_url_configuration_is_not_served_the_cached_links(settings):
    before = _render("{% link 'core:home' %}")
    settings.ROOT_URLCONF = __name__
    assert _render("{% link 'core:home' %}") == "/elsewhere" + before
    settings.ROOT_URLCONF = "glas.urls"
    assert _render("{% link 'core:home' %}") == before
