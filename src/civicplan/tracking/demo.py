"""Simulated actuals for the demo (示範資料): every past period of the imported plans gets values, so that
every page has something to show. Marked `is_demo` on the report and 示範資料 in the text, everywhere."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from civicplan.agencies.models import Agency
from civicplan.audit.models import Action
from civicplan.audit.services import record
from civicplan.plans.models import PlanCycle, PlanKind
from civicplan.tracking.assessment import assess, expected_for_period
from civicplan.tracking.assessment import parsed as cached_parse
from civicplan.tracking.models import Measurement, Report, ReportStatus
from civicplan.tracking.periods import ROC_OFFSET, periods_for
from civicplan.tracking.services import indicators_for

DEMO = "示範資料"
OPEN_PERIODS = 2  # the last periods of the last plan year stay open, for trying the update grid


def _actual(target_raw: str, expected: Decimal | None, period, rng: random.Random) -> str:
    parsed = cached_parse(target_raw, period.year)
    if parsed.kind == "none":
        return "-"
    if parsed.kind == "deadline" and getattr(parsed, "deadline", None):
        if not period.is_last:
            return ""
        reached = parsed.deadline + timedelta(days=rng.choice([-30, -12, -3, 0, 9, 40]))
        return f"{reached.year - ROC_OFFSET}年{reached.month}月{reached.day}日完成"
    if expected is None or parsed.number is None:
        return ""
    factor = Decimal(str(rng.choice([0.55, 0.78, 0.9, 0.97, 1.0, 1.0, 1.04, 1.1, 1.25])))
    if parsed.kind == "percent":
        value = min(Decimal(100), Decimal(parsed.number) * factor) if parsed.number <= 100 else parsed.number * factor
        return f"{value.quantize(Decimal('0.1')).normalize():f}%"
    value = (Decimal(expected) * factor).quantize(Decimal("1"))
    return f"{value:f}{parsed.unit}"


def _submitted(due_on: date, rng: random.Random) -> dict:
    """Most agencies submit in the week before the due date, one in six a few days late; 研考 approves later."""
    late = rng.random() < 1 / 6
    day = due_on + timedelta(days=rng.randint(1, 6) if late else -rng.randint(0, 7))
    submitted = timezone.make_aware(datetime.combine(day, time(10)))
    return {"submitted_at": submitted, "approved_at": submitted + timedelta(days=rng.randint(3, 12))}


@transaction.atomic
def simulate(*, actor, today: date | None = None, seed: int = 109) -> int:
    """Create demo reports (approved, is_demo) for every past period of every medium-term plan; idempotent."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    timing = random.Random(seed + 1)  # its own stream: the simulated values stay as they were
    created = 0
    done = set(Report.objects.values_list("agency_id", "period_id"))
    rows = []
    for cycle in PlanCycle.objects.filter(kind=PlanKind.MEDIUM_TERM).select_related("city"):
        agencies = Agency.objects.filter(indicator_ownerships__indicator__goal__chapter__cycle=cycle).distinct()
        for year in cycle.years:
            periods = [p for p in periods_for(cycle.city, year) if p.due_on < today]
            if year == cycle.end_year:
                periods = periods[:-OPEN_PERIODS] if len(periods) > OPEN_PERIODS else []
            if not periods:
                continue
            for agency in agencies:
                # The plan in force decides which KPIs the agency reports that year (read once per year).
                indicators = list(indicators_for(agency, periods[0]).filter(goal__chapter__cycle=cycle)
                                  .prefetch_related("targets").select_related("goal__chapter__cycle__city"))
                if not indicators:
                    continue
                targets = {}
                for indicator in indicators:
                    target = next((t for t in indicator.targets.all() if t.year == year), None)
                    targets[indicator.pk] = (target, cached_parse(target.raw, year) if target else None)
                reports = Report.objects.bulk_create([
                    Report(agency=agency, period=period, status=ReportStatus.APPROVED, is_demo=True,
                           **_submitted(period.due_on, timing))
                    for period in periods if (agency.pk, period.pk) not in done])
                for report in reports:
                    period = report.period
                    for indicator in indicators:
                        target, parsed = targets[indicator.pk]
                        m = Measurement(report=report, indicator=indicator)
                        expected = None
                        if target is not None:
                            expected = expected_for_period(target.raw, parsed.kind, parsed.number, period,
                                                           target.cumulative, indicator.period_profile)[1]
                        m.actual_raw = _actual(target.raw if target else "", expected, period, rng)
                        m.progress_note = f"{DEMO}：依計畫進度辦理。"
                        assess(m, period=period)
                        if m.light in ("yellow", "red"):
                            m.delay_reason = f"{DEMO}：受預算與人力調度影響，進度落後。"
                            m.countermeasure = f"{DEMO}：調整執行期程並加強督導。"
                        rows.append(m)
    Measurement.objects.bulk_create(rows, batch_size=2000)
    created = len(rows)
    if created:
        record(Action.DEMO_ACTUALS, actor=actor, new={"measurements": created, "marked": DEMO})
    return created
