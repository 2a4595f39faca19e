"""Schemathesis generates requests from the OpenAPI schema, valid and invalid: never a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from glas.api.services import api_token_create

MAX_EXAMPLES = 15
PATHS = {f"/api/v1{path}" for path in ["/settlements", "/municipality", "/rules", "/rules/{key}", "/me"]}


@pytest.fixture
def schema(transactional_db, kresna, legal_rules):
    """The schema as the running application serves it (the data is committed, so the WSGI
    requests see it)."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def calls_without_server_error(operation, mode: GenerationMode, headers: dict[str, str]) -> int:
    """Run generated requests for one operation; the number of requests made."""
    calls = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(headers=headers)
        calls.append(response.status_code)
        assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.status_code}"

    try:
        check()
    except Unsatisfiable:
        # No invalid value exists (an operation without parameters, or any string is valid).
        assert mode == GenerationMode.NEGATIVE
    return len(calls)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_gets_a_server_error(schema, citizen, mode):
    _token, secret = api_token_create(actor=citizen, name="schemathesis")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= PATHS

    calls = {}
    for operation in operations:
        calls[operation.path] = calls_without_server_error(operation, mode, headers={})
        if operation.path == "/api/v1/me":
            calls[operation.path] += calls_without_server_error(
                operation, mode, headers={"Authorization": f"Bearer {secret}"}
            )

    if mode == GenerationMode.POSITIVE:
        assert all(calls[path] for path in PATHS), calls
    else:
        assert calls["/api/v1/rules"], "invalid dates must have been tried"
