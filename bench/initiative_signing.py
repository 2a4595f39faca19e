"""Sustained online signing over HTTP against the minimal insert view, at a given concurrency.

Each request is one verified resident (their own session cookie) POSTing the sign form with a
CSRF token: validation, de-duplication, the insert, the counter shard, the audit entry and the
notification (whose e-mail task is enqueued). The same load then goes to ``/bench/minimal/``, a
view that inserts one row. Prints signatures per second, p50/p99, errors, the ratio between the
two, and the final check rows = counter = distinct signers. Standard library only.

    python bench/initiative_signing.py http://127.0.0.1:8000 --setup /tmp/bench.json --signers 40000
    python bench/initiative_signing.py http://127.0.0.1:8000 --data /tmp/bench.json --seconds 60 --concurrency 50

See bench/README.md for the server (gunicorn, PostgreSQL, Redis).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "glas.settings"}
    return (
        subprocess.run(  # noqa: S603 - our own manage.py, no user input
            [sys.executable, str(ROOT / "manage.py"), *args], check=True, capture_output=True, text=True, env=env
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def run(host: str, port: int, path: str, sessions: list[str], seconds: float, concurrency: int, expect: int) -> dict:
    csrf = secrets.token_hex(16)  # the client's own CSRF secret, sent as cookie and header
    lock = threading.Lock()
    next_session = iter(sessions)
    timings: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < deadline:
            with lock:
                session = next(next_session, None)
            if session is None:
                return
            headers = {
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{host}:{port}/",
            }
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(host, port, timeout=30)
                connection.request("POST", path, body=b"", headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                status = response.status
            except OSError as error:
                status = type(error).__name__
            elapsed = time.perf_counter() - started
            with lock:
                if status == expect:
                    timings.append(elapsed)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "ok": len(timings),
        "per_second": len(timings) / wall,
        "p50_ms": percentile(timings, 0.5) * 1000,
        "p99_ms": percentile(timings, 0.99) * 1000,
        "errors": errors,
        "seconds": wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url")
    parser.add_argument("--setup", type=Path, help="create the initiative and signers; write their JSON here")
    parser.add_argument("--data", type=Path, help="JSON written by --setup")
    parser.add_argument("--signers", type=int, default=40000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    base = urllib.parse.urlsplit(args.base_url)
    if base.scheme != "http" or not base.hostname:
        parser.error("the base URL must be http://host:port")
    if args.setup:
        args.setup.write_text(manage("bench_initiative_setup", "--signers", str(args.signers)))
        args.data = args.setup
    if not args.data:
        parser.error("give --setup or --data")
    data = json.loads(args.data.read_text())
    sessions = Path(data["sessions"]).read_text().split()
    host, port = base.hostname, base.port or 80
    half = len(sessions) // 2
    print(
        f"initiative {data['initiative']}: {len(sessions)} signers, "
        f"{args.seconds:.0f} s, concurrency {args.concurrency}"
    )
    signing = run(
        host, port, f"/initiatives/{data['initiative']}/sign/", sessions[:half], args.seconds, args.concurrency, 302
    )
    minimal = run(host, port, "/bench/minimal/", sessions[half:], args.seconds, args.concurrency, 204)
    for name, figures in (("signing", signing), ("minimal insert view", minimal)):
        print(
            f"{name:>20}: {figures['ok']} in {figures['seconds']:.1f} s = {figures['per_second']:.0f}/s; "
            f"p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms; errors {figures['errors'] or 0}"
        )
    print(f"ratio signing / minimal: {signing['per_second'] / max(minimal['per_second'], 1e-9):.2f}")
    check = json.loads(manage("bench_initiative_setup", "--check", data["initiative"]))
    exact = check["rows"] == check["counter"] == check["distinct"] == signing["ok"]
    print(
        f"rows {check['rows']}, counter {check['counter']}, distinct signers {check['distinct']}, "
        f"held {check['held']}: {'exact' if exact else 'NOT EXACT'}"
    )
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
