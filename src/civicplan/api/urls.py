"""The read-only REST API (django-ninja), mounted at /api/ by civicplan.urls.

OpenAPI at /api/openapi.json, Swagger UI at /api/docs. The docs page works offline (intranet, no
internet): `ninja` is in INSTALLED_APPS, so ninja renders its template that loads swagger-ui from
the wheel's static files (served by WhiteNoise) instead of a CDN, and the Swagger "online validator"
badge — an image fetched from validator.swagger.io — is switched off.

Only GET exists: POST/PUT/PATCH/DELETE on an endpoint get ninja's 405, and the two docs views
refuse them too (require_safe) — also without a CSRF token, so the answer is 405, not 403.
Anonymous users are allowed (public data); a Django login session identifies members.
"""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from civicplan.api.endpoints import ROUTERS


def read_only(view):
    """GET and HEAD only (405 otherwise). CSRF-exempt: nothing here accepts a write."""
    return csrf_exempt(require_safe(view))


api = NinjaAPI(
    title="civicplan API",
    version="1",
    description=(
        "Read-only access to plan cycles, agency chapters, goals, indicators (KPI) and targets. "
        "Public: published and superseded cycles. Members of a city (logged in) also see its drafts."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=read_only,
)

for prefix, router in ROUTERS.items():
    api.add_router(prefix, router)
