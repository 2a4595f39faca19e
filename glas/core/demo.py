"""Demo data for development and for showing Glas: ``manage.py seed_demo``.

Each module registers a seeder; seeders run in registration order and must be idempotent.
Everything they create is marked as demo. Refused unless ``DEBUG`` is on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Seeder = Callable[[Callable[[str], Any]], None]
_seeders: list[tuple[str, Seeder]] = []


def register_seeder(name: str, seeder: Seeder) -> None:
    if name not in {existing for existing, _seeder in _seeders}:
        _seeders.append((name, seeder))


def seeders() -> list[tuple[str, Seeder]]:
    return list(_seeders)


def seed_municipality_and_rules(say: Callable[[str], Any]) -> None:
    from django.conf import settings

    from glas.core.services import legal_rules_load, municipality_load

    municipality = municipality_load(
        actor=None, path=settings.GLAS_DATA_DIR / "municipalities" / f"{settings.GLAS_MUNICIPALITY}.json"
    )
    say(f"Municipality {municipality.name}: {municipality.settlements.count()} settlements")
    created = legal_rules_load(actor=None, path=settings.GLAS_DATA_DIR / "legal_rules.json")
    say(f"Legal rules created: {created}")
