"""The 研考 console: a city's cycles with their status, chapter and KPI counts, last import and the status moves
(posted to `cycle-status`); freshness by agency; chapters waiting for review or returned; recent uploads;
who may open it; and that it costs a fixed number of queries whatever the size of the city."""

import json
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicplan.agencies.models import City, Membership, Role
from civicplan.imports.models import ImportDraft, ImportStatus
from civicplan.plans.models import AgencyPlan, ChapterStatus, CycleStatus, PlanCycle, PlanImport
from civicplan.tracking import services
from civicplan.tracking.models import Report, ReportStatus
from civicplan.tracking.periods import periods_for
from tests.factories import (
    AgencyFactory,
    ChapterFactory,
    CityFactory,
    CycleFactory,
    UserFactory,
    make_indicator,
)

pytestmark = pytest.mark.django_db


def console_url(world) -> str:
    return reverse("console", args=[world.city.pk])


def text_of(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return unescape(response.content.decode())


def row_of(response, cycle) -> dict:
    return next(row for row in response.context["cycles"] if row["cycle"].pk == cycle.pk)


def move_button(status: str) -> str:
    return f'name="status" value="{status}"'


def test_cycles_with_chapter_and_kpi_counts_last_import_and_moves(world, client_for):
    AgencyPlan.objects.filter(pk=world.civil_chapter.pk).update(status=ChapterStatus.SUBMITTED)
    make_indicator(world.civil_chapter, "第二個指標", {110: "10件"})
    PlanImport.objects.create(cycle=world.cycle, source_file="old.docx", sha256="a" * 64,
                              created_by=world.admin)
    PlanImport.objects.create(cycle=world.cycle, source_file="基隆市109-112.docx", sha256="b" * 64,
                              created_by=world.admin)
    older = CycleFactory(city=world.city, start_year=105, end_year=108, status=CycleStatus.SUPERSEDED)
    response = client_for(world.admin).get(console_url(world))
    row = row_of(response, world.cycle)
    assert [(status, n) for status, _label, n in row["chapters"]] == [
        ("draft", 1), ("submitted", 1), ("returned", 0), ("approved", 0)]
    assert (row["key_kpis"], row["common_kpis"]) == (3, 0)
    assert row["last_import"].source_file == "基隆市109-112.docx"
    assert [m["status"] for m in row["moves"]] == [CycleStatus.IN_REVIEW]
    assert row_of(response, older)["moves"] == [] and row_of(response, older)["status_form"] is None
    html = text_of(response)
    assert "基隆市109-112.docx" in html and "yankao_admin" in html
    assert f'action="{reverse("cycle-status", args=[world.cycle.pk])}"' in html
    assert move_button(CycleStatus.IN_REVIEW) in html
    assert f'name="version" value="{world.cycle.version}"' in html
    assert html.count('name="reason"') == 1, "one status form: the superseded cycle has no moves"


def test_the_console_form_moves_a_cycle_through_review_approval_and_publishing(world, client_for):
    """Each button posts status, version and the comment to the existing cycle-status page."""
    client = client_for(world.admin)
    url = reverse("cycle-status", args=[world.cycle.pk])

    def post(status, reason=""):
        cycle = world.fresh(world.cycle)
        page = text_of(client.get(console_url(world)))
        assert move_button(status) in page, status
        return client.post(url, {"status": status, "version": cycle.version, "reason": reason})

    assert post(CycleStatus.IN_REVIEW, "送審").status_code == 302
    response = client.get(console_url(world))
    moves = {m["status"]: m for m in row_of(response, world.cycle)["moves"]}
    assert set(moves) == {CycleStatus.DRAFT, CycleStatus.APPROVED}
    assert moves[CycleStatus.APPROVED]["blocked"], "approval waits for every chapter"
    assert f'value="{CycleStatus.APPROVED}" class="primary" disabled' in text_of(response)

    AgencyPlan.objects.filter(cycle=world.cycle).update(status=ChapterStatus.APPROVED)
    moves = row_of(client.get(console_url(world)), world.cycle)["moves"]
    assert [m["status"] for m in moves if not m["blocked"]] == [CycleStatus.APPROVED, CycleStatus.DRAFT]
    assert post(CycleStatus.APPROVED, "核定").status_code == 302
    assert post(CycleStatus.PUBLISHED, "公布").status_code == 302
    assert world.fresh(world.cycle).status == CycleStatus.PUBLISHED
    page = client.get(console_url(world))
    assert [m["status"] for m in row_of(page, world.cycle)["moves"]] == [CycleStatus.SUPERSEDED]
    assert "status-published" in text_of(page)


def test_chapters_waiting_for_review_and_returned_with_the_reason(world, client_for):
    AgencyPlan.objects.filter(pk=world.civil_chapter.pk).update(status=ChapterStatus.SUBMITTED)
    AgencyPlan.objects.filter(pk=world.finance_chapter.pk).update(status=ChapterStatus.RETURNED,
                                                                  return_reason="目標值請再檢討")
    response = client_for(world.admin).get(console_url(world))
    assert [c.pk for c in response.context["submitted_chapters"]] == [world.civil_chapter.pk]
    assert [c.pk for c in response.context["returned_chapters"]] == [world.finance_chapter.pk]
    html = text_of(response)
    assert f'href="{reverse("chapter", args=[world.civil_chapter.pk])}"' in html
    assert f'href="{reverse("chapter", args=[world.finance_chapter.pk])}"' in html
    assert "目標值請再檢討" in html


def test_freshness_by_agency_most_overdue_first(world, client_for):
    """民政處 left period 2 of 110 unfinished and approved period 6; 財政處 never reported (but owns a KPI)."""
    periods = periods_for(world.city, 110)
    for period in periods:
        services.open_report(world.civil, period)
    Report.objects.filter(agency=world.civil).update(status=ReportStatus.APPROVED)
    Report.objects.filter(agency=world.civil, period=periods[1]).update(status=ReportStatus.RETURNED)
    response = client_for(world.admin).get(console_url(world))
    freshness = response.context["freshness"]
    assert freshness["year"] == 110 and freshness["period"] == periods[-1]
    today = response.context["today"]
    rows = {row["agency"].name: row for row in freshness["rows"]}
    assert [row["agency"].name for row in freshness["rows"]] == ["財政處", "民政處"]
    assert rows["財政處"]["status"] == "" and rows["財政處"]["days_overdue"] == (today - periods[0].due_on).days
    assert rows["民政處"]["status"] == ReportStatus.APPROVED
    assert rows["民政處"]["days_overdue"] == (today - periods[1].due_on).days
    assert freshness["late"] == 2
    html = text_of(response)
    assert f'href="{reverse("freshness", args=[world.city.pk])}?year=110"' in html
    assert str(rows["財政處"]["days_overdue"]) in html

    # A period without any report counts from its due date too, not only the latest one.
    Report.objects.filter(agency=world.civil, period=periods[0]).delete()
    rows = {row["agency"].name: row
            for row in client_for(world.admin).get(console_url(world)).context["freshness"]["rows"]}
    assert rows["民政處"]["days_overdue"] == (today - periods[0].due_on).days


def test_freshness_when_nothing_is_due_yet(world, client_for):
    html = text_of(client_for(world.admin).get(console_url(world)))
    assert "No reports are due yet." in html or "尚無" in html


def test_recent_uploads_of_the_city_only(world, client_for):
    from civicplan.imports.services import do_upload_plan
    from tests.web.test_permission_matrix import PLAN_FILE

    mine = do_upload_plan(json.dumps(PLAN_FILE, ensure_ascii=False).encode(), "基隆.json", actor=world.admin)
    ImportDraft.objects.create(file_name="臺北.json", sha256="c" * 64, family="json", document={"city": "臺北市"},
                               created_by=world.admin)
    loaded = ImportDraft.objects.create(file_name="loaded.json", sha256="d" * 64, family="json",
                                        document={"city": "基隆市"}, created_by=world.admin,
                                        status=ImportStatus.COMMITTED, cycle=world.cycle)
    response = client_for(world.admin).get(console_url(world))
    assert {d.pk for d in response.context["drafts"]} == {mine.pk, loaded.pk}
    html = text_of(response)
    assert f'href="{reverse("import-preview", args=[mine.pk])}"' in html and "臺北.json" not in html
    assert f'href="{reverse("imports")}"' in html


# --- Who may open it ------------------------------------------------------------------------------


def test_console_home_sends_the_admin_of_one_city_to_its_console(world, client_for):
    response = client_for(world.admin).get(reverse("console-home"))
    assert response.status_code == 302 and response["Location"] == console_url(world)


def test_console_home_lists_the_cities_of_an_admin_of_several(world, client_for):
    taipei = CityFactory(name="臺北市")
    Membership.objects.create(user=world.admin, city=taipei, role=Role.ADMIN)
    html = text_of(client_for(world.admin).get(reverse("console-home")))
    assert reverse("console", args=[world.city.pk]) in html and reverse("console", args=[taipei.pk]) in html
    page = client_for(world.admin).get(reverse("console", args=[taipei.pk]))
    assert page.status_code == 200 and reverse("console-home") in text_of(page), "the crumb back to the list"


@pytest.mark.parametrize("role", ["outsider", "civil_editor", "civil_head", "reviewer"])
def test_others_are_refused(world, client_for, role):
    client = client_for(getattr(world, role))
    assert client.get(reverse("console-home")).status_code == 403
    assert client.get(console_url(world)).status_code == 403


def test_the_admin_of_another_city_is_refused(world, client_for):
    other = UserFactory(username="taipei_admin")
    Membership.objects.create(user=other, city=CityFactory(name="臺北市"), role=Role.ADMIN)
    assert client_for(other).get(console_url(world)).status_code == 403


def test_anonymous_users_are_sent_to_log_in(world, client_for):
    for url in (reverse("console-home"), console_url(world)):
        response = client_for(None).get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_system_operator_sees_every_city_but_gets_no_status_buttons(world, client_for, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    CityFactory(name="臺北市")
    client = client_for(root)
    html = text_of(client.get(reverse("console-home")))
    assert reverse("console", args=[world.city.pk]) in html and "臺北市" in html
    response = client.get(console_url(world))
    assert row_of(response, world.cycle)["moves"] == [], "plans.change_cycle gives the operator no bypass"
    assert 'name="status"' not in text_of(response)


def test_the_system_operator_of_an_empty_installation_sees_an_empty_list(db, client_for, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    assert City.objects.count() == 0
    assert client_for(root).get(reverse("console-home")).status_code == 200


def test_the_navigation_links_to_the_console_only_for_those_who_may_use_it(world, client_for):
    link = f'href="{reverse("console-home")}"'
    assert link in text_of(client_for(world.admin).get(reverse("home")))
    for role in ("reviewer", "civil_editor", "outsider"):
        assert link not in text_of(client_for(getattr(world, role)).get(reverse("home"))), role


# --- Cost -----------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _grow(world, n: int, start: int = 0):
    """n more agencies with chapters (a third submitted, a third returned) and KPIs in the current cycle,
    reports for the year, more cycles with imports, and uploads."""
    periods = periods_for(world.city, 110)
    for i in range(start, start + n):
        agency = AgencyFactory(city=world.city, name=f"第{i}局", order=10 + i)
        status = [ChapterStatus.DRAFT, ChapterStatus.SUBMITTED, ChapterStatus.RETURNED][i % 3]
        chapter = ChapterFactory(cycle=world.cycle, agency=agency, status=status,
                                 return_reason="請修正" if status == ChapterStatus.RETURNED else "")
        for k in range(3):
            make_indicator(chapter, f"指標{i}-{k}", {110: "10件"})
        for period in periods[: 1 + i % len(periods)]:
            services.open_report(agency, period)
    for i in range(start, start + n // 4):
        cycle = CycleFactory(city=world.city, start_year=50 + i, end_year=53 + i,
                             status=CycleStatus.SUPERSEDED)
        ChapterFactory(cycle=cycle, agency=world.civil)
        PlanImport.objects.create(cycle=cycle, source_file=f"{i}.docx", sha256=f"{i:064d}",
                                  created_by=world.admin)
        ImportDraft.objects.create(file_name=f"{i}.json", sha256=f"{i:064d}", family="json", cycle=cycle,
                                   document={"city": world.city.name}, created_by=world.admin,
                                   status=ImportStatus.COMMITTED)


def test_queries_do_not_grow_with_the_size_of_the_city(world, client_for, django_assert_max_num_queries):
    client = client_for(world.admin)
    url = console_url(world)
    _grow(world, 2)
    few = _queries(client, url)
    _grow(world, 40, start=2)
    assert AgencyPlan.objects.count() > 40 and PlanCycle.objects.count() > 10
    many = _queries(client, url)
    assert many == few, f"queries with 4 agencies: {few}; with 44: {many}"
    with django_assert_max_num_queries(16):
        client.get(url)


def test_a_status_change_from_the_console_returns_to_the_console_and_never_off_site(world, client_for):
    client = client_for(world.admin)
    url = reverse("cycle-status", args=[world.cycle.pk])
    cycle = world.fresh(world.cycle)
    back = client.post(url, {"status": CycleStatus.IN_REVIEW, "version": cycle.version, "reason": "送審",
                             "next": console_url(world)})
    assert back.status_code == 302 and back["Location"] == console_url(world)
    cycle = world.fresh(world.cycle)
    away = client.post(url, {"status": CycleStatus.DRAFT, "version": cycle.version, "reason": "退回",
                             "next": "https://evil.example/"})
    assert away.status_code == 302 and away["Location"] == reverse("cycle", args=[world.cycle.pk])
