"""End-to-end submission of 30-question survey responses over HTTP, at a given concurrency.

Each response is one browser: its own cookie jar, the start page (CSRF cookie), Start, three
pages of ten questions, the review and Submit. Prints responses per second and the p50/p99
latency of a whole response and of a single request. Standard library only.

    python bench/survey_submission.py http://127.0.0.1:8000 --setup            # creates the survey
    python bench/survey_submission.py http://127.0.0.1:8000 --survey survey.json --responses 400

``--setup`` runs ``manage.py bench_survey_setup`` with the current environment (so the same
DATABASE_URL as the server) and saves its JSON to ``--survey`` if given. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESPONSE_URL = re.compile(r"/surveys/r/([0-9a-f-]{36})/page/1/")


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.timings: list[float] = []

    def _csrf(self) -> str:
        return next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "") or ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = None
        headers = {"Accept-Language": "bg"}
        if data is not None:
            pairs = [("csrfmiddlewaretoken", self._csrf())]
            for key, value in data.items():
                pairs.extend((key, item) for item in value) if isinstance(value, list) else pairs.append((key, value))
            body = urllib.parse.urlencode(pairs).encode()
            headers["Referer"] = self.base + path
        started = time.perf_counter()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 - http(s) checked
        with self.opener.open(request, timeout=60) as response:  # redirects are followed (POST → GET)
            response.read()
            self.timings.append(time.perf_counter() - started)
            return response.status, response.geturl()


def one_response(base: str, survey: dict) -> tuple[float, list[float]]:
    browser = Browser(base)
    started = time.perf_counter()
    start = f"/surveys/{survey['survey']}/"
    browser.request(start)
    status, url = browser.request(start, {"start": "1"})
    match = RESPONSE_URL.search(url)
    if status != 200 or match is None:
        raise RuntimeError(f"start failed: {status} {url}")
    response_id = match.group(1)
    for number, answers in enumerate(survey["pages"], start=1):
        status, url = browser.request(f"/surveys/r/{response_id}/page/{number}/", answers)
        if status != 200:
            raise RuntimeError(f"page {number} failed: {status}")
    status, url = browser.request(f"/surveys/r/{response_id}/review/", {})
    if not url.endswith("/done/"):
        raise RuntimeError(f"submit failed: {status} {url}")
    return time.perf_counter() - started, browser.timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url")
    parser.add_argument("--setup", action="store_true", help="create the survey with manage.py bench_survey_setup")
    parser.add_argument(
        "--survey", type=Path, help="JSON printed by bench_survey_setup (read, or written with --setup)"
    )
    parser.add_argument("--responses", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.base_url).scheme not in ("http", "https"):
        parser.error("the base URL must start with http:// or https://")
    if args.setup:
        output = subprocess.run(  # noqa: S603 - our own manage.py, no user input
            [sys.executable, str(ROOT / "manage.py"), "bench_survey_setup"], check=True, capture_output=True, text=True
        ).stdout
        survey = json.loads(output.strip().splitlines()[-1])
        if args.survey:
            args.survey.write_text(json.dumps(survey, ensure_ascii=False))
    elif args.survey:
        survey = json.loads(args.survey.read_text())
    else:
        parser.error("give --setup or --survey")
    print(f"survey {survey['survey']}: {args.responses} responses, concurrency {args.concurrency}")
    started = time.perf_counter()
    totals: list[float] = []
    requests: list[float] = []
    failures = 0
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        futures = [pool.submit(one_response, args.base_url, survey) for _ in range(args.responses)]
        for future in futures:
            try:
                total, timings = future.result()
            except Exception as error:  # count and report, keep measuring
                failures += 1
                if failures <= 3:
                    print(f"failure: {error}", file=sys.stderr)
                continue
            totals.append(total)
            requests.extend(timings)
    elapsed = time.perf_counter() - started
    if not totals:
        print("no response was submitted", file=sys.stderr)
        return 1
    print(f"submitted {len(totals)} responses in {elapsed:.1f} s ({failures} failed)")
    print(f"responses per second: {len(totals) / elapsed:.2f}")
    print(
        f"whole response: p50 {statistics.median(totals) * 1000:.0f} ms, p99 {percentile(totals, 0.99) * 1000:.0f} ms"
    )
    p50, p99 = statistics.median(requests) * 1000, percentile(requests, 0.99) * 1000
    print(f"single request: p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    return 0 if not failures else 2


if __name__ == "__main__":
    sys.exit(main())
