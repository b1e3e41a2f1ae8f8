"""Who may do what with reports (registered in the project's RuleSet, civicplan.permissions)."""

import rules

from civicplan.agencies.rules import (
    is_agency_head,
    is_agency_member,
    is_city_admin,
    is_city_member,
    is_city_reviewer,
)
from civicplan.permissions import permissions
from civicplan.tracking.models import Report, ReportStatus


def _report(obj) -> Report | None:
    if isinstance(obj, Report):
        return obj
    return getattr(obj, "report", None)


def _status_in(*statuses):
    @rules.predicate
    def check(user, obj) -> bool:
        report = _report(obj)
        return report is not None and report.status in statuses

    return check


is_being_filled = _status_in(ReportStatus.DRAFT, ReportStatus.RETURNED)
is_submitted = _status_in(ReportStatus.SUBMITTED)
is_head_approved = _status_in(ReportStatus.HEAD_APPROVED)
is_first_reviewed = _status_in(ReportStatus.FIRST_REVIEWED)
is_approved = _status_in(ReportStatus.APPROVED)
is_reviewer = is_city_reviewer | is_city_admin

permissions.add_rule("tracking.view_report", is_city_member)
permissions.add_rule("tracking.edit_report", is_agency_member & is_being_filled)
permissions.add_rule("tracking.submit_report", is_agency_member & is_being_filled)
permissions.add_rule("tracking.head_approve_report", is_agency_head & is_submitted)
permissions.add_rule("tracking.first_review_report", is_reviewer & is_head_approved)
permissions.add_rule("tracking.final_review_report", is_reviewer & is_first_reviewed)
permissions.add_rule(
    "tracking.return_report",
    (is_agency_head & is_submitted) | (is_reviewer & (is_head_approved | is_first_reviewed)),
)
permissions.add_rule("tracking.reopen_report", is_city_admin & is_approved)
permissions.add_rule("tracking.override_light", is_reviewer & (is_head_approved | is_first_reviewed | is_approved))
permissions.add_rule("tracking.view_freshness", is_reviewer)
