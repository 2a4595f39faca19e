"""The admin keeps the reference data (with audit entries) and only shows sessions and decisions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from glas.core.models import AuditEntry
from glas.council.models import Councillor


@pytest.fixture
def superuser(make_user):
    user = make_user("super@example.org", totp=True)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.mark.parametrize(
    "model",
    [
        "term",
        "politicalgroup",
        "standingcommittee",
        "councillor",
        "official",
        "administrationunit",
        "session",
        "decision",
    ],
)
def test_every_council_admin_list_opens(client_for, superuser, decision, model):
    assert client_for(superuser).get(reverse(f"admin:council_{model}_changelist")).status_code == 200


def test_decisions_are_shown_not_edited_in_the_admin(client_for, superuser, decision):
    client = client_for(superuser)
    assert client.get(reverse("admin:council_decision_add")).status_code == 403
    assert client.get(reverse("admin:council_decision_change", args=[decision.pk])).status_code == 200


def test_adding_a_councillor_in_the_admin_is_audited_and_the_photo_checked(client_for, superuser, term):
    client = client_for(superuser)
    data = {
        "term": term.pk,
        "name": "Нов Съветник",
        "active_from": "2024-01-10",
        "photo": SimpleUploadedFile("x.jpg", b"not an image"),
    }
    refused = client.post(reverse("admin:council_councillor_add"), data)
    assert refused.status_code == 200 and not Councillor.objects.filter(name="Нов Съветник").exists()

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "JPEG")
    data["photo"] = SimpleUploadedFile("x.jpg", buffer.getvalue())
    assert client.post(reverse("admin:council_councillor_add"), data).status_code == 302
    councillor = Councillor.objects.get(name="Нов Съветник")
    entry = AuditEntry.objects.get(action="council.councillor.created_in_admin")
    assert entry.actor == superuser and entry.object_id == str(councillor.pk)
    photo = client.get(reverse("council:councillor_photo", args=[councillor.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
