"""Enqueue a task so that it runs only if the current transaction commits.

With the database task backend (the default) the task's row is written inside the transaction:
it commits or rolls back with the change that asked for it, so no task is lost between a commit
and an enqueue, and no second commit is paid for it. With any other backend (RQ on Redis, the
immediate backend of the tests) the task is enqueued once the transaction has committed, so a
worker never runs it before the data it reads is visible.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from glas.core.batch import Batch


def enqueue_on_commit(task: Any, *args: Any) -> None:
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(partial(task.enqueue, *args))


def enqueue_in_batch(batch: Batch, task: Any, *args: Any) -> None:
    """``enqueue_on_commit`` for a service that writes with a ``glas.core.batch.Batch``: with the
    database backend the task's row (as that backend writes it) is one more statement of the
    batch; with any other backend the task is enqueued once the batch has committed."""
    from django_tasks.signals import task_enqueued
    from django_tasks.utils import normalize_json
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        batch.after(partial(task.enqueue, *args))
        return
    backend.validate_task(task)
    row: Any = DBTaskResult(
        args_kwargs=normalize_json({"args": args, "kwargs": {}}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,
        backend_name=backend.alias,
    )
    batch.insert(row)
    batch.after(lambda: task_enqueued.send(type(backend), task_result=row.task_result))
