"""Notifications: in Glas always; by e-mail at once, in a daily digest or never, after commit."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_tasks import TaskResultStatus

from glas.accounts.services import profile_update
from glas.core.models import Notification, NotificationPreference
from glas.core.services import notification_mark_read, notification_preference_set, notify
from glas.core.tasks import send_daily_digests, send_notification_email

FOOTER_BG = "Получавате това писмо, защото имате профил в „Глас“."
FOOTER_EN = "You receive this because you have an account on Glas."


def prefer(user, mode: str) -> None:
    notification_preference_set(actor=user, kind="*", mode=mode)


def run_digests() -> object:
    result = send_daily_digests.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    return result.return_value


@pytest.fixture
def neighbour(make_user):
    return make_user("neighbour@example.org", display_name="Иван")


# --- notify and e-mail --------------------------------------------------------------------


def test_notify_creates_an_in_app_notification_for_each_recipient(citizen, neighbour):
    created = notify(recipients=[citizen, neighbour], kind="test.event", title="Ново обсъждане", url="/rules/")

    assert [(n.recipient, n.title, n.url, n.read_at) for n in created] == [
        (citizen, "Ново обсъждане", "/rules/", None),
        (neighbour, "Ново обсъждане", "/rules/", None),
    ]


def test_with_the_immediate_preference_the_email_goes_after_commit(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[citizen], kind="test.event", title="Ново обсъждане", body="Прочетете проекта.", url="/x/")
        assert mail.outbox == []

    [message] = mail.outbox
    assert message.to == ["citizen@example.org"]
    assert "Ново обсъждане" in message.subject
    assert "Прочетете проекта." in message.body
    assert "http://testserver/x/" in message.body
    assert Notification.objects.get(recipient=citizen).emailed_at is not None


def test_the_email_is_in_the_recipients_language(citizen, neighbour, django_capture_on_commit_callbacks):
    profile_update(actor=neighbour, full_name="", display_name="Иван", language="en")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[citizen, neighbour], kind="test.event", title="Ново обсъждане")

    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert FOOTER_BG in by_recipient["citizen@example.org"]
    assert FOOTER_EN not in by_recipient["citizen@example.org"]
    assert FOOTER_EN in by_recipient["neighbour@example.org"]


def test_with_the_off_preference_no_email_is_ever_sent(citizen, django_capture_on_commit_callbacks):
    prefer(citizen, NotificationPreference.Mode.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify(recipients=[citizen], kind="test.event", title="Ново обсъждане")
    run_digests()

    assert mail.outbox == []
    assert notification.email_skipped
    assert Notification.objects.filter(recipient=citizen).count() == 1


def test_a_preference_for_one_kind_overrides_the_general_one(citizen, django_capture_on_commit_callbacks):
    prefer(citizen, NotificationPreference.Mode.OFF)
    notification_preference_set(actor=citizen, kind="test.urgent", mode=NotificationPreference.Mode.IMMEDIATE)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[citizen], kind="test.event", title="Маловажно")
        notify(recipients=[citizen], kind="test.urgent", title="Спешно")

    assert [message.subject for message in mail.outbox] == ["[Glas] Спешно"]


def test_with_the_digest_preference_nothing_is_sent_until_the_digest_runs(
    citizen, neighbour, django_capture_on_commit_callbacks
):
    prefer(citizen, NotificationPreference.Mode.DIGEST)
    prefer(neighbour, NotificationPreference.Mode.DIGEST)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[citizen, neighbour], kind="test.event", title="Първо")
        notify(recipients=[citizen], kind="test.event", title="Второ")
    assert mail.outbox == []

    assert run_digests() == 2

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["citizen@example.org", "neighbour@example.org"]
    assert "Първо" in by_recipient["citizen@example.org"].body
    assert "Второ" in by_recipient["citizen@example.org"].body
    assert "Второ" not in by_recipient["neighbour@example.org"].body
    assert "2" in by_recipient["citizen@example.org"].subject


def test_the_digest_never_sends_the_same_notification_twice(citizen):
    prefer(citizen, NotificationPreference.Mode.DIGEST)
    notify(recipients=[citizen], kind="test.event", title="Първо")

    run_digests()
    assert run_digests() == 0

    assert len(mail.outbox) == 1


def test_the_digest_leaves_out_those_who_want_immediate_mail(citizen, neighbour, django_capture_on_commit_callbacks):
    prefer(citizen, NotificationPreference.Mode.DIGEST)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[citizen, neighbour], kind="test.event", title="Първо")
    assert [message.to for message in mail.outbox] == [["neighbour@example.org"]]

    run_digests()

    assert sorted(message.to[0] for message in mail.outbox) == ["citizen@example.org", "neighbour@example.org"]


def test_a_rolled_back_transaction_sends_nothing(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[citizen], kind="test.event", title="Ново обсъждане")
        raise RuntimeError("a later write failed")

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_with_the_worker_down_the_notification_is_kept_and_emailed_once_later(
    citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        [notification] = notify(recipients=[citizen], kind="test.event", title="Ново обсъждане")

    # One e-mail enqueued after the commit (with Redis, the unread count's cache entry is also
    # forgotten on commit: not a task).
    enqueues = [callback for callback in pending if getattr(callback, "func", None) == send_notification_email.enqueue]
    assert len(enqueues) == 1
    assert mail.outbox == []
    assert Notification.objects.get(pk=notification.pk).emailed_at is None

    first = send_notification_email.enqueue(notification.pk)
    second = send_notification_email.enqueue(notification.pk)

    assert (first.return_value, second.return_value) == (True, False)
    assert len(mail.outbox) == 1


@pytest.fixture
def mail_server_down(monkeypatch):
    """The mail server refuses every message until ``.recover()`` is called."""

    class Outage:
        def __init__(self) -> None:
            self.original = locmem.EmailBackend.send_messages
            monkeypatch.setattr(locmem.EmailBackend, "send_messages", self.refuse)

        def refuse(self, backend, messages):
            raise smtplib.SMTPServerDisconnected("the mail server is down")

        def recover(self) -> None:
            monkeypatch.setattr(locmem.EmailBackend, "send_messages", self.original)

    return Outage()


def test_a_failed_email_is_sent_once_when_the_task_runs_again(citizen, mail_server_down):
    [notification] = notify(recipients=[citizen], kind="test.event", title="Ново обсъждане")

    failed = send_notification_email.enqueue(notification.pk)
    assert failed.status == TaskResultStatus.FAILED
    assert Notification.objects.get(pk=notification.pk).emailed_at is None

    mail_server_down.recover()
    assert send_notification_email.enqueue(notification.pk).return_value is True
    assert send_notification_email.enqueue(notification.pk).return_value is False
    assert len(mail.outbox) == 1


def test_a_failed_digest_for_one_person_does_not_stop_the_others(citizen, neighbour, mail_server_down, monkeypatch):
    prefer(citizen, NotificationPreference.Mode.DIGEST)
    prefer(neighbour, NotificationPreference.Mode.DIGEST)
    notify(recipients=[citizen, neighbour], kind="test.event", title="Първо")
    refuse = mail_server_down.refuse

    def refuse_only_citizen(backend, messages):
        if messages[0].to == ["citizen@example.org"]:
            return refuse(backend, messages)
        return mail_server_down.original(backend, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse_only_citizen)

    assert run_digests() == 1
    assert [message.to for message in mail.outbox] == [["neighbour@example.org"]]

    mail_server_down.recover()
    assert run_digests() == 1
    assert sorted(message.to[0] for message in mail.outbox) == ["citizen@example.org", "neighbour@example.org"]


def test_a_title_with_line_breaks_still_makes_a_one_line_subject(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[citizen], kind="test.event", title="Проект на наредба\nза обществения ред\r\n")

    [message] = mail.outbox
    assert message.subject == "[Glas] Проект на наредба за обществения ред"


def test_inactive_people_are_not_notified(citizen, neighbour):
    neighbour.is_active = False
    neighbour.save(update_fields=["is_active"])

    created = notify(recipients=[citizen, neighbour], kind="test.event", title="Ново обсъждане")

    assert [n.recipient for n in created] == [citizen]


# --- Pages --------------------------------------------------------------------------------


def test_the_notifications_page_lists_only_ones_own(citizen, neighbour, client_for):
    notify(recipients=[citizen], kind="test.event", title="За Мария")
    notify(recipients=[neighbour], kind="test.event", title="За Иван")

    page = client_for(citizen).get(reverse("core:notifications")).content.decode()

    assert "За Мария" in page
    assert "За Иван" not in page


def test_the_notifications_page_needs_an_account(client):
    response = client.get(reverse("core:notifications"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_script_in_a_notification_is_shown_as_text(citizen, client_for):
    notify(recipients=[citizen], kind="test.event", title="<script>alert(1)</script>", body="<b>x</b>")

    page = client_for(citizen).get(reverse("core:notifications")).content.decode()

    assert "<script>alert(1)</script>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_mark_all_read_without_htmx_redirects_to_the_list(citizen, neighbour, client_for):
    notify(recipients=[citizen, neighbour], kind="test.event", title="Първо")
    notify(recipients=[citizen], kind="test.event", title="Второ")

    response = client_for(citizen).post(reverse("core:notifications_mark_read"))

    assert response.status_code == 302
    assert response.url == reverse("core:notifications")
    assert not Notification.objects.filter(recipient=citizen, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=neighbour).read_at is None


def test_mark_all_read_with_htmx_returns_the_partial(citizen, client_for):
    notify(recipients=[citizen], kind="test.event", title="Първо")

    response = client_for(citizen).post(
        reverse("core:notifications_mark_read"), headers={"HX-Request": "true", "Accept-Language": "en"}
    )

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "All notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=citizen, read_at__isnull=True).exists()


def test_mark_all_read_refuses_get(citizen, client_for):
    notify(recipients=[citizen], kind="test.event", title="Първо")

    response = client_for(citizen).get(reverse("core:notifications_mark_read"))

    assert response.status_code == 405
    assert Notification.objects.filter(recipient=citizen, read_at__isnull=True).exists()


def test_the_notifications_page_needs_a_bounded_number_of_queries(citizen, client_for, django_assert_max_num_queries):
    for number in range(60):
        notify(recipients=[citizen], kind="test.event", title=f"Известие {number}")
    client = client_for(citizen)

    with django_assert_max_num_queries(10):
        assert client.get(reverse("core:notifications"), {"page": "2"}).status_code == 200


# --- The preference form ------------------------------------------------------------------


def test_the_preference_form_shows_and_saves_the_choice(citizen, client_for):
    client = client_for(citizen)
    url = reverse("accounts:notification_settings")

    assert client.get(url).status_code == 200
    response = client.post(url, {"mode": "digest"})

    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=citizen, kind="*").mode == "digest"
    assert client.get(url).context["form"].initial == {"mode": "digest"}


@pytest.mark.parametrize("mode", ["", "weekly", "x" * 5000, "off'; --"])
def test_the_preference_form_refuses_unknown_choices(citizen, client_for, mode):
    response = client_for(citizen).post(reverse("accounts:notification_settings"), {"mode": mode})

    assert response.status_code == 400
    assert "mode" in response.context["form"].errors
    assert not NotificationPreference.objects.filter(user=citizen).exists()


def test_old_read_notifications_are_removed_by_the_retention_job(citizen, time_machine):
    from glas.core.tasks import apply_retention

    time_machine.move_to(dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC))
    [read] = notify(recipients=[citizen], kind="test.event", title="Старо, прочетено")
    notify(recipients=[citizen], kind="test.event", title="Старо, непрочетено")
    notification_mark_read(actor=citizen, notification_ids=[read.pk])
    time_machine.move_to(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC))

    result = apply_retention.enqueue()

    assert result.return_value["notifications"] == 1
    assert list(Notification.objects.values_list("title", flat=True)) == ["Старо, непрочетено"]
