from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from glas.core.demo import seeders


class Command(BaseCommand):
    help = "Create the Kresna demo data: municipality, rules, one persona per role, module content (DEBUG only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with published passwords and runs only with DEBUG=1.")
        for name, seeder in seeders():
            self.stdout.write(f"== {name}")
            seeder(self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Personas and passwords: see README.md, 'Demo personas'.")
        )
