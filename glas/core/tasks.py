"""Background work of the core app. Tasks take ids, never objects."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from glas.core.models import Notification, NotificationPreference, WorkerHeartbeat


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification, once. Returns False when there was nothing to send."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True, email_skipped=False).update(
            emailed_at=timezone.now()
        )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    user = notification.recipient
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"notifications": [notification], "user": user, "site_url": settings.GLAS_SITE_URL}
        body = render_to_string("core/email/notification.txt", context)
        send_mail(f"[Glas] {notification.title}", body, None, [user.email])
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
        claimed = Notification.objects.filter(pk__in=[n.pk for n in items], emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {"notifications": items, "user": user, "site_url": settings.GLAS_SITE_URL}
            body = render_to_string("core/email/notification.txt", context)
            subject = render_to_string("core/email/digest_subject.txt", {"count": len(items)}).strip()
            send_mail(subject, body, None, [user.email])
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

        deleted_tasks, _details = DBTaskResult.objects.finished().filter(
            finished_at__lt=now - TASK_RESULT_RETENTION
        ).delete()
    return {"notifications": deleted_notifications, "task_results": deleted_tasks}
