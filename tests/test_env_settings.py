"""Settings come from the environment and fail loudly; production settings pass check --deploy."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from glas.env import email_settings_from_url, env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent
SMTP = "django.core.mail.backends.smtp.EmailBackend"


# --- The helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), (" Yes ", True), ("on", True),
                                               ("0", False), ("false", False), ("NO", False), ("off", False),
                                               ("", False)])  # fmt: skip
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("GLAS_TEST_FLAG", raw)

    assert env_bool("GLAS_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("raw", ["2", "maybe", "ja", "tru", "1.0", "да"])
def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("GLAS_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="GLAS_TEST_FLAG must be a boolean"):
        env_bool("GLAS_TEST_FLAG", False)


def test_env_bool_and_env_int_use_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("GLAS_TEST_VALUE", raising=False)

    assert env_bool("GLAS_TEST_VALUE", True) is True
    assert env_int("GLAS_TEST_VALUE", 300) == 300


@pytest.mark.parametrize(("raw", "expected"), [("42", 42), ("-1", -1), (" 7 ", 7), ("", 300)])
def test_env_int_reads_integers(monkeypatch, raw, expected):
    monkeypatch.setenv("GLAS_TEST_NUMBER", raw)

    assert env_int("GLAS_TEST_NUMBER", 300) == expected


@pytest.mark.parametrize("raw", ["ten", "1.5", "1e3", "0x10", "300s", "5 minutes"])
def test_env_int_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("GLAS_TEST_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured, match="GLAS_TEST_NUMBER must be an integer"):
        env_int("GLAS_TEST_NUMBER", 300)


def test_env_str_refuses_a_missing_required_value(monkeypatch):
    monkeypatch.setenv("GLAS_TEST_TEXT", "")

    with pytest.raises(ImproperlyConfigured, match="GLAS_TEST_TEXT must be set"):
        env_str("GLAS_TEST_TEXT", required=True)
    assert env_str("GLAS_TEST_TEXT", "fallback") == "fallback"


def test_env_list_splits_on_commas_and_can_be_required(monkeypatch):
    monkeypatch.setenv("GLAS_TEST_LIST", " glas.example.org, ,www.glas.example.org ")
    assert env_list("GLAS_TEST_LIST", []) == ["glas.example.org", "www.glas.example.org"]

    monkeypatch.setenv("GLAS_TEST_LIST", " , ")
    with pytest.raises(ImproperlyConfigured, match="GLAS_TEST_LIST must be set"):
        env_list("GLAS_TEST_LIST", [], required=True)


def test_console_and_locmem_email_urls():
    assert email_settings_from_url("console://") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    assert email_settings_from_url("locmem://") == {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}


def test_smtp_email_url_with_starttls_and_an_encoded_password():
    assert email_settings_from_url("smtp://glas%40kresna.bg:p%40ss%2Fword@mail.kresna.bg:587?tls=1") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.kresna.bg",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "glas@kresna.bg",
        "EMAIL_HOST_PASSWORD": "p@ss/word",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }


def test_smtp_email_url_defaults_to_port_25_without_tls():
    settings = email_settings_from_url("smtp://localhost")

    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"], settings["EMAIL_USE_SSL"]) == (25, False, False)
    assert (settings["EMAIL_HOST_USER"], settings["EMAIL_HOST_PASSWORD"]) == ("", "")


def test_smtps_email_url_uses_implicit_tls_on_port_465():
    settings = email_settings_from_url("smtps://user:secret@mail.kresna.bg")

    assert settings["EMAIL_BACKEND"] == SMTP
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_SSL"], settings["EMAIL_USE_TLS"]) == (465, True, False)


@pytest.mark.parametrize("url", ["sendmail://localhost", "http://mail.kresna.bg", "mail.kresna.bg:25", "", "smtp"])
def test_unknown_email_url_schemes_are_refused(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme must be one of"):
        email_settings_from_url(url)


@pytest.mark.parametrize("url", ["smtp://", "smtps://:465", "smtp://user:pass@"])
def test_smtp_email_url_without_a_host_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="must name the SMTP host"):
        email_settings_from_url(url)


@pytest.mark.parametrize("url", ["smtp://mail.kresna.bg:port", "smtps://mail.kresna.bg:99999"])
def test_smtp_email_url_with_a_malformed_port_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL has a port"):
        email_settings_from_url(url)


# --- The settings module in a fresh process -----------------------------------------------


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """What a production host sets, and nothing from the environment running the tests."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "glas.settings",
        "GLAS_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'glas.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "EGN_HASH_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "glas.kresna.bg",
        "CSRF_TRUSTED_ORIGINS": "https://glas.kresna.bg",
        "EMAIL_URL": "smtp://glas:secret@mail.kresna.bg:587?tls=1",
        "GLAS_SITE_URL": "https://glas.kresna.bg",
    }


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(["-c", "import glas.settings"], env)


def test_production_settings_import_cleanly(production_env):
    result = import_settings(production_env)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "EGN_HASH_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "GLAS_SITE_URL"])
def test_production_settings_refuse_to_start_without_a_required_variable(production_env, missing):
    del production_env[missing]

    result = import_settings(production_env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean"),
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS must be an integer"),
        ("EMAIL_URL", "sendmail://localhost", "EMAIL_URL scheme must be one of"),
        ("DATABASE_URL", "mysql://glas@localhost/glas", "DATABASE_URL must point to SQLite or PostgreSQL"),
        ("TASK_BACKEND", "celery", "TASK_BACKEND must be db, rq or immediate"),
        ("TASK_BACKEND", "rq", "TASK_BACKEND=rq needs REDIS_URL"),
    ],
)
def test_a_malformed_variable_stops_start_up_with_its_name(production_env, name, value, message):
    production_env[name] = value

    result = import_settings(production_env)

    assert result.returncode != 0
    assert message in result.stderr


def test_without_debug_the_development_defaults_are_never_used(production_env):
    production_env["DEBUG"] = "0"
    del production_env["SECRET_KEY"]

    result = import_settings(production_env)

    assert "dev-only" not in result.stdout + result.stderr
    assert result.returncode != 0


def test_check_deploy_is_clean_with_production_settings(production_env):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("value", "options"),
    [
        (None, "{'server_side_binding': True, 'prepare_threshold': 2}"),
        ("0", "{'server_side_binding': True, 'prepare_threshold': 0}"),
        ("off", "{}"),
        ("OFF", "{}"),
    ],
)
def test_postgresql_prepares_repeated_statements_unless_turned_off(production_env, value, options):
    """For a pooler that cannot keep prepared statements, DATABASE_PREPARE_THRESHOLD=off goes back
    to parameters bound on the client (Django's default)."""
    production_env["DATABASE_URL"] = "postgres://glas@localhost:5432/glas"
    if value is not None:
        production_env["DATABASE_PREPARE_THRESHOLD"] = value
    code = "import glas.settings as s; print(s.DATABASES['default'].get('OPTIONS', {}))"
    result = run(["-c", code], production_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == options


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_a_malformed_prepare_threshold_stops_start_up(production_env, value):
    production_env["DATABASE_URL"] = "postgres://glas@localhost:5432/glas"
    production_env["DATABASE_PREPARE_THRESHOLD"] = value
    result = import_settings(production_env)
    assert result.returncode != 0 and "DATABASE_PREPARE_THRESHOLD must be" in result.stderr
