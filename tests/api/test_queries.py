"""A page of the lists costs a constant number of queries, whatever its length (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicplan.plans.models import IndicatorOwner, OwnerRole, Target
from tests.api.conftest import LIST_PATHS, client_as
from tests.factories import AgencyFactory, GoalFactory, IndicatorFactory

# session + user + memberships + count + page + owners (indicators); see civicplan.api.endpoints
MAX_QUERIES = 7


def add_indicators(world, n: int) -> None:
    """n indicators in 民政處's chapter, each with a lead and a co-owner and four targets."""
    goal = GoalFactory(chapter=world.civil_chapter)
    for _ in range(n):
        indicator = IndicatorFactory(goal=goal)
        IndicatorOwner.objects.create(indicator=indicator, agency=world.civil, role=OwnerRole.LEAD)
        IndicatorOwner.objects.create(indicator=indicator, agency=world.finance, role=OwnerRole.CO)
        Target.objects.bulk_create(Target(indicator=indicator, year=y, raw="1件") for y in range(109, 113))
    for number in range(n):
        AgencyFactory(city=world.city, name=f"所{number}")


def test_a_page_of_60_indicators_costs_a_few_queries(world, django_assert_max_num_queries):
    add_indicators(world, 60)
    client = client_as(world.admin)
    with django_assert_max_num_queries(MAX_QUERIES):
        body = client.get("/api/indicators", {"page_size": 200}).json()
    assert body["count"] == 62 and len(body["items"]) == 62
    owners = {item["id"]: len(item["owners"]) for item in body["items"]}
    assert owners.pop(world.civil_kpi.pk) == owners.pop(world.finance_kpi.pk) == 1
    assert set(owners.values()) == {2}


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": 200})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", LIST_PATHS)
def test_list_queries_do_not_grow_with_the_number_of_items(world, path):
    client = client_as(world.admin)
    add_indicators(world, 5)
    few = queries_for(client, path)
    add_indicators(world, 50)
    assert queries_for(client, path) == few <= MAX_QUERIES


def test_indicator_detail_costs_a_few_queries(world, django_assert_max_num_queries):
    add_indicators(world, 1)
    client = client_as(world.reviewer)
    with django_assert_max_num_queries(MAX_QUERIES):
        body = client.get(f"/api/indicators/{world.civil_kpi.pk}").json()
    assert len(body["targets"]) == 4 and len(body["owners"]) == 1


def test_a_token_costs_no_more_than_a_session(world, django_assert_max_num_queries):
    """token (with its user) + last use (at most once a minute) + memberships + count + page + owners."""
    from tests.api.conftest import api_client

    add_indicators(world, 30)
    client = api_client(world.admin)
    client.get("/api/cycles")  # the first use is recorded
    with django_assert_max_num_queries(MAX_QUERIES - 1):
        body = client.get("/api/indicators", {"page_size": 200}).json()
    assert body["count"] == 32


@pytest.mark.parametrize("path", ["/api/reports", "/api/measurements"])
def test_tracking_lists_cost_a_few_queries_too(world, path, django_assert_max_num_queries):
    from civicplan.tracking import services
    from civicplan.tracking.periods import periods_for

    add_indicators(world, 20)
    for period in periods_for(world.city, 110):
        services.open_report(world.civil, period)
    client = client_as(world.reviewer)
    with django_assert_max_num_queries(MAX_QUERIES):
        body = client.get(path, {"page_size": 200}).json()
    assert body["count"] == (6 if path == "/api/reports" else 6 * 21)
