"""Enqueue a task so that it runs only if the current transaction commits.

With the database task backend (the default) the task's row is written inside the transaction:
it commits or rolls back with the change that asked for it, so no task is lost between a commit
and an enqueue, and no second commit is paid for it. With any other backend (RQ on Redis, the
immediate backend of the tests) the task is enqueued once the transaction has committed, so a
worker never runs it before the data it reads is visible.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any) -> None:
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(partial(task.enqueue, *args))
