"""What ``{% load i18n %}`` loads in Glas's templates (``TEMPLATES`` maps the label here):
Django's own i18n library, with one change. ``{% translate "a literal" %}`` (or ``trans``, with
or without ``as``) asks the catalogue for its string when it is drawn, as Django's tag does,
but not through a lazy string. Django's tag makes a lazy string for every literal and then
turns it back into text through several wrappers: on a page of the bureau that was about a
tenth of the page's time, for some fifty such tags.

The output is the same as Django's: the catalogue's string for the active language, marked
safe as Django marks a literal's, with ``%%`` back to ``%``. A tag with a context, ``noop``,
filters or a variable is Django's own node, unchanged. ``makemessages`` reads the templates as
before: the tags are the same.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags import i18n
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class LiteralTranslateNode(i18n.TranslateNode):
    """``{% translate "literal" %}``: the literal's translation, without a lazy string."""

    def __init__(self, node: i18n.TranslateNode, literal: str) -> None:
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        # As Django's Variable does: a percent sign in a template's literal is doubled in the
        # catalogue's message id. A literal is written by the template's author, so Django
        # marks it safe, and gettext() then marks its translation safe too.
        self.message = SafeString(literal.replace("%", "%%"))

    def render(self, context: Any) -> str:
        value = SafeString(gettext(self.message).replace("%%", "%"))
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Any, token: Any) -> i18n.TranslateNode:
    node = i18n.do_translate(parser, token)
    expression = node.filter_expression
    literal = getattr(expression.var, "literal", None)
    if node.noop or node.message_context or expression.filters or not isinstance(literal, str):
        return node
    return LiteralTranslateNode(node, literal)
