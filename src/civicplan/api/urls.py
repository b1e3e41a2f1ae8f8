"""The REST API (django-ninja), mounted at /api/ by civicplan.urls.

OpenAPI at /api/openapi.json, Swagger UI at /api/docs. The docs page works offline (intranet, no
internet): `ninja` is in INSTALLED_APPS, so ninja renders its template that loads swagger-ui from
the wheel's static files (served by WhiteNoise) instead of a CDN, and the Swagger "online validator"
badge — an image fetched from validator.swagger.io — is switched off.

* Reads (GET): anonymous users see what is public; a login session or a personal API token identifies a
  member (civicplan.api.auth).
* Writes (PATCH, PUT, POST): a personal API token only — a session cookie gets 401, so no browser can be
  made to write (no CSRF exposure); token requests need no CSRF token. Methods a path does not offer get 405.
* Errors: civicplan.api.errors (every one declared in the schema).
The two docs views answer GET and HEAD only (require_safe) — also without a CSRF token, so 405, not 403.
Any other path under /api/ (e.g. /api/cycles/abc: not an id) is a JSON 404, like every other error here,
not the site's HTML page.
"""

from django.http import JsonResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from civicplan.api import endpoints, errors, tracking


def read_only(view):
    """GET and HEAD only (405 otherwise). CSRF-exempt: nothing here accepts a write."""
    return csrf_exempt(require_safe(view))


@csrf_exempt
def not_found(request):
    return JsonResponse({"detail": "Not Found"}, status=404)


class CivicplanAPI(NinjaAPI):
    def _get_urls(self):
        return [*super()._get_urls(), re_path(r"", not_found, name="not-found")]


api = CivicplanAPI(
    title="civicplan API",
    version="1",
    description=(
        "Plan cycles, agency chapters, goals, indicators (KPI) and targets; reporting periods, reports and "
        "measurements (列管). Public without login: published and superseded plans, and the results of approved "
        "reports. Members of a city (a login session or a personal API token) also see its drafts and all its "
        "reports. Writes need a personal API token (`Authorization: Bearer cp_…`, from /account/tokens/) and "
        "carry exactly its owner's permissions on the web pages: indicators, targets, the measurements of a "
        "report and its review steps. Lists are paged (`page`, `page_size`) and filter by city, cycle, agency "
        "and ROC year; ids are stable database keys."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=read_only,
)
errors.install(api)

for prefix, router in {**endpoints.ROUTERS, **tracking.ROUTERS}.items():
    api.add_router(prefix, router)
