"""The integrity pages through HTTP: the reporter leaves no trace, follows up by receipt, and
only integrity officers, with their unlocked key, read reports."""

from __future__ import annotations

import logging
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from glas.integrity import services
from glas.integrity.models import Report
from glas.integrity.tests.conftest import unlocked_client

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
BROWSER = "SecretBrowser/9.9 (Reporter's laptop)"
RECEIPT = re.compile(r"(\d{4} ){4}\d{4}")


def file_tip(client, **extra):
    page = client.get("/integrity/report/tip/")
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    data = {"context": "corruption", "description": "Подкуп при обществена поръчка", "token": token, **extra}
    return client.post(
        "/integrity/report/tip/", data, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER, HTTP_X_FORWARDED_FOR=ADDRESS
    )


def test_the_start_page_explains_both_paths_and_where_a_formal_signal_goes(client):
    page = client.get("/integrity/").content.decode()
    assert "Anonymous tip" in page and "Confidential signal" in page
    assert "Commission for Personal Data Protection" in page


def test_a_tip_gets_a_receipt_shown_once_and_nothing_about_the_device_is_stored_or_logged(client, officer, caplog):
    caplog.set_level(logging.DEBUG)
    response = file_tip(client)
    assert response.status_code == 200
    assert RECEIPT.search(response.content.decode())
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values(*text_fields) if text_fields else []:
            flat = str(row)
            assert ADDRESS not in flat and "SecretBrowser" not in flat, model
    assert ADDRESS not in caplog.text and "SecretBrowser" not in caplog.text


def test_reporter_pages_send_strict_headers(client, officer):
    for response in (client.get("/integrity/"), file_tip(client), client.get("/integrity/follow/")):
        assert response["Cache-Control"] == "no-store, max-age=0"
        assert response["Referrer-Policy"] == "same-origin"  # see middleware.REFERRER_POLICY
        assert "default-src 'none'" in response["Content-Security-Policy"]


def test_the_reporter_follows_up_with_the_receipt_in_a_new_browser(client, client_for, officer, integrity_officer):
    from glas.integrity.tests.conftest import key_of

    receipt = RECEIPT.search(file_tip(client).content.decode()).group(0)
    report = Report.objects.get()
    services.officer_message_send(
        actor=integrity_officer, report=report, private_key=key_of(officer), body="Кога се случи?"
    )
    other = client_for(None)
    assert other.get("/integrity/follow/report/").status_code == 302
    response = other.post("/integrity/follow/", {"receipt": receipt})
    assert response.status_code == 302
    page = other.get("/integrity/follow/report/").content.decode()
    assert "Кога се случи?" in page and "Подкуп при обществена поръчка" in page
    assert other.post("/integrity/follow/report/", {"body": "Миналия вторник"}).status_code == 302
    assert report.messages.count() == 2


def test_a_wrong_receipt_is_refused_and_guessing_is_throttled(client, officer):
    file_tip(client)
    guesser = client.__class__()
    codes = [f"{n:020d}" for n in range(6)]
    statuses = [guesser.post("/integrity/follow/", {"receipt": code}).status_code for code in codes]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429


def test_a_script_disguised_as_a_pdf_is_refused(client, officer):
    script = SimpleUploadedFile("evidence.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = file_tip(client, attachments=[script])
    assert response.status_code == 400 and "cannot be attached" in response.content.decode()
    pdf_with_js = SimpleUploadedFile(
        "a.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (x) >> >>\n%%EOF"
    )
    response = file_tip(client, attachments=[pdf_with_js])
    assert response.status_code == 400 and "contains scripts" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("persona", ["advisor", "council_secretary", "admin_user", "researcher", "citizen"])
def test_nobody_but_integrity_officers_opens_the_officer_pages(request, client_for, officer, persona):
    report = services.report_submit(kind="tip", context="ethics", description="x").report
    client = client_for(request.getfixturevalue(persona))
    for path in (
        "/integrity/officers/reports/",
        f"/integrity/officers/reports/{report.public_id}/",
        "/integrity/officers/register/",
    ):
        assert client.get(path).status_code == 403


def test_the_officer_unlocks_the_key_reads_acknowledges_and_answers(client_for, officer):
    report = services.report_submit(kind="tip", context="ethics", description="Нарушение на етичния кодекс").report
    locked = client_for(officer.user)
    url = f"/integrity/officers/reports/{report.public_id}/"
    assert locked.get(url).status_code == 302  # to the key page
    assert locked.post("/integrity/officers/keys/", {"passphrase": "wrong passphrase!"}).status_code == 400
    client = unlocked_client(client_for, officer)
    assert "Нарушение на етичния кодекс" in client.get(url).content.decode()
    assert client.post(url + "acknowledge/").status_code == 302
    assert client.post(url + "message/", {"body": "Благодарим", "feedback": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_on and report.feedback_on and report.status == "in_review"
    assert client.post(url + "acknowledge/").status_code == 400


def test_one_officer_cannot_disclose_an_identity_alone(client_for, officer, second_officer):
    report = services.report_submit(
        kind="signal", context="corruption", description="x", identity={"name": "Мария Тайнова", "contact": "m@x.bg"}
    ).report
    client = unlocked_client(client_for, officer)
    url = f"/integrity/officers/reports/{report.public_id}/"
    client.post(url + "identity/", {"reason": "Нужна е"})
    refused = client.post(url + "identity/reveal/")
    assert refused.status_code == 403 and "Мария Тайнова" not in refused.content.decode()
    access = report.identity_requests.get()
    assert client.post(url + f"identity/{access.pk}/approve/").status_code == 400
    second = unlocked_client(client_for, second_officer, "correct horse battery staple!")
    assert second.post(url + f"identity/{access.pk}/approve/").status_code == 302
    assert "Мария Тайнова" in client.post(url + "identity/reveal/").content.decode()


def test_an_attachment_is_served_decrypted_and_without_metadata(client, client_for, officer):
    from io import BytesIO

    from PIL import Image

    image = Image.new("RGB", (20, 20), "red")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N"}  # GPS
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    assert b"CameraMaker" in buffer.getvalue()
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    assert file_tip(client, attachments=[upload]).status_code == 200
    attachment = Report.objects.get().attachments.get()
    client = unlocked_client(client_for, officer)
    stored = attachment.stored_name[len("integrity/") : -len(".bin")]
    response = client.get(f"/integrity/officers/reports/{attachment.report.public_id}/files/{stored}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content.startswith(b"\xff\xd8\xff") and b"CameraMaker" not in response.content
    assert Image.open(BytesIO(response.content)).getexif() == {}


def test_a_double_submission_files_one_report(client, officer):
    page = client.get("/integrity/report/tip/")
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    data = {"context": "ethics", "description": "x", "token": token}
    assert client.post("/integrity/report/tip/", data).status_code == 200
    assert client.post("/integrity/report/tip/", data).status_code == 409
    assert Report.objects.count() == 1


def test_the_register_and_statistics_hold_no_content(client_for, officer):
    services.report_submit(kind="tip", context="property", description="Тайно съдържание")
    client = client_for(officer.user)
    register = client.get("/integrity/officers/register/")
    assert register.status_code == 200 and "Тайно" not in register.content.decode()
    csv = client.get("/integrity/officers/register/?format=csv")
    assert csv.content.decode("utf-8-sig").count("\n") == 2
    stats = client.get("/integrity/officers/statistics/?year=abc")
    assert stats.status_code == 200
