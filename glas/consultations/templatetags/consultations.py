"""The text of a draft on its consultation page.

200 paragraphs, each with its comment count and links, cost a lot as template nodes; this tag
writes the same markup with ``format_html`` (every value escaped) in a fraction of the time.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _linebreaksbr(text: str) -> SafeString:
    from django.utils.html import escape

    return mark_safe(escape(normalize_newlines(text)).replace("\n", "<br>"))  # noqa: S308 - escaped above


@register.simple_tag
def draft_text(articles: list[Any], *, selected: Any, is_open: bool, contribute_url: str) -> SafeString:
    comment_label = _("Comment or propose a wording")
    labels: dict[int, str] = {}
    parts: list[str] = []
    for article in articles:
        if article.heading:
            parts.append(format_html('<p class="article-heading">{}</p>', article.heading))
        parts.append(format_html('<article aria-label="{}">', article.number))
        for index, paragraph in enumerate(article.paragraphs.all()):
            count = paragraph.comment_count
            if count not in labels:
                labels[count] = ngettext("%(counter)s comment", "%(counter)s comments", count) % {"counter": count}
            where = f"{article.number} {paragraph.number}".strip()
            lead = format_html("<strong>{}.</strong> ", article.number) if index == 0 else ""
            number = f"{paragraph.number} " if paragraph.number else ""
            selected_class = " is-selected" if selected is not None and selected.pk == paragraph.pk else ""
            tools = format_html(
                '<a href="?paragraph={}#comments">{}<span class="visually-hidden"> — {}</span></a>',
                str(paragraph.pk),
                labels[count],
                where,
            )
            if is_open:
                tools += format_html(
                    ' · <a href="{}?paragraph={}">{}<span class="visually-hidden"> — {}</span></a>',
                    contribute_url,
                    str(paragraph.pk),
                    comment_label,
                    where,
                )
            parts.append(
                format_html(
                    '<div class="paragraph{}" id="p-{}"><p>{}{}{}</p><p class="paragraph-tools">{}</p></div>',
                    selected_class,
                    str(paragraph.pk),
                    lead,
                    number,
                    _linebreaksbr(paragraph.text),
                    tools,
                )
            )
        parts.append("</article>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every part is built with format_html


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template (``None`` when missing)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percent(share: Any) -> str:
    """A share 0–1 as a whole percentage."""
    try:
        return str(round(float(share) * 100))
    except (TypeError, ValueError):
        return ""
