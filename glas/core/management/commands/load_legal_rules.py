from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from glas.core.exceptions import DomainError
from glas.core.services import legal_rules_load


class Command(BaseCommand):
    help = "Create the legal rules of a data file that do not exist yet (default: data/legal_rules.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="JSON data file")

    def handle(self, *args: Any, path: str | None = None, **options: Any) -> None:
        file = Path(path) if path else settings.GLAS_DATA_DIR / "legal_rules.json"
        try:
            created = legal_rules_load(actor=None, path=file)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Created {created} legal rules.")
