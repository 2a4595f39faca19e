"""Periodic jobs: what runs on a schedule (reminders, digests, retention, the heartbeat).

``manage.py run_periodic`` enqueues each job whose interval has passed; the task worker runs
it. The time a job was last enqueued is stored, so a restart neither skips nor repeats a job.
Later modules add their jobs with ``register``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from glas.core.models import PeriodicJobRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Any  # a django_tasks Task taking no arguments


_registry: dict[str, PeriodicJob] = {}


def register(name: str, every: dt.timedelta, task: Any) -> None:
    _registry[name] = PeriodicJob(name=name, every=every, task=task)


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def enqueue_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose interval has passed since it was last enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in registered_jobs():
        with transaction.atomic():
            run, created = PeriodicJobRun.objects.select_for_update().get_or_create(
                name=job.name, defaults={"last_enqueued_at": now}
            )
            if not created and run.last_enqueued_at + job.every > now:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            transaction.on_commit(job.task.enqueue)
        enqueued.append(job.name)
    return enqueued


def _register_core_jobs() -> None:
    from glas.core.tasks import apply_retention, send_daily_digests, worker_heartbeat

    register("core.worker_heartbeat", dt.timedelta(minutes=1), worker_heartbeat)
    register("core.daily_digests", dt.timedelta(days=1), send_daily_digests)
    register("core.retention", dt.timedelta(days=1), apply_retention)


_register_core_jobs()
