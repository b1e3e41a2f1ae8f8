"""What a person has to do now, by role: reports due (days left), what was returned and why, what waits for
my review. Read by the home page; a fixed number of queries whatever the size of the city."""

from __future__ import annotations

from datetime import date, timedelta

from civicplan.agencies.models import Role
from civicplan.agencies.rules import memberships_of
from civicplan.plans.models import AgencyPlan, ChapterStatus, CycleStatus, PlanCycle, PlanKind
from civicplan.tracking.models import Report, ReportStatus
from civicplan.tracking.periods import periods_for

DUE_SOON_DAYS = 30


def inbox(user, *, today: date) -> dict:
    memberships = memberships_of(user)
    agency_ids = [m.agency_id for m in memberships if m.agency_id]
    head_of = [m.agency_id for m in memberships if m.agency_id and m.role == Role.HEAD]
    review_cities = [m.city_id for m in memberships if m.role in (Role.REVIEWER, Role.ADMIN)]
    to_fill = list(
        Report.objects.filter(agency_id__in=agency_ids, status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
        .select_related("agency", "period").order_by("period__due_on")[:50]
    )
    for report in to_fill:
        report.days_left = (report.period.due_on - today).days
    not_started = _not_started([m.agency for m in memberships if m.agency_id], today)
    returned_chapters = list(
        AgencyPlan.objects.filter(agency_id__in=agency_ids, status=ChapterStatus.RETURNED,
                                  cycle__status=CycleStatus.DRAFT).select_related("agency", "cycle"))
    head_queue = list(Report.objects.filter(agency_id__in=head_of, status=ReportStatus.SUBMITTED)
                      .select_related("agency", "period"))
    review_queue = list(
        Report.objects.filter(agency__city_id__in=review_cities,
                              status__in=[ReportStatus.HEAD_APPROVED, ReportStatus.FIRST_REVIEWED])
        .select_related("agency", "period").order_by("period__due_on")[:100])
    chapters_to_review = list(
        AgencyPlan.objects.filter(cycle__city_id__in=review_cities, status=ChapterStatus.SUBMITTED)
        .select_related("agency", "cycle", "theme"))
    return {
        "to_fill": to_fill, "not_started": not_started, "returned_chapters": returned_chapters, "head_queue": head_queue,
        "review_queue": review_queue, "chapters_to_review": chapters_to_review,
        "has_work": any((to_fill, not_started, returned_chapters, head_queue, review_queue, chapters_to_review)),
    }


MAX_NOT_STARTED = 10


def _not_started(agencies, today: date) -> list[dict]:
    """Periods of the plans the agencies report on, due already or within DUE_SOON_DAYS, that have no report yet."""
    if not agencies:
        return []
    years_by_agency = {}
    for agency_id, start, end in (PlanCycle.objects.filter(
            kind=PlanKind.MEDIUM_TERM, chapters__goals__indicators__ownerships__agency__in=agencies)
            .exclude(status=CycleStatus.SUPERSEDED)
            .values_list("chapters__goals__indicators__ownerships__agency", "start_year", "end_year").distinct()):
        years_by_agency.setdefault(agency_id, set()).update(range(start, end + 1))
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    started = set(Report.objects.filter(agency__in=agencies).values_list("agency_id", "period_id"))
    out = []
    for agency in agencies:
        for year in sorted(years_by_agency.get(agency.pk, ())):
            for period in periods_for(agency.city, year):
                if period.due_on <= horizon and (agency.pk, period.pk) not in started:
                    out.append({"agency": agency, "period": period, "days_left": (period.due_on - today).days})
    out.sort(key=lambda item: item["period"].due_on, reverse=True)
    return sorted(out[:MAX_NOT_STARTED], key=lambda item: item["period"].due_on)
