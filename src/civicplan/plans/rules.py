"""Permissions on plans, as predicates (unit-tested as a matrix of role × action)."""

import rules

from civicplan.agencies.rules import (
    is_admin_anywhere,
    is_agency_head,
    is_agency_member,
    is_city_admin,
    is_city_member,
    is_city_reviewer,
)
from civicplan.permissions import permissions
from civicplan.plans.models import AgencyPlan, ChapterStatus, CycleStatus, PlanCycle


def chapter_of(obj) -> AgencyPlan | None:
    node = obj
    while node is not None and not isinstance(node, AgencyPlan):
        node = getattr(node, "goal", None) or getattr(node, "chapter", None) or getattr(node, "indicator", None)
    return node


@rules.predicate
def is_open_for_editing(user, obj) -> bool:
    """The chapter is in a draft cycle and is itself a draft or was returned for revision."""
    chapter = chapter_of(obj)
    return chapter is not None and chapter.is_editable


@rules.predicate
def is_awaiting_review(user, obj) -> bool:
    chapter = chapter_of(obj)
    return (
        chapter is not None
        and chapter.status == ChapterStatus.SUBMITTED
        and chapter.cycle.status in (CycleStatus.DRAFT, CycleStatus.IN_REVIEW)
    )


@rules.predicate
def is_published(user, obj) -> bool:
    cycle = obj if isinstance(obj, PlanCycle) else getattr(chapter_of(obj), "cycle", None)
    return cycle is not None and cycle.status in (CycleStatus.PUBLISHED, CycleStatus.SUPERSEDED)


can_edit_content = (is_agency_member | is_city_admin) & is_open_for_editing

permissions.add_rule("plans.view", is_city_member | is_published)
permissions.add_rule("plans.change_chapter", can_edit_content)
permissions.add_rule("plans.change_goal", can_edit_content)
permissions.add_rule("plans.change_indicator", can_edit_content)
permissions.add_rule("plans.add_indicator", can_edit_content)
permissions.add_rule("plans.delete_indicator", can_edit_content)
permissions.add_rule("plans.change_target", can_edit_content)
permissions.add_rule("plans.submit_chapter", (is_agency_head | is_city_admin) & is_open_for_editing)
permissions.add_rule("plans.review_chapter", (is_city_reviewer | is_city_admin) & is_awaiting_review)
permissions.add_rule("plans.change_cycle", is_city_admin)
permissions.add_rule("plans.add_cycle", is_city_admin)
permissions.add_rule("audit.view_history", is_city_member)


@rules.predicate
def is_operator_or_admin_anywhere(user) -> bool:
    """The system operator (superuser) or a 研考 administrator of some city: may upload plan books."""
    return bool(getattr(user, "is_superuser", False) and user.is_active) or is_admin_anywhere(user)


permissions.add_rule("imports.upload_plan", is_operator_or_admin_anywhere)


@rules.predicate
def is_operator(user) -> bool:
    """The system operator (an active Django superuser)."""
    return bool(getattr(user, "is_superuser", False) and user.is_active)


# The 研考 console of a city (cycles, freshness, imports): its 研考 administrators and the system operator.
# Changing a cycle from there still needs plans.change_cycle, which the operator does not get.
permissions.add_rule("plans.use_console", is_city_admin | is_operator)
