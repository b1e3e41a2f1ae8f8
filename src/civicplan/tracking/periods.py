"""Reporting periods from a city's frequency (data, not code): bi-monthly by default."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from civicplan.agencies.models import City
from civicplan.targets.dates import ROC_OFFSET
from civicplan.tracking.models import Period

MONTHS_PER_PERIOD = {"monthly": 1, "bimonthly": 2, "quarterly": 3, "half-yearly": 6, "yearly": 12}


def period_bounds(year: int, frequency: str, seq: int) -> tuple[date, date]:
    months = MONTHS_PER_PERIOD[frequency]
    first_month = (seq - 1) * months + 1
    last_month = seq * months
    ad = year + ROC_OFFSET
    return date(ad, first_month, 1), date(ad, last_month, calendar.monthrange(ad, last_month)[1])


def periods_for(city: City, year: int) -> list[Period]:
    """The city's periods of an ROC year, created on first use (idempotent)."""
    frequency = city.reporting_frequency
    count = 12 // MONTHS_PER_PERIOD[frequency]
    existing = {p.seq: p for p in Period.objects.filter(city=city, year=year, frequency=frequency)}
    missing = []
    for seq in range(1, count + 1):
        if seq not in existing:
            starts, ends = period_bounds(year, frequency, seq)
            missing.append(Period(city=city, year=year, frequency=frequency, seq=seq, count=count, starts_on=starts,
                                  ends_on=ends, due_on=ends + timedelta(days=city.report_due_days)))
    if missing:
        Period.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {p.seq: p for p in Period.objects.filter(city=city, year=year, frequency=frequency)}
    return [existing[s] for s in sorted(existing)]


def current_period(city: City, today: date) -> Period:
    year = today.year - ROC_OFFSET
    for period in periods_for(city, year):
        if period.starts_on <= today <= period.ends_on:
            return period
    raise LookupError(today)  # pragma: no cover - every day is in some period
