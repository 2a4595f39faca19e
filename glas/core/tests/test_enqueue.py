"""Tasks run only for changes that commit: with the database backend the task's row is part of
the transaction; with other backends it is enqueued after the commit."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from glas.core.enqueue import enqueue_on_commit
from glas.core.tasks import send_notification_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_with_the_database_backend_the_task_row_commits_with_the_change(database_backend):
    with transaction.atomic():
        enqueue_on_commit(send_notification_email, 41)
        assert DBTaskResult.objects.filter(args_kwargs__args=[41]).exists()  # inside, not after
    assert DBTaskResult.objects.filter(args_kwargs__args=[41]).count() == 1


def test_with_the_database_backend_a_rolled_back_change_leaves_no_task(database_backend):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(send_notification_email, 42)
        raise RuntimeError
    assert not DBTaskResult.objects.filter(args_kwargs__args=[42]).exists()


def test_other_backends_enqueue_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_on_commit(send_notification_email, 43)
    assert len(callbacks) == 1
