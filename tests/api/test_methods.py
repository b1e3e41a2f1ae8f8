"""Methods: a path answers only the methods its schema offers (405 otherwise), writes take a token and never a
login session (401, also with a valid CSRF token), and nothing is changed by any refused request."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from civicplan.agencies.models import Agency, Membership
from civicplan.audit.models import AuditEvent
from civicplan.plans.models import AgencyPlan, Goal, Indicator, IndicatorOwner, PlanCycle, Target
from civicplan.tracking.models import Measurement, Report
from tests.api.conftest import OPERATIONS, RESOURCES, SCHEMA_PATHS, WRITES, client_as, fill, resource_of

METHODS = ["get", "post", "put", "patch", "delete"]
MODELS = [PlanCycle, AgencyPlan, Goal, Indicator, IndicatorOwner, Target, Agency, Membership, Report, Measurement,
          AuditEvent]
PAYLOAD = {"name": "改掉", "status": "published", "raw": "999件", "version": 1, "reason": "改", "entries": [],
           "agency": 1, "year": 110, "seq": 1, "light": "green"}


def snapshot() -> dict:
    """Every row of every model the API shows (and the audit log), field by field."""
    return {model.__name__: [model_to_dict(obj) for obj in model.objects.order_by("pk")] for model in MODELS}


def concrete(path: str, plans) -> list[str]:
    """The path with its {id} filled by draft and published objects (for tracking paths: a report or a row)."""
    if "{id}" not in path:
        return [path]
    resource = resource_of(path)
    if resource in RESOURCES:
        _, attribute = RESOURCES[resource]
        return [fill(path, getattr(bundle, attribute)) for bundle in (plans.draft, plans.published)]
    report = plans.report
    obj = {"reports": report, "measurements": report.measurements.first(), "periods": report.period}[resource]
    return [fill(path, obj)]


@pytest.fixture
def tracked(plans):
    from civicplan.tracking import services
    from civicplan.tracking.periods import periods_for

    plans.report = services.open_report(plans.world.civil, periods_for(plans.world.city, 110)[0])
    return plans


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_methods_a_path_does_not_offer_get_405_and_change_nothing(tracked, method):
    before = snapshot()
    failures = []
    paths = [p for p in SCHEMA_PATHS if method not in OPERATIONS[p]]
    for user_name in ("anonymous", "civil_editor", "admin"):
        # CSRF checks on, like a browser without a token: the answer is still 405, not 403.
        client = client_as(tracked.users[user_name], csrf=True)
        for path in paths:
            for url in concrete(path, tracked):
                response = getattr(client, method)(url, PAYLOAD, content_type="application/json")
                if response.status_code != 405:
                    failures.append(f"{method.upper()} {url} as {user_name}: {response.status_code}")
                elif "Allow" not in response.headers:
                    failures.append(f"{method.upper()} {url} as {user_name}: no Allow header")
    assert not failures, "\n".join(failures)
    assert snapshot() == before


@pytest.mark.parametrize("csrf", [False, True], ids=["session", "session+csrf"])
def test_a_login_session_cannot_write(tracked, csrf):
    """Writes are token-only: a session (even of the 研考 admin, even with a valid CSRF token) gets 401."""
    before = snapshot()
    client = client_as(tracked.world.admin, csrf=csrf)
    headers = {}
    if csrf:
        client.get(reverse("home"))  # the CSRF cookie, as a browser would have it
        headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    for method, path in WRITES:
        for url in concrete(path, tracked):
            response = getattr(client, method)(url, PAYLOAD, content_type="application/json", **headers)
            assert response.status_code == 401, (method, url, response.content)
            assert response["WWW-Authenticate"].startswith("Bearer")
            assert "bearer" in response.json()["detail"].lower()  # "Authorization: Bearer", in either language
    assert snapshot() == before


def test_the_docs_views_are_read_only(db):
    client = client_as(None, csrf=True)
    for name in ("api:openapi-json", "api:openapi-view"):
        assert client.get(reverse(name)).status_code == 200
        assert client.post(reverse(name)).status_code == 405


def test_every_schema_path_offers_get_or_writes_with_a_token():
    from civicplan.api.urls import api

    paths = api.get_openapi_schema(path_params={})["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            expected = [{"ApiToken": []}, {}] if method == "get" else [{"ApiToken": []}]
            assert operation["security"] == expected, (method, path)
