"""The public initiative page with 100,000 signatures: its number of queries (the same as with
none) and its latency over HTTP from the running server, sequentially and at concurrency 10.

Adds synthetic paper signatures (bulk inserts, keyed by a bench-only identity) to the
initiative made by ``bench_initiative_setup`` until it holds ``--signatures`` rows, moving the
counter by the same number, then measures. Refuses any database whose name lacks ``bench``.

    DEBUG=1 DATABASE_URL=postgres://…/glas_bench python bench/initiative_page.py \\
        http://127.0.0.1:8000 --data /tmp/bench.json --signatures 100000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glas.settings")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fill(initiative, target: int) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction
    from django.db.models import F

    from glas.initiatives.models import Signature, SignatureCounter

    have = Signature.objects.filter(initiative=initiative).count()
    promoter = initiative.promoter
    settlement = initiative.municipality.settlements.get(slug="kresna")
    batch = []
    for n in range(have, target):
        batch.append(
            Signature(
                initiative=initiative,
                channel="paper",
                identity_key=f"bench:{n}",
                full_name="Бенч Синтетичен Подписващ",
                address="бенчмарк",
                settlement=settlement,
                sheet_number=100000 - n // 1000,
                line_number=1 + n % 1000,
                entered_by=promoter,
            )
        )
    with transaction.atomic():
        Signature.objects.bulk_create(batch, batch_size=5000)
        # The lines' settlement's shard (the total is the sum of all the shards).
        SignatureCounter.objects.filter(initiative=initiative, settlement=settlement, shard=0).update(
            count=F("count") + len(batch)
        )


def timed_gets(url: str, count: int, concurrency: int) -> list[float]:
    timings: list[float] = []
    lock = threading.Lock()
    per_thread = count // concurrency

    def worker() -> None:
        for _ in range(per_thread):
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - http URL checked
                response.read()
            with lock:
                timings.append(time.perf_counter() - started)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url")
    parser.add_argument("--data", type=Path, required=True, help="JSON written by initiative_signing.py --setup")
    parser.add_argument("--signatures", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    if not args.base_url.startswith("http://"):
        parser.error("the base URL must start with http://")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from glas.initiatives.models import Initiative
    from glas.initiatives.selectors import signature_count

    if "bench" not in str(settings.DATABASES["default"]["NAME"]):
        print("Refusing: the database name must contain 'bench'.")
        return 2
    initiative = Initiative.objects.get(public_id=json.loads(args.data.read_text())["initiative"])
    path = f"/initiatives/{initiative.public_id}/"
    client = Client(HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as before:
        first = client.get(path)
    fill(initiative, args.signatures)
    with CaptureQueriesContext(connection) as after:
        second = client.get(path)
    if first.status_code != 200 or second.status_code != 200:
        print(f"The page answered {first.status_code} / {second.status_code}.")
        return 1
    print(f"signatures counted: {signature_count(initiative)}; page queries before {len(before)}, after {len(after)}")
    url = args.base_url.rstrip("/") + path
    timed_gets(url, 20, 1)  # warm up
    for concurrency in (1, 10):
        timings = timed_gets(url, args.requests, concurrency)
        print(
            f"concurrency {concurrency:>2}: {len(timings)} GETs, p50 {percentile(timings, 0.5) * 1000:.1f} ms, "
            f"p99 {percentile(timings, 0.99) * 1000:.1f} ms"
        )
    return 0 if len(before) == len(after) else 1


if __name__ == "__main__":
    sys.exit(main())
