"""What is open for participation now, gathered from every module for the home page.

Each participation module (consultations, initiatives, surveys, …) registers a provider that
returns its open items; the home page shows them together, newest deadline first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OpenItem:
    kind: str  # translated label of the instrument, e.g. "Public consultation"
    title: str
    url: str
    closes_on: dt.date | None = None
    summary: str = ""


Provider = Callable[[int], list[OpenItem]]
_providers: dict[str, Provider] = {}


def register_provider(name: str, provider: Provider) -> None:
    _providers[name] = provider


def open_items(limit: int = 12) -> list[OpenItem]:
    items: list[OpenItem] = []
    for name in sorted(_providers):
        items.extend(_providers[name](limit))
    items.sort(key=lambda item: (item.closes_on is None, item.closes_on or dt.date.max))
    return items[:limit]
