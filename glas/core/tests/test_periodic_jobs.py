"""Periodic jobs are enqueued once per interval; /readyz sees the worker through its heartbeat."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from glas.core.jobs import enqueue_due_jobs, registered_jobs
from glas.core.models import PeriodicJobRun, WorkerHeartbeat
from glas.core.tasks import worker_heartbeat

START = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def names_due_within(interval: dt.timedelta) -> list[str]:
    return [job.name for job in registered_jobs() if job.every <= interval]


def test_the_core_jobs_are_registered():
    names = {job.name for job in registered_jobs()}

    assert {"core.worker_heartbeat", "core.daily_digests", "core.retention"} <= names


def test_every_job_is_enqueued_on_the_first_run_after_commit(db, frozen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        names = enqueue_due_jobs()

    assert names == [job.name for job in registered_jobs()]
    assert len(callbacks) == len(names)
    assert set(PeriodicJobRun.objects.values_list("name", flat=True)) == set(names)


def test_a_job_is_enqueued_once_per_interval(db, frozen, django_capture_on_commit_callbacks):
    enqueue_due_jobs()

    frozen.shift(dt.timedelta(seconds=30))
    with django_capture_on_commit_callbacks() as callbacks:
        assert enqueue_due_jobs() == []
    assert callbacks == []

    frozen.shift(dt.timedelta(seconds=31))
    due = enqueue_due_jobs()
    assert due == names_due_within(dt.timedelta(seconds=61))
    assert "core.worker_heartbeat" in due and "core.daily_digests" not in due
    assert enqueue_due_jobs() == []

    frozen.shift(dt.timedelta(days=1))
    assert enqueue_due_jobs() == [job.name for job in registered_jobs()]


def test_a_restart_neither_skips_nor_repeats_a_daily_job(db, frozen):
    enqueue_due_jobs()
    frozen.shift(dt.timedelta(hours=23))

    assert "core.daily_digests" not in enqueue_due_jobs()
    frozen.shift(dt.timedelta(hours=1))
    assert "core.daily_digests" in enqueue_due_jobs()
    assert PeriodicJobRun.objects.get(name="core.daily_digests").last_enqueued_at == START + dt.timedelta(days=1)


def test_the_run_periodic_command_enqueues_and_the_worker_runs_the_jobs(db, frozen, django_capture_on_commit_callbacks):
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", stdout=out)

    assert out.getvalue().startswith("Enqueued: ")
    assert "core.worker_heartbeat" in out.getvalue()
    assert WorkerHeartbeat.objects.get(name="default").beat_at == START


def test_the_run_periodic_command_says_nothing_when_nothing_is_due(db, frozen):
    call_command("run_periodic", stdout=io.StringIO())
    out = io.StringIO()

    call_command("run_periodic", stdout=out)

    assert out.getvalue() == ""


# --- Health checks ------------------------------------------------------------------------


def test_healthz_answers_while_the_process_lives(db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_readyz_is_ready_after_a_worker_heartbeat(db, frozen, client):
    worker_heartbeat.enqueue()

    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "worker": "ok"}}


def test_readyz_without_a_heartbeat_reports_the_worker_missing(db, client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "cache": "ok", "worker": "error"}}


def test_readyz_with_a_stale_heartbeat_reports_the_worker_missing(db, frozen, client, settings):
    worker_heartbeat.enqueue()

    frozen.shift(dt.timedelta(seconds=settings.GLAS_WORKER_HEARTBEAT_MAX_AGE))
    assert client.get(reverse("readyz")).status_code == 200
    frozen.shift(dt.timedelta(seconds=1))
    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "error"


def test_health_checks_refuse_post(db, client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
