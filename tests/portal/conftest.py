import pytest

from civicplan.plans.models import CycleStatus, PlanCycle
from civicplan.tracking import services
from civicplan.tracking.models import Measurement, Report, ReportStatus
from civicplan.tracking.periods import periods_for


def publish(cycle, status=CycleStatus.PUBLISHED):
    PlanCycle.objects.filter(pk=cycle.pk).update(status=status)


def report(agency, period, status, **values):
    """A report of the agency for the period in `status`, every row with `values` (actual_raw, light, …)."""
    made = services.open_report(agency, period)
    Measurement.objects.filter(report=made).update(**values)
    Report.objects.filter(pk=made.pk).update(status=status)
    return made


@pytest.fixture
def published(world):
    """The world's cycle published, 民政處 with an approved report (period 1 of 110) and a submitted one (period 2)."""
    publish(world.cycle)
    periods = periods_for(world.city, 110)
    world.approved = report(world.civil, periods[0], ReportStatus.APPROVED, actual_raw="61件", expected_raw="60件",
                            achievement_rate=101.7, light="green", progress_note="已公開的執行情形",
                            delay_reason="", countermeasure="")
    world.submitted = report(world.civil, periods[1], ReportStatus.SUBMITTED, actual_raw="7件", light="red",
                             progress_note="尚未核定的執行情形", delay_reason="內部落後原因", countermeasure="內部對策")
    return world
