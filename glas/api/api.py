"""The REST API at /api/v1/ (OpenAPI schema at /api/v1/openapi.json)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from glas.api.auth import AUTHENTICATED
from glas.bureau.api import router as bureau_router
from glas.consultations.api import router as consultations_router
from glas.core.api import router as core_router
from glas.council.api import router as council_router
from glas.initiatives.api import router as initiatives_router
from glas.surveys.api import router as surveys_router

api = NinjaAPI(
    title="Glas API",
    version="1",
    description=(
        "Open data and participation API of Glas. Public data needs no authentication; "
        "personal endpoints accept the browser session or a personal token "
        "(`Authorization: Bearer glas_…`)."
    ),
    urls_namespace="api",
    # The interactive docs page would load third-party scripts; the schema itself is served.
    docs_url=None,
)
api.add_router("/", core_router)
api.add_router("/surveys/", surveys_router)
api.add_router("/council/", council_router)
api.add_router("/consultations/", consultations_router)
api.add_router("/bureau/", bureau_router)
api.add_router("/initiatives/", initiatives_router)


class MeOut(Schema):
    public_name: str
    language: str
    verification_level: int
    roles: list[str]


@api.get("/me", response=MeOut, auth=AUTHENTICATED, tags=["accounts"], summary="The authenticated person")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "public_name": user.public_name,  # type: ignore[union-attr]
        "language": user.language,  # type: ignore[union-attr]
        "verification_level": user.verification_level,  # type: ignore[union-attr]
        "roles": sorted(user.role_codes),  # type: ignore[union-attr]
    }
