"""Form controls side by side line up: one-line fields, lists and buttons are drawn at one height
(the browser's own sizes differ: a list is shorter than a text field, a date field taller), in
normal and in larger text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser

BOXES = """() => [...document.querySelectorAll('form.filters input, form.filters select, form.filters button')]
  .map(e => { const r = e.getBoundingClientRect();
              return [e.tagName + (e.type ? ':' + e.type : ''), r.top, r.height]; })"""


@pytest.mark.parametrize("size", ["normal", "large"])
def test_the_fields_and_button_of_a_filter_bar_share_one_height_and_line(
    new_context: Callable[..., Any], size: str
) -> None:
    page = new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/council/decisions/")
    if size == "large":
        with page.expect_navigation():
            page.click("header button[name=size][value=large]")
    boxes = page.evaluate(BOXES)
    kinds = {kind for kind, _top, _height in boxes}
    assert {"INPUT:text", "SELECT:select-one", "BUTTON:submit"} <= kinds, boxes
    heights = [height for _kind, _top, height in boxes]
    tops = [top for _kind, top, _height in boxes]
    assert max(heights) - min(heights) < 0.5, boxes
    if size == "normal":  # one row; in larger text the button wraps to a second one
        assert max(tops) - min(tops) < 0.5, boxes
