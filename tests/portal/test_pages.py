"""The public portal: published plans only, approved results only, read-only, a fixed number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicplan.plans import services as plan_services
from civicplan.plans.models import CycleStatus, Indicator, PlanCycle
from civicplan.tracking.models import Measurement, Report, ReportStatus
from civicplan.tracking.periods import periods_for
from tests.factories import ChapterFactory, CycleFactory, make_indicator
from tests.portal.conftest import publish, report

pytestmark = pytest.mark.django_db


def _urls(world):
    return {
        "index": reverse("portal:index"),
        "cycle": reverse("portal:cycle", args=[world.cycle.pk]),
        "chapter": reverse("portal:chapter", args=[world.civil_chapter.pk]),
        "indicator": reverse("portal:indicator", args=[world.civil_kpi.pk]),
    }


def test_a_published_cycle_is_visible_to_anyone(published):
    client = Client()
    urls = _urls(published)
    index = client.get(urls["index"]).content.decode()
    assert "基隆市" in index and urls["cycle"] in index
    cycle = client.get(urls["cycle"]).content.decode()
    assert "民政處" in cycle and "財政處" in cycle and urls["chapter"] in cycle
    chapter = client.get(urls["chapter"]).content.decode()
    assert "里鄰建設服務案件數" in chapter and "350件" in chapter and "380件" in chapter and urls["indicator"] in chapter
    page = client.get(urls["indicator"])
    assert page.status_code == 200 and "里鄰建設服務案件數" in page.content.decode()
    assert 'lang="zh-Hant-TW"' in page.content.decode()


@pytest.mark.parametrize("status", [CycleStatus.DRAFT, CycleStatus.IN_REVIEW, CycleStatus.APPROVED])
def test_an_unpublished_cycle_is_not_found(world, status, client_for):
    publish(world.cycle, status)
    for name, url in _urls(world).items():
        if name == "index":
            assert reverse("portal:cycle", args=[world.cycle.pk]) not in Client().get(url).content.decode()
            continue
        assert Client().get(url).status_code == 404, url
        # Not even for a member of the city: the portal is the public's view.
        assert client_for(world.admin).get(url).status_code == 404, url


def test_a_superseded_cycle_stays_visible(world):
    publish(world.cycle, CycleStatus.SUPERSEDED)
    assert Client().get(reverse("portal:chapter", args=[world.civil_chapter.pk])).status_code == 200


def test_only_values_of_approved_reports_are_shown(published):
    client = Client()
    html = client.get(reverse("portal:indicator", args=[published.civil_kpi.pk])).content.decode()
    assert "61件" in html and "已公開的執行情形" in html and "101.7%" in html
    for secret in ("7件", "尚未核定的執行情形", "內部落後原因", "內部對策"):
        assert secret not in html
    assert "/tracking/evidence/" not in html
    chapter = client.get(reverse("portal:chapter", args=[published.civil_chapter.pk])).content.decode()
    assert "light-green" in chapter and "light-red" not in chapter, "the latest light is the approved one"
    cycle = client.get(reverse("portal:cycle", args=[published.cycle.pk]))
    tally = {t.name: dict(t.counts) for t in cycle.context["chapters"]}
    assert tally == {"民政處": {"green": 1, "yellow": 0, "red": 0, "white": 0},
                     "財政處": {"green": 0, "yellow": 0, "red": 0, "white": 1}}


def test_delay_reasons_of_an_approved_report_are_public(published):
    period = periods_for(published.city, 110)[2]
    report(published.civil, period, ReportStatus.APPROVED, actual_raw="80件", light="yellow",
           progress_note="辦理中", delay_reason="颱風停工", countermeasure="加派人力")
    html = Client().get(reverse("portal:indicator", args=[published.civil_kpi.pk])).content.decode()
    assert "颱風停工" in html and "加派人力" in html


def test_target_changes_show_reason_and_agency_but_no_person(world):
    target = world.fresh(world.civil_target)
    plan_services.do_update_target(target, changes={"raw": "365件"}, expected_version=target.version,
                                   reason="依去年實績上修", actor=world.civil_editor)
    target = world.fresh(world.civil_target)
    plan_services.do_update_target(target, changes={"raw": "366件"}, expected_version=target.version,
                                   reason="研考建議", actor=world.admin)
    publish(world.cycle)
    response = Client().get(reverse("portal:indicator", args=[world.civil_kpi.pk]))
    changes = response.context["changes"]
    assert [(c.year, c.old, c.new, c.reason, c.by) for c in changes] == [
        (110, "365件", "366件", "研考建議", "研考"), (110, "360件", "365件", "依去年實績上修", "民政處")]
    html = response.content.decode()
    assert "依去年實績上修" in html and "civil_editor" not in html and "yankao_admin" not in html


@pytest.mark.parametrize("name", ["index", "cycle", "chapter", "indicator"])
def test_no_post_anywhere(published, name):
    client = Client()
    url = _urls(published)[name]
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url).status_code == 405, (method, url)
    assert client.head(url).status_code == 200


def test_unknown_format_is_a_bad_request(published):
    assert Client().get(reverse("portal:index") + "?format=pdf").status_code == 400


def test_no_staff_links_for_the_public(published):
    html = Client().get(reverse("portal:chapter", args=[published.civil_chapter.pk])).content.decode()
    for staff in ("/edit/", "/history/", "/tracking/", "/imports/", "/admin/", "/accounts/"):
        assert staff not in html, staff


@pytest.fixture
def big(world):
    """A published cycle of 64 KPIs in two chapters, with approved reports for the six periods of 109 and 110."""
    target = world.fresh(world.civil_target)
    plan_services.do_update_target(target, changes={"raw": "361件"}, expected_version=1, reason="修正",
                                   actor=world.civil_editor)
    for n in range(62):
        chapter = world.civil_chapter if n % 2 else world.finance_chapter
        make_indicator(chapter, f"大量指標{n}", {y: f"{n + 10}件" for y in range(109, 113)})
    kpis = {a.pk: list(Indicator.objects.filter(ownerships__agency=a)) for a in (world.civil, world.finance)}
    for year in (109, 110):
        for period in periods_for(world.city, year):
            for agency in (world.civil, world.finance):
                made = Report.objects.create(agency=agency, period=period, status=ReportStatus.APPROVED)
                Measurement.objects.bulk_create(
                    Measurement(report=made, indicator=i, actual_raw="5件", light="green", achievement_rate=100)
                    for i in kpis[agency.pk])
    publish(world.cycle)
    return world


def test_query_counts_are_fixed_with_64_kpis(big):
    """Every page and every download of a 64-KPI cycle with 1,536 approved values: a handful of queries."""
    client = Client()
    counts = {}
    for name, url in _urls(big).items():
        for fmt in ("", "csv", "json", "xlsx", "ods"):
            full = url + (f"?format={fmt}" if fmt else "")
            client.get(full)  # warm caches (content types)
            with CaptureQueriesContext(connection) as context:
                response = client.get(full)
            assert response.status_code == 200, full
            counts[(name, fmt)] = len(context)
    assert max(counts.values()) <= 8, counts  # the chapter page: + its narrative sections
    page = client.get(_urls(big)["chapter"]).content.decode()
    assert page.count("/public/kpis/") == 32
    assert client.get(_urls(big)["indicator"]).context["results"][-1].actual_raw == "5件"


def test_a_second_published_city_is_listed_apart(published):
    other = CycleFactory(city__name="嘉義市", start_year=110, end_year=113, status=CycleStatus.PUBLISHED)
    ChapterFactory(cycle=other, agency__city=other.city, agency__name="智慧科技處")
    html = Client().get(reverse("portal:index")).content.decode()
    assert html.index("嘉義市") >= 0 and html.index("基隆市") >= 0
    assert PlanCycle.objects.filter(status=CycleStatus.PUBLISHED).count() == 2


def test_the_language_switch_works_without_login(published):
    client = Client(enforce_csrf_checks=True)
    url = reverse("portal:cycle", args=[published.cycle.pk])
    page = client.get(url)
    token = client.cookies["csrftoken"].value
    answer = client.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302 and answer["Location"] == url
    assert 'lang="en"' in client.get(url).content.decode() and 'lang="zh-Hant-TW"' in page.content.decode()
