"""``{% queue_rows rows %}``: the bureau queue's table rows.

The queue shows fifty rows of seven cells on every view, and the template language spent about
a third of the page's time on them (each ``{{ }}`` is a lookup, a localisation check and an
escape). The same markup is written here once. Every value is a ``str`` (the rows are
``selectors.QueueRow`` dicts, already translated) and is escaped with the standard library's
``html.escape``, which is what Django's ``escape`` calls: ``format_html_join`` did the same work
through Django's lazy-string and safe-string checks, about five times slower (1.3 against
0.26 ms for fifty rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from glas.bureau.selectors import QueueRow

register = template.Library()

ROW = '<tr><td><a href="{}">{}</a></td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>\n'


@register.simple_tag
def queue_rows(rows: Iterable[QueueRow]) -> SafeString:
    escalated = format_html(' <span class="tag tag-warn">{}</span>', _("escalated"))
    overdue = format_html(' <span class="tag tag-warn">{}</span>', _("overdue"))
    lines = (
        ROW.format(
            escape(row["url"]),
            escape(row["reference"]),
            escape(row["subject"]),
            escalated if row["escalated"] else "",
            escape(row["kind"]),
            escape(row["category"]),
            escape(row["settlement"]),
            escape(row["advisor"]),
            escape(row["due"] or row["status"]),
            overdue if row["due"] and row["overdue"] else "",
        )
        for row in rows
    )
    return mark_safe("".join(lines))  # noqa: S308 - every value above is escaped
