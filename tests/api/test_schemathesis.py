"""Schemathesis against the API's own OpenAPI schema: every operation, read and write, with generated input.

The schema is loaded through WSGI (no server). Each operation runs as one test over a little world — Keelung's
draft plan, a published plan, Taipei's draft, reports of two agencies in every workflow state — and every
generated request is checked by schemathesis' checks: no 5xx, every status code, content type, header and body
as declared.

Generated ids are mostly huge numbers that hit nothing, and a write with a random `version` is always a 409; so
that the successful paths are exercised too, `steer` (driven by hypothesis like the rest) points most requests at
existing objects, with their current versions, and sends each as one of several callers: anonymous, a bad token,
or a token of an editor, a head, a reviewer or the 研考 admin. Requests it leaves alone keep whatever was generated.

One check is narrowed: `positive_data_acceptance` fails a schema-valid request that gets 422. The service's own
rules (the city's 評估體制 legend, a period profile rising to 100, a report complete before it is submitted, rows
that belong to the report, the number of periods a year) cannot all be written into a JSON schema; the API
marks their 422 items `"type": "rule"`. Such a 422 is accepted; any other 422 on schema-valid data — pydantic
refusing what the schema allows — still fails.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from civicplan.agencies.models import Agency
from civicplan.plans.models import AgencyPlan, Goal, Indicator, PlanCycle, Target
from civicplan.tracking.models import Measurement, Period, Report
from tests.api.conftest import token_for

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CALLERS = ["anonymous", "bad_token", "civil_editor", "civil_head", "reviewer", "admin"]
MODELS = {"cycles": PlanCycle, "agencies": Agency, "chapters": AgencyPlan, "goals": Goal, "indicators": Indicator,
          "targets": Target, "periods": Period, "reports": Report, "measurements": Measurement}
EXAMPLES = 30


@pytest.fixture
def wsgi_keeps_the_connection():
    """Django's WSGI handler closes the database connection after each request (request_finished); the test's
    transaction lives on that connection, so — as django.test.Client does — it is kept open during the test."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(plans, wsgi_keeps_the_connection):
    """The world with reports in every state, and the Authorization header of each caller."""
    from civicplan.tracking import services
    from civicplan.tracking.models import ReportStatus
    from civicplan.tracking.periods import periods_for

    world = plans.world
    periods = periods_for(world.city, 110)
    for period, status in zip(periods, [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.HEAD_APPROVED,
                                        ReportStatus.FIRST_REVIEWED, ReportStatus.APPROVED, ReportStatus.RETURNED]):
        for agency in (world.civil, world.finance):
            report = services.open_report(agency, period)
            Report.objects.filter(pk=report.pk).update(status=status)
    headers = {"anonymous": {}, "bad_token": {"Authorization": "Bearer cp_not-a-token"}}
    for name in CALLERS[2:]:
        headers[name] = {"Authorization": f"Bearer {token_for(getattr(world, name))}"}
    return headers


def positive(case, location: str | None = None) -> bool:
    """Whether the case (or one of its parts: "path", "query", "header", "body") was generated schema-valid."""
    meta = case.meta
    if meta is None:
        return True
    if location is None:
        return meta.generation.mode.is_positive
    component = next((info for where, info in meta.components.items() if where.value == location), None)
    return component is None or component.mode.is_positive


# For a write, who may make it and on which objects (so that some generated writes succeed).
STEPS = {"submit": ("civil_editor", ["draft", "returned"]), "head-approve": ("civil_head", ["submitted"]),
         "first-review": ("reviewer", ["head-approved"]), "final-review": ("reviewer", ["first-reviewed"]),
         "return": ("reviewer", ["head-approved", "first-reviewed"]), "reopen": ("admin", ["approved"]),
         "measurements": ("civil_editor", ["draft", "returned"])}


def _fitting(case, world):
    """(caller, candidates) for a write that the caller may make on those objects, or None."""
    path, last = case.operation.path, case.operation.path.rsplit("/", 1)[-1]
    if path.startswith("/api/reports/{id}/") and last in STEPS:
        caller, statuses = STEPS[last]
        return caller, Report.objects.filter(agency=world.civil, status__in=statuses)
    if path == "/api/measurements/{id}/light":
        return "reviewer", Measurement.objects.filter(report__status__in=["head-approved", "first-reviewed"])
    if path in ("/api/indicators/{id}", "/api/targets/{id}"):
        model = Indicator if "indicators" in path else Target
        via = "goal__chapter" if model is Indicator else "indicator__goal__chapter"
        return "civil_editor", model.objects.filter(**{via: world.civil_chapter})
    if path == "/api/reports":
        return "civil_editor", None
    return None


def steer(case, pick: int, caller: str, world) -> str:
    """Point a schema-valid request at an existing object (pick < 8 of 10) and give a write its current version(s);
    half of the steered writes go, as the caller who may make them, to objects they may be made on.
    Schema-violating requests are sent as generated: they must be refused as such. Returns the caller."""
    if pick >= 8 or not positive(case):
        return caller
    resource = case.operation.path.removeprefix("/api/").split("/")[0]
    model = MODELS[resource]
    fitting = _fitting(case, world) if case.method != "GET" and pick % 2 == 0 else None
    obj = None
    if isinstance(case.path_parameters, dict) and isinstance(case.path_parameters.get("id"), int):
        candidates = list(fitting[1].order_by("pk")) if fitting and fitting[1] is not None else []
        if candidates:
            caller = fitting[0]
            obj = candidates[pick % len(candidates)]
            obj = type(obj).objects.get(pk=obj.pk) if not isinstance(obj, model) else obj
        else:
            ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
            obj = model.objects.get(pk=ids[pick % len(ids)])
        case.path_parameters["id"] = obj.pk
    body = case.body if isinstance(case.body, dict) else None
    if body is None:
        return caller
    if case.operation.path == "/api/reports" and {"agency", "year", "seq"} <= set(body):
        body.update(agency=world.civil.pk, year=109 + pick % 4, seq=1 + pick % 6)
        if fitting:
            caller = fitting[0]
    current = fitting or resource == "measurements" or case.operation.path.endswith("/measurements") or pick % 4 == 1
    if obj is not None and isinstance(body.get("version"), int) and current:
        body["version"] = obj.version
    if isinstance(obj, Report) and isinstance(body.get("entries"), list):
        rows = list(obj.measurements.order_by("pk"))
        body["entries"] = [entry for entry in body["entries"] if isinstance(entry, dict)][:len(rows)]
        for entry, row in zip(body["entries"], rows):
            entry.update(id=row.pk, version=row.version)
    return caller


def positive_data_acceptance_except_rules(ctx, response, case):
    """positive_data_acceptance, except a 422 every item of which is a rule of the service ("type": "rule")."""
    if response.status_code == 422:
        items = response.json().get("detail")
        if items and all(item.get("type") == "rule" for item in items):
            return None
    return positive_data_acceptance(ctx, response, case)


@pytest.mark.django_db
@schema.parametrize()
@schema.given(caller=st.sampled_from(CALLERS), pick=st.integers(0, 9))
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_keeps_to_its_schema(case, caller, pick, callers, plans):
    caller = steer(case, pick, caller, plans.world)
    # A request generated without a valid Authorization header is sent without the caller's token.
    headers = callers[caller] if positive(case, "header") else {}
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance],
                           additional_checks=[positive_data_acceptance_except_rules])


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_keeps_to_its_schema_at_the_edges(case, callers):
    """The coverage phase (which `given` switches off above): boundary values, missing and malformed parameters
    and headers of every operation, sent as the 研考 admin unless the case is about the Authorization header."""
    headers = callers["admin"] if positive(case, "header") else {}
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance],
                           additional_checks=[positive_data_acceptance_except_rules])
