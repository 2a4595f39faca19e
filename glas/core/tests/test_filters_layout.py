"""A filter bar (``<form class="filters">``) lays its children out as a row of fields: each label
with its control, and each button, must sit in its own ``.field`` box, or the label of one list
lands beside the control of the one before and a button sits lower than the lists beside it."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

# Elements with no end tag.
VOID = {"input", "br", "hr", "img", "meta", "link", "source", "wbr", "col", "area", "embed", "track"}


class FilterBars(HTMLParser):
    """The direct children of every ``form.filters``, as (tag, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.bars: list[list[tuple[str, dict[str, str]]]] = []
        self.depth = 0  # depth inside the current filter bar, 0 outside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if self.depth == 0:
            if tag == "form" and "filters" in attributes.get("class", "").split():
                self.bars.append([])
                self.depth = 1
            return
        if self.depth == 1:
            self.bars[-1].append((tag, attributes))
        if tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth > 0 and tag not in VOID:
            self.depth -= 1


def misplaced(html: str) -> list[str]:
    parser = FilterBars()
    parser.feed(html)
    assert parser.bars, "the page has no filter bar"
    wrong = []
    for bar in parser.bars:
        for tag, attributes in bar:
            boxed = tag == "div" and {"field", "error-summary"} & set(attributes.get("class", "").split())
            hidden = tag == "input" and attributes.get("type") == "hidden"
            if not (boxed or hidden):
                wrong.append(f"<{tag} {attributes}>")
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("advisor", lambda: reverse("bureau:queue")),
        (None, lambda: reverse("bureau:kb_list")),
        (None, lambda: reverse("council:decision_list")),
        ("admin_user", lambda: reverse("core:audit_log")),
        ("researcher", lambda: reverse("surveys:design_list")),
        (None, lambda: reverse("integrity:declarations")),
        ("integrity_officer", lambda: reverse("integrity:inbox")),
    ],
    ids=[
        "bureau-queue",
        "knowledge-base",
        "council-decisions",
        "audit-log",
        "survey-designs",
        "interest-declarations",
        "integrity-inbox",
    ],
)
def test_every_filter_bar_keeps_each_label_with_its_control(
    request: pytest.FixtureRequest, client_for: Any, kresna: Any, persona: str | None, url: Any
) -> None:
    user = request.getfixturevalue(persona) if persona else None
    response = client_for(user).get(url())
    assert response.status_code == 200
    assert misplaced(response.content.decode()) == []


def test_the_check_finds_a_bare_label_and_button() -> None:
    html = '<form class="filters"><label for="a">A</label><select id="a"></select><button>Go</button></form>'
    assert len(misplaced(html)) == 3
    boxed = '<form class="filters"><div class="field"><label>A</label><select></select></div></form>'
    assert misplaced(boxed) == []
