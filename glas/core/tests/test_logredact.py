"""Secret links are cut out of Django's log records and gunicorn's access log."""

from __future__ import annotations

import datetime as dt
import logging
import runpy
import uuid
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from glas.core.logredact import REDACTED, GunicornLogger, RedactSecretsFilter, redact_secrets

SECRET = "s3cr3t-T0ken_abcdefghijklmnop:1xY"
PUBLIC_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("bureau:confirm", [SECRET]),
        ("bureau:follow", ["БЮ-2026-000001", SECRET]),
        ("bureau:appointment", [SECRET]),
        ("bureau:appointment_ics", [SECRET]),
        ("consultations:confirm", [SECRET]),
        ("initiatives:committee_confirm", [SECRET]),
        ("surveys:respond_invitation", [PUBLIC_ID, SECRET]),
        ("account_confirm_email", [SECRET]),
        ("account_reset_password_from_key", ["1a", SECRET]),
    ],
)
def test_the_secret_of_every_secret_link_is_cut_out(name: str, args: list[object]) -> None:
    path = reverse(name, args=args)
    for written in (path, quote(path), f"/bg{path}", f'"POST {quote(path)}?next=/ HTTP/1.1" 403'):
        redacted = redact_secrets(written)
        assert SECRET not in redacted and REDACTED in redacted, written


@pytest.mark.parametrize(
    "path",
    [
        f"/initiatives/{PUBLIC_ID}/",
        f"/surveys/{PUBLIC_ID}/",
        "/bureau/cases/БЮ-2026-000001/reply/",
        "/bureau/follow/",
        "/consultations/",
    ],
)
def test_addresses_without_a_secret_are_left_as_they_are(path: str) -> None:
    assert redact_secrets(path) == path


def test_django_log_records_are_redacted_by_the_console_handler() -> None:
    assert "redact_secrets" in settings.LOGGING["handlers"]["console"]["filters"]
    handler = next(h for h in logging.getLogger("django.request").handlers if h.filters)
    path = reverse("bureau:follow", args=["БЮ-2026-000001", SECRET])
    record = logging.LogRecord(
        "django.security.csrf",
        logging.WARNING,
        __file__,
        1,
        "Forbidden (%s): %s",
        ("Origin checking failed", path),
        None,
    )
    assert handler.filter(record)
    assert SECRET not in handler.format(record)
    assert "Origin checking failed" in record.getMessage()


def test_the_filter_leaves_other_records_untouched() -> None:
    record = logging.LogRecord("glas", logging.INFO, __file__, 1, "%s cases", (3,), None)
    assert RedactSecretsFilter().filter(record)
    assert (record.msg, record.args) == ("%s cases", (3,))


def test_gunicorns_access_log_writes_the_request_line_without_the_secret() -> None:
    from gunicorn.config import Config

    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    assert config["logger_class"] == "glas.core.logredact.GunicornLogger"
    logger = GunicornLogger(Config())
    path = quote(reverse("surveys:respond_invitation", args=[PUBLIC_ID, SECRET]))
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path, "SERVER_PROTOCOL": "HTTP/1.1"}
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=12))
    line = config["access_log_format"] % atoms
    assert SECRET not in line and f"/i/{REDACTED}/" in line and line.endswith("200 512 0.012000s")
