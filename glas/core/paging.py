"""Paging a long list without counting it.

``Paginator`` counts every matching row on each page view to print "page 3 of 812"; on a queue
of tens of thousands of rows that count costs more than the page itself. ``slice_page`` reads
one row more than a page instead, which is enough to know whether a next page exists, so a
page costs the same at any size of the list. It quacks like ``Page`` for
``includes/pagination.html`` (which then prints only the page number).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# A page number past this is not a real reader's (and would make the database skip millions
# of rows): it is read as the last page anyone can reach.
MAX_PAGE = 10_000


@dataclass(frozen=True)
class SlicePage(Generic[T]):
    object_list: Sequence[T]
    number: int
    has_next_page: bool
    paginator: None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.has_next_page

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next_page or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(raw: Any) -> int:
    """The page asked for in the query string; anything that is not a page number is page 1."""
    if isinstance(raw, str) and raw.isdigit() and len(raw) <= 6:
        return min(max(int(raw), 1), MAX_PAGE)
    return 1


def slice_page(items: Any, number: int, size: int) -> SlicePage[Any]:
    """Page ``number`` of ``items`` (a query set or a list), reading ``size + 1`` rows. A page
    past the end of the list (an old link, a typed number) shows the first page."""
    start = (number - 1) * size
    rows = list(items[start : start + size + 1])
    if not rows and number > 1:
        number, rows = 1, list(items[: size + 1])
    return SlicePage(object_list=rows[:size], number=number, has_next_page=len(rows) > size)
