"""``{% link "app:name" %}``: the URL of a fixed page, reversed once per process.

The layout links to some twenty such pages on every page; Django's ``{% url %}`` reverses each
one on every render (about 50 µs apiece, a millisecond per page). Such a URL can only change with
the URL configuration or the script prefix the site is served under, so it is remembered per
both. Use it for names with no arguments or with constant ones (``{% link "x:y" "privacy" %}``);
URLs built from data (a case's reference, an article's slug) still use ``{% url %}``.

``{% current_link request.path "a:b" "c:d" as current %}`` gives the one of those pages' URLs
that is the current page, or "": the layout keys its cached navigation by it, so every other page
(each case, each article) shares one copy.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=1024)
def _reversed(urlconf: str, prefix: str, name: str, args: tuple[str | int, ...]) -> str:
    return reverse(name, urlconf=urlconf, args=args)


@register.simple_tag
def link(name: str, *args: str | int) -> str:
    return _reversed(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, args)


@register.simple_tag
def current_link(path: str, *names: str) -> str:
    return path if any(link(name) == path for name in names) else ""
