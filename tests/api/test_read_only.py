"""The API is read-only: every write method on every path gets 405 and changes nothing."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from civicplan.agencies.models import Agency, Membership
from civicplan.audit.models import AuditEvent
from civicplan.plans.models import AgencyPlan, Goal, Indicator, IndicatorOwner, PlanCycle, Target
from tests.api.conftest import RESOURCES, SCHEMA_PATHS, client_as, fill, resource_of

WRITE_METHODS = ["post", "put", "patch", "delete"]
MODELS = [PlanCycle, AgencyPlan, Goal, Indicator, IndicatorOwner, Target, Agency, Membership, AuditEvent]


def snapshot() -> dict:
    """Every row of every model the API shows (and the audit log), field by field."""
    return {model.__name__: [model_to_dict(obj) for obj in model.objects.order_by("pk")] for model in MODELS}


def concrete_paths(plans) -> list[str]:
    """The schema's paths (details filled with draft and published objects) and the docs pages."""
    paths = []
    for path in SCHEMA_PATHS:
        if "{id}" not in path:
            paths.append(path)
            continue
        _, attribute = RESOURCES[resource_of(path)]
        paths += [fill(path, getattr(bundle, attribute)) for bundle in (plans.draft, plans.published)]
    return paths + [reverse("api:openapi-json"), reverse("api:openapi-view")]


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_writes_get_405_and_change_nothing(plans, method):
    before = snapshot()
    counts = {name: len(rows) for name, rows in before.items()}
    assert counts["PlanCycle"] == 5 and counts["Target"] == 16
    payload = {"name": "改掉", "status": "published", "raw": "999件", "version": 1}
    failures = []
    for user_name, user in plans.users.items():
        # CSRF checks on, like a browser without a token: the answer is still 405, not 403.
        client = client_as(user, csrf=True)
        for path in concrete_paths(plans):
            response = getattr(client, method)(path, payload, content_type="application/json")
            if response.status_code != 405:
                failures.append(f"{method.upper()} {path} as {user_name}: {response.status_code}")
            elif "GET" not in response.headers.get("Allow", ""):
                failures.append(f"{method.upper()} {path} as {user_name}: Allow={response.headers['Allow']}")
    assert not failures, "\n".join(failures)
    assert snapshot() == before


def test_every_schema_path_offers_get_only():
    from civicplan.api.urls import api

    paths = api.get_openapi_schema(path_params={})["paths"]
    assert {path: sorted(operations) for path, operations in paths.items()} == dict.fromkeys(paths, ["get"])
