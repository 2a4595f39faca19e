"""Create the municipality's recovery key for integrity reports and print its private half once.

Run it once when the channel is set up (and again to replace a compromised key): print the output,
seal it in an envelope kept by the mayor and the municipal secretary, and delete nothing else.
See docs/integrity.md for the recovery procedure.
"""

from typing import Any

from django.core.management.base import BaseCommand

from glas.integrity.services import recovery_key_create


class Command(BaseCommand):
    help = "Create a new recovery key for integrity reports and print its private half once."

    def handle(self, *args: Any, **options: Any) -> None:
        key, private = recovery_key_create()
        self.stdout.write(f"Recovery key fingerprint: {key.fingerprint}")
        self.stdout.write(f"PRIVATE KEY (keep offline, shown once): {private.hex()}")
        self.stdout.write("New reports are now also sealed for this key; earlier reports keep their earlier keys.")
