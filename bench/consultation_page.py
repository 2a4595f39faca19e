"""The public page of a consultation with 5,000 comments across 200 paragraphs, over HTTP at a
given concurrency. Prints the page's queries (with a handful of comments and with 5,000: they
must be equal) and the p50/p99 latency of the page. Standard library only.

    python bench/consultation_page.py http://127.0.0.1:8000 --setup --consultation /tmp/c.json
    python bench/consultation_page.py http://127.0.0.1:8000 --consultation /tmp/c.json --requests 2000

``--setup`` runs ``manage.py bench_consultation_setup`` with the current environment (so the
same DATABASE_URL as the server): it creates the consultation, counts the queries of its page
before and after adding the comments, and prints JSON, saved to ``--consultation``. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fetch(url: str) -> float:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Accept-Language": "bg"})  # noqa: S310 - http(s) checked
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - http(s) checked
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url")
    parser.add_argument("--setup", action="store_true", help="create it with manage.py bench_consultation_setup")
    parser.add_argument("--consultation", type=Path, help="JSON printed by bench_consultation_setup")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        parser.error("the base URL must start with http:// or https://")
    if args.setup:
        output = subprocess.run(  # noqa: S603 - our own manage.py, no user input
            [sys.executable, str(ROOT / "manage.py"), "bench_consultation_setup"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        data = json.loads(output.strip().splitlines()[-1])
        if args.consultation:
            args.consultation.write_text(json.dumps(data))
    elif args.consultation:
        data = json.loads(args.consultation.read_text())
    else:
        parser.error("give --setup or --consultation")
    for path, before, after in zip(data["paths"], data["queries_before"], data["queries_after"], strict=True):
        print(f"queries of {path}: {before} with a few comments, {after} with 5,000")
    paths = data["paths"]
    urls = [base + paths[n % len(paths)] for n in range(args.requests)]
    print(f"{args.requests} page requests at concurrency {args.concurrency}")
    started = time.perf_counter()
    timings: list[float] = []
    failures = 0
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for future in [pool.submit(fetch, url) for url in urls]:
            try:
                timings.append(future.result())
            except Exception as error:  # count and report, keep measuring
                failures += 1
                if failures <= 3:
                    print(f"failure: {error}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    if not timings:
        print("no page was served", file=sys.stderr)
        return 1
    print(f"served {len(timings)} pages in {elapsed:.1f} s ({failures} failed), {len(timings) / elapsed:.1f} pages/s")
    print(f"page: p50 {statistics.median(timings) * 1000:.0f} ms, p99 {percentile(timings, 0.99) * 1000:.0f} ms")
    equal = data["queries_before"] == data["queries_after"]
    print("queries per page: constant" if equal else "queries per page: NOT constant")
    return 0 if equal and not failures else 2


if __name__ == "__main__":
    sys.exit(main())
