import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from glas.core.jobs import enqueue_due_jobs


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs that are due (reminders, digests, retention, heartbeat). Use --loop to keep running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Check again every --interval seconds")
        parser.add_argument("--interval", type=int, default=30)

    def handle(self, *args: Any, loop: bool = False, interval: int = 30, **options: Any) -> None:
        while True:
            names = enqueue_due_jobs()
            if names:
                self.stdout.write("Enqueued: " + ", ".join(names))
            if not loop:
                return
            time.sleep(max(interval, 1))
            # A long-running loop must not keep a connection the database has dropped.
            close_old_connections()
