"""Reading tracking (列管) through the API: members see their city's reports and measurements in every state;
everybody else sees only what the public portal shows — results of approved reports of published plans."""

import pytest

from civicplan.permissions import can
from civicplan.portal.queries import approved_measurements, public_cycle_q
from civicplan.tracking import services
from civicplan.tracking.models import Measurement, Period, Report, ReportStatus
from civicplan.tracking.periods import periods_for
from tests.api.conftest import api_client, client_as, fresh_user, get_all


@pytest.fixture
def tracked(plans):
    """Reports of 民政處 in the draft plan (110, periods 1–3: draft, submitted, approved) and in the published plan
    (106, periods 1–2: approved, returned), and of Taipei's agency (110, approved)."""
    world = plans.world
    made = {}

    def report(agency, year, seq, status):
        made_report = services.open_report(agency, periods_for(agency.city, year)[seq - 1])
        Report.objects.filter(pk=made_report.pk).update(status=status)
        assert made_report.measurements.exists(), (agency, year)
        return Report.objects.get(pk=made_report.pk)

    made["draft_plan_draft"] = report(world.civil, 110, 1, ReportStatus.DRAFT)
    made["draft_plan_submitted"] = report(world.civil, 110, 2, ReportStatus.SUBMITTED)
    made["draft_plan_approved"] = report(world.civil, 110, 3, ReportStatus.APPROVED)
    made["published_approved"] = report(world.civil, 106, 1, ReportStatus.APPROVED)
    made["published_returned"] = report(world.civil, 106, 2, ReportStatus.RETURNED)
    taipei_agency = plans.taipei_draft.agency
    made["taipei_approved"] = report(taipei_agency, 110, 1, ReportStatus.APPROVED)
    plans.reports = made
    return plans


def public_measurements():
    """The portal's own definition: approved reports, KPIs of published or superseded plans."""
    return set(approved_measurements().filter(public_cycle_q("indicator__goal__chapter__cycle__"))
               .values_list("pk", flat=True))


def test_the_public_sees_exactly_the_portals_results(tracked):
    for user in (None, tracked.world.outsider):
        listed = {m["id"] for m in get_all(client_as(user), "/api/measurements")}
        assert listed == public_measurements() == set(
            tracked.reports["published_approved"].measurements.values_list("pk", flat=True))
        reports = {r["id"] for r in get_all(client_as(user), "/api/reports")}
        assert reports == {tracked.reports["published_approved"].pk}
        for name, report in tracked.reports.items():
            expected = 200 if name == "published_approved" else 404
            assert client_as(user).get(f"/api/reports/{report.pk}").status_code == expected, name
            row = report.measurements.first()
            assert client_as(user).get(f"/api/measurements/{row.pk}").status_code == expected, name


def test_members_see_their_citys_reports_in_every_state(tracked):
    keelung = {name for name in tracked.reports if not name.startswith("taipei")}
    for user_name in ("civil_editor", "finance_editor", "reviewer", "admin"):
        user = tracked.users[user_name]
        for client in (client_as(user), api_client(user)):
            listed = {r["id"] for r in get_all(client, "/api/reports")}
            assert listed == {tracked.reports[name].pk for name in keelung}, user_name
            rows = {m["id"] for m in get_all(client, "/api/measurements")}
            assert rows == set(Measurement.objects.filter(report__agency__city=tracked.world.city)
                               .values_list("pk", flat=True))
        # The tracking rule itself agrees (tracking.view_report: any role in the city).
        viewer = fresh_user(user)
        assert {r.pk for r in Report.objects.all() if can(viewer, "tracking.view_report", r)} == listed
    taipei = {r["id"] for r in get_all(api_client(tracked.taipei_editor), "/api/reports")}
    assert taipei == {tracked.reports["taipei_approved"].pk, tracked.reports["published_approved"].pk}


def test_a_report_shows_its_rows_with_their_assessment(tracked):
    report = tracked.reports["draft_plan_draft"]
    row = report.measurements.get()
    services.do_save_report(report, entries={row.pk: {"version": row.version, "actual_raw": "100件",
                                                      "progress_note": "辦理中"}},
                            expected_version=report.version, actor=tracked.world.civil_editor)
    body = client_as(tracked.world.reviewer).get(f"/api/reports/{report.pk}").json()
    assert (body["status"], body["status_label"], body["year"], body["seq"], body["agency_name"]) == (
        "draft", str(ReportStatus.DRAFT.label), 110, 1, "民政處")
    [shown] = body["measurements"]
    assert (shown["actual_raw"], shown["actual_value"], shown["progress_note"]) == ("100件", "100", "辦理中")
    assert shown["expected_raw"].startswith("60") and shown["achievement_rate"] and shown["light"] in (
        "green", "yellow", "red")
    assert shown["report_status"] == "draft" and shown["indicator_id"] == tracked.world.civil_kpi.pk


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_tracking_filters(tracked):
    client = client_as(tracked.world.admin)
    reports, world = tracked.reports, tracked.world
    assert set(ids(client.get("/api/reports", {"year": 106}))) == {reports["published_approved"].pk,
                                                                   reports["published_returned"].pk}
    assert ids(client.get("/api/reports", {"status": "submitted"})) == [reports["draft_plan_submitted"].pk]
    assert ids(client.get("/api/reports", {"agency": world.finance.pk})) == []
    assert ids(client.get("/api/reports", {"period": reports["draft_plan_draft"].period_id})) == [
        reports["draft_plan_draft"].pk]
    assert len(ids(client.get("/api/reports", {"city": world.city.pk}))) == 5
    by_cycle = ids(client.get("/api/measurements", {"cycle": tracked.published.cycle.pk}))
    assert set(by_cycle) == set(Measurement.objects.filter(report__period__year=106).values_list("pk", flat=True))
    assert ids(client.get("/api/measurements", {"report": reports["draft_plan_submitted"].pk})) == list(
        reports["draft_plan_submitted"].measurements.values_list("pk", flat=True))
    assert ids(client.get("/api/measurements", {"light": "green"})) == []
    row = reports["draft_plan_approved"].measurements.get()
    Measurement.objects.filter(pk=row.pk).update(light_override="green")
    assert ids(client.get("/api/measurements", {"light": "green"})) == [row.pk]
    assert row.pk not in ids(client.get("/api/measurements", {"light": "white"}))
    assert len(ids(client.get("/api/periods", {"city": world.city.pk, "year": 110}))) == 6
    assert ids(client.get("/api/periods", {"year": 120})) == []
    assert client.get("/api/periods", {"year": 999}).status_code == 422  # ROC years 1–300


def test_periods_are_master_data(tracked):
    period = Period.objects.filter(city=tracked.world.city, year=110).get(seq=3)
    body = client_as(None).get(f"/api/periods/{period.pk}").json()
    assert (body["year"], body["seq"], body["count"], body["frequency"]) == (110, 3, 6, "bimonthly")
    assert body["label"] == str(period) and body["starts_on"] == "2021-05-01" and body["due_on"] == "2021-07-10"


def test_a_reviewers_reason_for_a_light_stays_inside_the_city(tracked):
    row = tracked.reports["published_approved"].measurements.get()
    Measurement.objects.filter(pk=row.pk).update(light_override="green", override_reason="年底可補足")
    public = client_as(None).get(f"/api/measurements/{row.pk}").json()
    assert (public["light_override"], public["shown_light"], public["override_reason"]) == ("green", "green", "")
    assert client_as(tracked.taipei_editor).get(f"/api/measurements/{row.pk}").json()["override_reason"] == ""
    member = api_client(tracked.world.finance_editor).get(f"/api/measurements/{row.pk}").json()
    assert member["override_reason"] == "年底可補足"
