"""Fixtures for the API tests: the world plus cycles in every visibility situation, the schema's paths, and
clients that authenticate with a login session or a personal API token."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from civicplan.agencies.models import Agency, Membership, Role
from civicplan.api.urls import api
from civicplan.plans.models import AgencyPlan, CycleStatus, Goal, Indicator, PlanCycle, Target
from civicplan.tokens.services import do_create_token
from civicplan.tracking.models import Measurement, Period, Report
from tests.factories import (
    AgencyFactory,
    ChapterFactory,
    CityFactory,
    CycleFactory,
    UserFactory,
    make_indicator,
)

# Resource name in a path (/api/<resource>/{id}) → model and the attribute of a Bundle holding one of them.
RESOURCES = {
    "cycles": (PlanCycle, "cycle"),
    "agencies": (Agency, "agency"),
    "chapters": (AgencyPlan, "chapter"),
    "goals": (Goal, "goal"),
    "indicators": (Indicator, "indicator"),
    "targets": (Target, "target"),
}

# Tracking (列管) resources: who sees them follows the tracking rules and the portal (tests/api/test_tracking_reads.py).
TRACKING_RESOURCES = {"periods": Period, "reports": Report, "measurements": Measurement}

# The API's own paths and operations, read from its OpenAPI schema (not a hand list).
OPERATIONS = {path: sorted(ops) for path, ops in api.get_openapi_schema(path_params={})["paths"].items()}
SCHEMA_PATHS = sorted(OPERATIONS)
GET_PATHS = [p for p in SCHEMA_PATHS if "get" in OPERATIONS[p]]
LIST_PATHS = [p for p in GET_PATHS if "{" not in p]
DETAIL_PATHS = [p for p in GET_PATHS if "{" in p]
WRITES = [(method, path) for path in SCHEMA_PATHS for method in OPERATIONS[path] if method != "get"]


def resource_of(path: str) -> str:
    """"/api/indicators/{id}" → "indicators" (a path for an unknown resource fails loudly)."""
    name = path.removeprefix("/api/").split("/")[0]
    assert name in RESOURCES or name in TRACKING_RESOURCES, f"{path}: add {name!r} to tests/api/conftest.py"
    return name


def is_plan_path(path: str) -> bool:
    return resource_of(path) in RESOURCES


PLAN_LIST_PATHS = [p for p in LIST_PATHS if is_plan_path(p)]
PLAN_DETAIL_PATHS = [p for p in DETAIL_PATHS if is_plan_path(p)]


def fill(path: str, obj) -> str:
    return path.replace("{id}", str(obj.pk))


@dataclass
class Bundle:
    """A cycle with one chapter, goal, indicator (KPI) and target."""

    cycle: PlanCycle
    chapter: AgencyPlan
    goal: Goal
    indicator: Indicator
    target: Target

    @property
    def agency(self) -> Agency:
        return self.chapter.agency


def make_bundle(city, agency, start_year, status, name) -> Bundle:
    cycle = CycleFactory(city=city, start_year=start_year, end_year=start_year + 3, status=status)
    chapter = ChapterFactory(cycle=cycle, agency=agency)
    indicator = make_indicator(chapter, name, {start_year: "10件", start_year + 1: "20件"})
    return Bundle(cycle, chapter, indicator.goal, indicator, indicator.targets.get(year=start_year))


@pytest.fixture
def plans(world):
    """world (Keelung, draft cycle 109–112) plus: Keelung cycles that are approved (not yet public),
    published and superseded; Taipei with a draft cycle and a Taipei editor (no role in Keelung)."""
    taipei = CityFactory(name="臺北市")
    taipei_agency = AgencyFactory(city=taipei, name="研究發展考核委員會")
    taipei_editor = UserFactory(username="taipei_editor")
    Membership.objects.create(user=taipei_editor, city=taipei, agency=taipei_agency, role=Role.EDITOR)
    ns = SimpleNamespace(
        world=world,
        draft=Bundle(
            world.cycle, world.civil_chapter, world.civil_kpi.goal, world.civil_kpi, world.civil_target
        ),
        approved=make_bundle(world.city, world.civil, 113, CycleStatus.APPROVED, "核定未公布指標"),
        published=make_bundle(world.city, world.civil, 105, CycleStatus.PUBLISHED, "已公布指標"),
        superseded=make_bundle(world.city, world.finance, 101, CycleStatus.SUPERSEDED, "已被取代指標"),
        taipei_draft=make_bundle(taipei, taipei_agency, 109, CycleStatus.DRAFT, "臺北草案指標"),
        taipei_editor=taipei_editor,
        users={
            "anonymous": None,
            "outsider": world.outsider,
            "civil_editor": world.civil_editor,
            "finance_editor": world.finance_editor,
            "reviewer": world.reviewer,
            "admin": world.admin,
            "taipei_editor": taipei_editor,
        },
    )
    # Who may see each bundle (the rule plans.view, spelled out by hand).
    everybody = set(ns.users)
    keelung = {"civil_editor", "finance_editor", "reviewer", "admin"}
    ns.seen_by = {
        "draft": keelung,
        "approved": keelung,
        "published": everybody,
        "superseded": everybody,
        "taipei_draft": {"taipei_editor"},
    }
    keelung_members = [world.civil_editor, world.finance_editor, world.reviewer, world.admin]
    assert all(user.memberships.filter(city=world.city).exists() for user in keelung_members)
    assert not world.outsider.memberships.exists()
    return ns


def client_as(user, *, csrf: bool = False) -> Client:
    """A test client logged in (Django session) as user; None → anonymous."""
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def token_for(user, name: str = "test") -> str:
    """A new personal API token of `user` (the secret, as shown once)."""
    _token, secret = do_create_token(user, name=name, actor=user)
    return secret


def api_client(user=None, *, token: str | None = None) -> Client:
    """A client sending `Authorization: Bearer <token>` (a new token of `user`, or `token`); no session.
    CSRF checks are on, as for a browser: token requests must not need a CSRF token."""
    client = Client(enforce_csrf_checks=True)
    secret = token if token is not None else (token_for(user) if user is not None else None)
    if secret is not None:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def fresh_user(user):
    """The user as a request would see it (no cached memberships); None → AnonymousUser."""
    return AnonymousUser() if user is None else type(user).objects.get(pk=user.pk)


def get_all(client, path: str, **params) -> list[dict]:
    """Every item of a paged list, page after page."""
    items, page = [], 1
    while True:
        response = client.get(path, {**params, "page": page, "page_size": 200})
        assert response.status_code == 200, (path, response.content)
        body = response.json()
        items += body["items"]
        if len(items) >= body["count"] or not body["items"]:
            assert len(items) == body["count"]
            return items
        page += 1
