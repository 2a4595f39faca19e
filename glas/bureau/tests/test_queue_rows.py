"""``{% queue_rows %}`` escapes every value exactly as Django's ``format_html_join`` would."""

from __future__ import annotations

from django.utils import translation
from django.utils.html import format_html, format_html_join
from hypothesis import given
from hypothesis import strategies as st

from glas.bureau.templatetags.bureau import ROW, queue_rows

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30) | st.sampled_from(
    ['<script>alert("x")</script>', "Tom & Jerry's", "„данък“ <b>", "a\"b'c<d>e&f"]
)
ROW_DATA = st.fixed_dictionaries(
    {
        "url": TEXT,
        "reference": TEXT,
        "subject": TEXT,
        "escalated": st.booleans(),
        "kind": TEXT,
        "category": TEXT,
        "settlement": TEXT,
        "advisor": TEXT,
        "due": TEXT,
        "overdue": st.booleans(),
        "status": TEXT,
    }
)


def as_django_would(rows):
    escalated = format_html(' <span class="tag tag-warn">{}</span>', "escalated")
    overdue = format_html(' <span class="tag tag-warn">{}</span>', "overdue")
    return format_html_join(
        "",
        ROW,
        (
            (
                row["url"],
                row["reference"],
                row["subject"],
                escalated if row["escalated"] else "",
                row["kind"],
                row["category"],
                row["settlement"],
                row["advisor"],
                row["due"] or row["status"],
                overdue if row["due"] and row["overdue"] else "",
            )
            for row in rows
        ),
    )


@given(st.lists(ROW_DATA, max_size=5))
def test_every_value_is_escaped_as_django_escapes_it(rows):
    with translation.override("en"):
        assert str(queue_rows(rows)) == str(as_django_would(rows))
