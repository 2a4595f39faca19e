from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from glas.core.exceptions import DomainError
from glas.core.services import municipality_load


class Command(BaseCommand):
    help = (
        "Load (or update) a municipality from its JSON data file. Default: data/municipalities/$GLAS_MUNICIPALITY.json"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="JSON data file")

    def handle(self, *args: Any, path: str | None = None, **options: Any) -> None:
        file = Path(path) if path else settings.GLAS_DATA_DIR / "municipalities" / f"{settings.GLAS_MUNICIPALITY}.json"
        try:
            municipality = municipality_load(actor=None, path=file)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        count = municipality.settlements.count()
        self.stdout.write(f"Loaded {municipality.code}: {municipality.name} with {count} settlements.")
