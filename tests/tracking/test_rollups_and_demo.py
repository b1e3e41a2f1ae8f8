"""Roll-ups of lights, the freshness of reporting, and the demo's simulated actuals."""

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from civicplan.tracking import rollups, services
from civicplan.tracking.demo import DEMO, simulate
from civicplan.tracking.models import Measurement, Report, ReportStatus
from civicplan.tracking.periods import periods_for

pytestmark = pytest.mark.django_db


def _fill(world, agency, editor, period, actual, **extra):
    report = services.open_report(agency, period)
    row = report.measurements.get()
    return services.do_save_report(report, entries={row.pk: {"version": row.version, "actual_raw": actual, **extra}},
                                   expected_version=report.version, actor=editor)


def test_overview_counts_lights_by_agency_and_city(world, client_for):
    last = periods_for(world.city, 110)[-1]
    _fill(world, world.civil, world.civil_editor, last, "360件")      # 100% green
    _fill(world, world.finance, world.finance_editor, last, "80%")    # 80 / 95 = 84.2% yellow
    result = rollups.overview(world.cycle, 110)
    assert dict(result["city_tally"].counts) == {"green": 1, "yellow": 1, "red": 0, "white": 0}
    by_agency = {t.name: (dict(t.counts), t.rate) for t in result["by"]["agency"]}
    assert by_agency == {"民政處": ({"green": 1, "yellow": 0, "red": 0, "white": 0}, Decimal("100.0")),
                         "財政處": ({"green": 0, "yellow": 1, "red": 0, "white": 0}, Decimal("84.2"))}
    assert result["city_tally"].rate == Decimal("92.1")
    page = client_for(world.reviewer).get(f"/tracking/overview/{world.cycle.pk}/110/")
    assert page.status_code == 200 and "84.2%" in page.content.decode()


def test_freshness_shows_who_reported_on_time_and_who_is_overdue(world):
    first = periods_for(world.city, 110)[0]
    report = _fill(world, world.civil, world.civil_editor, first, "60件")
    services.do_submit_report(report, expected_version=report.version, actor=world.civil_editor)
    Report.objects.filter(pk=report.pk).update(submitted_at=datetime(2021, 3, 5, tzinfo=timezone.utc))
    services.open_report(world.finance, first)  # opened, never filled
    result = rollups.freshness(world.city, today=date(2021, 4, 1), year=110)
    rows = {r["agency"].name: r for r in result["rows"]}
    assert rows["民政處"]["share"] == 100.0 and rows["民政處"]["overdue"] == []
    assert rows["財政處"]["share"] == 0.0 and [r.period for r in rows["財政處"]["overdue"]] == [first]
    assert rows["財政處"]["never"] == 1 and rows["民政處"]["never"] == 0


def test_demo_actuals_are_marked_and_made_once(world):
    made = simulate(actor=world.admin, today=date(2026, 11, 25))
    # 109–112: 4 years × 6 periods, minus the 2 left open in 112, for each of the two agencies' one KPI.
    assert made == (4 * 6 - 2) * 2
    assert set(Report.objects.values_list("status", "is_demo")) == {(ReportStatus.APPROVED, True)}
    assert not Measurement.objects.exclude(progress_note__startswith=DEMO).exists()
    behind = Measurement.objects.filter(light__in=["yellow", "red"])
    assert not behind.filter(delay_reason="").exists() and not behind.filter(countermeasure="").exists()
    assert simulate(actor=world.admin, today=date(2026, 11, 25)) == 0
    open_period = periods_for(world.city, 112)[-1]
    assert not Report.objects.filter(period=open_period).exists(), "the last periods stay open for trying"


def test_a_report_opened_but_not_filled_in_does_not_hide_the_latest_light(world, client_for):
    periods = periods_for(world.city, 110)
    _fill(world, world.civil, world.civil_editor, periods[-2], "300件")  # 300 of 300 due by 5/6: green
    services.open_report(world.civil, periods[-1])  # the next period, opened, nothing entered yet
    assert dict(rollups.overview(world.cycle, 110)["city_tally"].counts)["green"] == 1
    page = client_for(world.civil_editor).get(f"/chapters/{world.civil_chapter.pk}/").content.decode()
    assert "light-green" in page and "110年第5期" in page


def test_freshness_lists_agencies_that_never_opened_a_report(world):
    first = periods_for(world.city, 110)[0]
    report = _fill(world, world.civil, world.civil_editor, first, "60件")
    result = rollups.freshness(world.city, today=date(2021, 4, 1), year=110)
    rows = {r["agency"].name: r for r in result["rows"]}
    assert set(rows) == {"民政處", "財政處"}
    assert rows["財政處"]["missing"] == result["periods"] and rows["財政處"]["share"] is None
    assert rows["民政處"]["missing"] == [p for p in result["periods"] if p != first]
    assert [r.pk for r in rows["民政處"]["overdue"]] == [report.pk]


def test_demo_reports_are_submitted_around_their_due_date(world):
    simulate(actor=world.admin, today=date(2026, 11, 25))
    late = on_time = 0
    for report in Report.objects.select_related("period"):
        days = (report.submitted_at.date() - report.period.due_on).days
        assert -7 <= days <= 6 and report.approved_at > report.submitted_at
        late, on_time = late + (days > 0), on_time + (days <= 0)
    assert on_time > late > 0
    shares = [r["share"] for r in rollups.freshness(world.city, today=date(2022, 1, 15), year=110)["rows"]]
    assert shares and all(0 < s <= 100 for s in shares)
