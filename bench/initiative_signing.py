"""Sustained online signing over HTTP against the minimal insert view, at a given concurrency.

Each request is one verified resident (their own session cookie) POSTing the sign form with a
CSRF token: validation, de-duplication, the insert, the counter shard, the audit entry and the
notification (whose e-mail task is enqueued). The same load then goes to ``/bench/minimal/``, a
view that inserts one row. Prints signatures per second, p50/p99, errors, the ratio between the
two, and the final check rows = counter = distinct signers. Standard library only; with ``wrk``
installed (the default when it is found) the load comes from ``wrk`` and ``signing.lua``.

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
import shutil
import subprocess
import sys
import tempfile
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


def run_wrk(base: str, path: str, sessions: list[str], seconds: float, concurrency: int, expect: int) -> dict:
    """The same load from ``wrk`` (C, event loop; ``signing.lua`` gives each request its own
    signer): the server's cores are not shared with a Python load generator."""
    threads = 2
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(sessions) + "\n")
    try:
        output = subprocess.run(  # noqa: S603
            [  # noqa: S607 - wrk from the PATH
                "wrk",
                f"-t{threads}",
                f"-c{concurrency}",
                f"-d{int(seconds)}s",
                "-s",
                str(ROOT / "bench" / "signing.lua"),
                base,
                "--",
                handle.name,
                path,
                str(expect),
                str(threads),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    line = next((line for line in output.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"could not read wrk's output:\n{output}")
    figures = dict(item.split("=") for item in line.split()[1:])
    ok, wall = int(figures["ok"]), float(figures["seconds"])
    errors = {key: int(figures[key]) for key in ("other", "exhausted") if int(figures[key])}
    return {
        "ok": ok,
        "per_second": ok / wall,
        "p50_ms": float(figures["p50_ms"]),
        "p99_ms": float(figures["p99_ms"]),
        "errors": errors,
        "seconds": wall,
        "used": int(figures["used"]),
    }


def combine(rounds: list[dict]) -> dict:
    """The rounds of one load as one: requests and seconds add up; p50/p99 are the rounds'
    medians and worst p99 (wrk reports percentiles, not the samples)."""
    ok = sum(r["ok"] for r in rounds)
    seconds = sum(r["seconds"] for r in rounds)
    errors: dict[str, int] = {}
    for r in rounds:
        for key, value in r["errors"].items():
            errors[key] = errors.get(key, 0) + value
    return {
        "ok": ok,
        "per_second": ok / seconds,
        "p50_ms": sorted(r["p50_ms"] for r in rounds)[len(rounds) // 2],
        "p99_ms": max(r["p99_ms"] for r in rounds),
        "errors": errors,
        "seconds": seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url")
    parser.add_argument("--setup", type=Path, help="create the initiative and signers; write their JSON here")
    parser.add_argument("--data", type=Path, help="JSON written by --setup")
    parser.add_argument("--signers", type=int, default=40000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the two loads")
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
    use_wrk = args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk") is not None)
    print(f"load generator: {'wrk' if use_wrk else 'Python threads'}; {args.rounds} alternating rounds")
    sign_path = f"/initiatives/{data['initiative']}/sign/"
    # The two loads alternate in rounds, so that a machine whose speed drifts (a shared host)
    # slows both alike and the ratio stays meaningful.
    rounds: dict[str, list[dict]] = {"signing": [], "minimal": []}
    queues = {"signing": sessions[:half], "minimal": sessions[half:]}
    targets = {"signing": (sign_path, 302), "minimal": ("/bench/minimal/", 204)}
    seconds = args.seconds / args.rounds
    for _round in range(args.rounds):
        for name, (path, expect) in targets.items():
            if use_wrk:
                figures = run_wrk(f"http://{host}:{port}", path, queues[name], seconds, args.concurrency, expect)
            else:
                figures = run(host, port, path, queues[name], seconds, args.concurrency, expect)
            rounds[name].append(figures)
            # The next round starts after every signer this one used (and those in flight).
            queues[name] = queues[name][figures.get("used", figures["ok"] + args.concurrency) :]
    signing, minimal = combine(rounds["signing"]), combine(rounds["minimal"])
    for name, figures in (("signing", signing), ("minimal insert view", minimal)):
        print(
            f"{name:>20}: {figures['ok']} in {figures['seconds']:.1f} s = {figures['per_second']:.0f}/s; "
            f"p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms; errors {figures['errors'] or 0}"
        )
    print(f"ratio signing / minimal: {signing['per_second'] / max(minimal['per_second'], 1e-9):.2f}")
    check = json.loads(manage("bench_initiative_setup", "--check", data["initiative"]))
    # wrk stops at its deadline without waiting for the requests in flight, which the server
    # still completes: up to one per connection more rows than answered requests.
    in_flight = args.concurrency * args.rounds if use_wrk else 0
    exact = check["rows"] == check["counter"] == check["distinct"] and (
        signing["ok"] <= check["rows"] <= signing["ok"] + in_flight
    )
    print(
        f"rows {check['rows']}, counter {check['counter']}, distinct signers {check['distinct']}, "
        f"held {check['held']}, answered {signing['ok']}: {'exact' if exact else 'NOT EXACT'}"
    )
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
