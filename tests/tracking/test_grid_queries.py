"""The update grid of 40 KPIs costs as many queries as one of 4: it stays fast as an agency's plan grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicplan.tracking import services
from civicplan.tracking.periods import periods_for
from tests.factories import make_indicator

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_grid_queries_do_not_grow_with_the_number_of_kpis(world, client_for):
    period = periods_for(world.city, 110)[-1]
    client = client_for(world.civil_editor)
    url = reverse("report-grid", args=[world.civil.pk, period.pk])
    for n in range(3):
        make_indicator(world.civil_chapter, f"指標{n}", {110: f"{n + 1}0件"})
    services.open_report(world.civil, period)
    client.get(url)
    few = _queries(client, url)
    for n in range(3, 39):
        make_indicator(world.civil_chapter, f"指標{n}", {110: f"{n + 1}0件"})
    services.open_report(world.civil, period)
    client.get(url)
    many = _queries(client, url)
    assert many == few, f"{few} queries for 4 KPIs, {many} for 40"
