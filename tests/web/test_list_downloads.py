"""Staff lists as open data: the chapter's KPI table, the lights overview and freshness (?format=…)."""

import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse
from odfdo import Document as Odt
from openpyxl import load_workbook

from civicplan.tracking.demo import simulate

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(world):
    simulate(actor=world.admin, today=date(2026, 11, 25))
    return world


def _rows(response, fmt):
    data = response.content
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    if fmt == "json":
        parsed = json.loads(data)
        return [parsed["columns"], *parsed["rows"]] if isinstance(parsed, dict) else parsed
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        return [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    table = Odt(io.BytesIO(data)).body.get_tables()[0]
    return [[("" if v is None else str(v)) for v in row] for row in table.get_values()]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "ods"])
def test_the_chapter_kpi_table_downloads_with_every_kpi_and_its_targets(tracked, client_for, fmt):
    world = tracked
    url = reverse("chapter", args=[world.civil_chapter.pk])
    page = client_for(world.civil_editor).get(url).content.decode()
    assert "?format=xlsx" in page
    response = client_for(world.civil_editor).get(url, {"format": fmt})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = json.dumps(_rows(response, fmt), ensure_ascii=False)
    assert world.civil_kpi.name in text
    for target in world.civil_kpi.targets.all():
        assert target.raw in text


def test_overview_and_freshness_download_what_the_pages_show(tracked, client_for):
    world = tracked
    client = client_for(world.reviewer)
    overview = client.get(reverse("tracking-overview", args=[world.cycle.pk, 110]), {"format": "csv"})
    rows = _rows(overview, "csv")
    assert rows[0][:2] == ["分組", "名稱"] and {"民政處", "財政處"} <= {r[1] for r in rows[1:]}
    freshness = client.get(reverse("freshness", args=[world.city.pk]), {"format": "xlsx", "year": "110"})
    rows = _rows(freshness, "xlsx")
    assert "機關" in rows[0] and {"民政處", "財政處"} <= {r[0] for r in rows[1:]}
    assert client.get(reverse("freshness", args=[world.city.pk]), {"format": "pdf"}).status_code == 400
    assert client_for(world.outsider).get(
        reverse("tracking-overview", args=[world.cycle.pk, 110]), {"format": "csv"}).status_code == 403
