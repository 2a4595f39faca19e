from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from glas.accounts.demo import DEMO_TOTP_SECRET, current_totp_code


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo staff personas (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--watch", action="store_true", help="Print a new code every 30 seconds")

    def handle(self, *args: Any, watch: bool = False, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo codes exist only with DEBUG=1.")
        import time

        while True:
            self.stdout.write(f"{current_totp_code(DEMO_TOTP_SECRET)}  (secret {DEMO_TOTP_SECRET})")
            if not watch:
                return
            time.sleep(30 - time.time() % 30 + 0.5)
