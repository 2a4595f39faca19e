"""Background work of the core app. Tasks take ids, never objects."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from glas.core.models import Notification, NotificationPreference, WorkerHeartbeat

logger = logging.getLogger(__name__)


def _release_claim(notification_ids: list[int], claimed_at: dt.datetime) -> None:
    """The e-mail could not be sent: make the notifications unsent again, so a later run sends them."""
    Notification.objects.filter(pk__in=notification_ids, emailed_at=claimed_at).update(emailed_at=None)


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification, once. Returns False when there was nothing to send.

    When sending fails the task fails and the notification stays unsent, so running the task
    again sends it (once)."""
    claimed_at = timezone.now()
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True, email_skipped=False).update(
            emailed_at=claimed_at
        )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    user = notification.recipient
    try:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {"notifications": [notification], "user": user, "site_url": settings.GLAS_SITE_URL}
            body = render_to_string("core/email/notification.txt", context)
            # A subject is one line: a title with a line break would make send_mail refuse it.
            subject = " ".join(f"[Glas] {notification.title}".split())
            send_mail(subject, body, None, [user.email])
    except Exception:
        _release_claim([notification_id], claimed_at)
        raise
    return True


@task()
def send_daily_digests() -> int:
    """One e-mail per person with the day's notifications of the kinds they want in a digest."""
    from glas.accounts.models import User
    from glas.core.services import email_mode_for

    since = timezone.now() - dt.timedelta(days=7)
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, email_skipped=False, created_at__gte=since)
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.recipient_id, []).append(notification)
    sent = 0
    users = User.objects.filter(pk__in=by_user).prefetch_related("notification_preferences")
    for user in users:
        items = [n for n in by_user[user.pk] if email_mode_for(user, n.kind) == NotificationPreference.Mode.DIGEST]
        if not items:
            continue
        ids = [n.pk for n in items]
        claimed_at = timezone.now()
        claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=claimed_at)
        if not claimed:
            continue
        try:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                context = {"notifications": items, "user": user, "site_url": settings.GLAS_SITE_URL}
                body = render_to_string("core/email/notification.txt", context)
                subject = render_to_string("core/email/digest_subject.txt", {"count": len(items)}).strip()
                send_mail(subject, body, None, [user.email])
        except Exception:
            # This person's digest goes with the next run; the others are sent now.
            logger.exception("The daily digest for person %s could not be sent.", user.pk)
            _release_claim(ids, claimed_at)
            continue
        sent += 1
    return sent


@task()
def worker_heartbeat() -> None:
    """Proves that a worker is taking tasks off the queue (read by /readyz)."""
    WorkerHeartbeat.objects.update_or_create(name="default", defaults={"beat_at": timezone.now()})


# Read notifications are kept this long, then deleted.
NOTIFICATION_RETENTION = dt.timedelta(days=365)
# Finished background-task records (django-tasks-db) are kept this long.
TASK_RESULT_RETENTION = dt.timedelta(days=30)


@task()
def apply_retention() -> dict[str, int]:
    """Delete what Glas no longer needs: old read notifications and old finished task records."""
    from django.apps import apps

    now = timezone.now()
    deleted_notifications, _details = Notification.objects.filter(
        read_at__isnull=False, read_at__lt=now - NOTIFICATION_RETENTION
    ).delete()
    deleted_tasks = 0
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        deleted_tasks, _details = (
            DBTaskResult.objects.finished().filter(finished_at__lt=now - TASK_RESULT_RETENTION).delete()
        )
    return {"notifications": deleted_notifications, "task_results": deleted_tasks}
