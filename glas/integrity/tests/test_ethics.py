"""The ethics code of the municipality's employees is published with a way to report a breach."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from glas.core.exceptions import DomainError
from glas.integrity import services
from glas.integrity.models import EthicsCode

pytestmark = pytest.mark.django_db


def test_the_published_code_and_the_link_to_report_a_breach_are_public(client, council_secretary):
    services.ethics_code_publish(
        actor=council_secretary, title="Етичен кодекс", adopted_by="Заповед № 1", text="Чл. 1."
    )
    page = client.get("/integrity/ethics/").content.decode()
    assert "Етичен кодекс" in page and "Чл. 1." in page and 'href="/integrity/"' in page


def test_a_new_version_replaces_the_old_which_stays_listed(client, council_secretary):
    services.ethics_code_publish(actor=council_secretary, title="Стар кодекс", adopted_by="Заповед № 1", text="А")
    services.ethics_code_publish(actor=council_secretary, title="Нов кодекс", adopted_by="Заповед № 2", text="Б")
    page = client.get("/integrity/ethics/").content.decode()
    assert page.index("Нов кодекс") < page.index("Стар кодекс")


def test_bad_input_is_refused(council_secretary, citizen):
    with pytest.raises(DomainError, match="text of the code"):
        services.ethics_code_publish(actor=council_secretary, title="К", adopted_by="З")
    with pytest.raises(DomainError):
        services.ethics_code_publish(
            actor=council_secretary, title="К", adopted_by="З", document=SimpleUploadedFile("c.pdf", b"<html>")
        )
    with pytest.raises(DomainError, match="You may not do this"):
        services.ethics_code_publish(actor=citizen, title="К", adopted_by="З", text="Т")
    assert not EthicsCode.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("citizen", 403), ("council_secretary", 200)])
def test_who_publishes(request, client_for, persona, status):
    assert client_for(request.getfixturevalue(persona)).get("/integrity/ethics/publish/").status_code == status
