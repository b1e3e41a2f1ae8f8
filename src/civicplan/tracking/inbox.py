"""What a person has to do now, by role: reports due (days left), what was returned and why, what waits for
my review. Read by the home page; a fixed number of queries whatever the size of the city."""

from __future__ import annotations

from datetime import date

from civicplan.agencies.models import Role
from civicplan.agencies.rules import memberships_of
from civicplan.plans.models import AgencyPlan, ChapterStatus, CycleStatus
from civicplan.tracking.models import Report, ReportStatus

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
        "to_fill": to_fill, "returned_chapters": returned_chapters, "head_queue": head_queue,
        "review_queue": review_queue, "chapters_to_review": chapters_to_review,
        "has_work": any((to_fill, returned_chapters, head_queue, review_queue, chapters_to_review)),
    }
