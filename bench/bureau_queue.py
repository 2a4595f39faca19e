"""The advisor queue and the case page of the citizens' bureau under load, over HTTP.

Requests by 20 concurrent clients (by default): the advisor's queue, the supervisor's queue of
all cases, and case pages of the advisor's cases: with ``wrk``, an open access-to-information
request (the heaviest case page: it offers every step) and a closed case, each on its own.
Prints requests per second and p50/p99 latency per page. Standard library only.

    python bench/bureau_queue.py http://127.0.0.1:8000 --setup --data /tmp/bureau.json
    python bench/bureau_queue.py http://127.0.0.1:8000 --data /tmp/bureau.json --requests 2000

``--baseline`` first loads a minimal signed-in page (no query beyond the session's user, no
template) and prints each page's rate as a share of it: the figure that carries over between
machines. The server must then run with ``bench/initiative_bench_settings.py``, which adds it.

``--setup`` runs ``manage.py bench_bureau_setup`` (50,000 synthetic cases; it also prints the
number of queries of each page at 1,000 and 50,000 cases) with the current environment. See
bench/README.md.

With ``wrk`` installed (Debian package ``wrk``; ``--tool wrk``, the default when it is found)
each page is loaded on its own for ``--seconds`` after a warm-up, by a load generator written
in C that leaves the cores to the server; ``--tool python`` mixes the three pages from a thread
pool in this process (which itself uses a good part of a core at these rates).
"""

from __future__ import annotations

import argparse
import http.cookies
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fetch(base: str, path: str, cookie: str) -> tuple[float, str]:
    """One request with the ``Cookie`` header ``cookie``: its time, and the header a browser
    would send next (``cookie`` with the cookies the response set, such as the CSRF cookie)."""
    request = urllib.request.Request(  # noqa: S310 - the base URL is given by the operator
        base.rstrip("/") + path, headers={"Cookie": cookie, "Accept-Language": "bg"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        response.read()
        if response.status != 200 or "/accounts/" in response.geturl():
            raise SystemExit(f"{path}: {response.status} {response.geturl()}")
        jar = http.cookies.SimpleCookie(cookie)
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return time.perf_counter() - started, "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def wrk(url: str, cookie: str, concurrency: int, seconds: int) -> tuple[float, str]:
    """One page under ``wrk`` at ``concurrency`` connections, each sending ``cookie`` as a
    browser would: requests/s, and a line with requests/s, p50, p99 and errors."""
    output = subprocess.run(  # noqa: S603
        [  # noqa: S607 - wrk from the PATH
            "wrk",
            f"-t{min(2, concurrency)}",
            f"-c{concurrency}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            "-H",
            "Accept-Language: bg",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if not (rate and p50 and p99):
        raise SystemExit(f"could not read wrk's output:\n{output}")
    return float(rate.group(1)), (
        f"{float(rate.group(1)):.1f} requests/s at concurrency {concurrency} for {seconds} s; "
        f"p50 {p50.group(1)}, p99 {p99.group(1)}; errors {errors.group(1) if errors else 0}"
    )


def case_path(reference: str) -> str:
    return "/bureau/cases/" + urllib.parse.quote(reference) + "/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30, help="per page, with wrk")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="with wrk: load /bench/minimal-page/ first (a server started with initiative_bench_settings) "
        "and print each page's rate as a share of it",
    )
    args = parser.parse_args()
    if args.setup:
        output = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "bench_bureau_setup"], check=True, capture_output=True, text=True
        )
        sys.stderr.write(output.stderr)
        args.data.write_text(output.stdout)
    data = json.loads(args.data.read_text())
    for row in data.get("query_counts", []):
        print("queries:", row)
    references = data["references"]
    if args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk")):
        pages = [
            ("advisor queue", "/bureau/cases/", data["advisor_session"]),
            ("supervisor queue (all)", "/bureau/cases/?view=all", data["supervisor_session"]),
            ("case page (open request)", case_path(data["open_request"]), data["advisor_session"]),
            ("case page (closed case)", case_path(data["closed_case"]), data["advisor_session"]),
        ]
        if args.baseline:
            pages.insert(0, ("minimal signed-in page (baseline)", "/bench/minimal-page/", data["advisor_session"]))
        baseline = None
        for name, path, session in pages:
            # A 200, not a redirect to the login page; then the cookies a browser would hold.
            _time, cookie = fetch(args.base, path, f"sessionid={session}")
            wrk(args.base + path, cookie, args.concurrency, 5)  # warm-up: every worker has rendered it
            rate, result = wrk(args.base + path, cookie, args.concurrency, args.seconds)
            share = f"; {rate / baseline:.2f} of the baseline" if baseline else ""
            baseline = baseline or (rate if args.baseline else None)
            print(f"{name}: {result}{share}")
        return
    jobs = []
    for number in range(args.requests):
        page = number % 3
        if page == 0:
            jobs.append(("advisor queue", "/bureau/cases/", data["advisor_session"]))
        elif page == 1:
            jobs.append(("supervisor queue (all)", "/bureau/cases/?view=all", data["supervisor_session"]))
        else:
            path = case_path(references[number % len(references)])
            jobs.append(("case page", path, data["advisor_session"]))
    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        timings = list(pool.map(lambda job: (job[0], fetch(args.base, job[1], f"sessionid={job[2]}")[0]), jobs))
    elapsed = time.perf_counter() - started
    print(f"{len(jobs)} requests at concurrency {args.concurrency}: {len(jobs) / elapsed:.1f} requests/s")
    for name in sorted({name for name, _ in timings}):
        values = sorted(t for n, t in timings if n == name)
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"{name}: p50 {statistics.median(values) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms (n={len(values)})")


if __name__ == "__main__":
    main()
