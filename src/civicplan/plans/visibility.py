"""Who sees what through the API, as querysets: the database-level mirror of the rule `plans.view`.

`plans.view` is `is_city_member | is_published` (civicplan.plans.rules): a member of a city (any
Membership there) sees everything of that city, drafts included; everybody, anonymous users too,
sees cycles that are published or superseded and their content. Agencies are master data, visible
to all. Details are checked with `can(user, "plans.view", obj)` itself; lists filter with these
helpers, and tests/api keep the two in step.
"""

from django.db.models import Q, QuerySet

from civicplan.agencies.models import Agency
from civicplan.agencies.rules import memberships_of
from civicplan.plans.models import AgencyPlan, CycleStatus, Goal, Indicator, PlanCycle, Target

PUBLIC_CYCLE_STATUSES = (CycleStatus.PUBLISHED, CycleStatus.SUPERSEDED)


def member_city_ids(user) -> list[int]:
    """The cities where `user` has any role (none for anonymous or inactive users)."""
    return sorted({m.city_id for m in memberships_of(user)})


def visible_cycle_q(user, via: str = "") -> Q:
    """`plans.view` as a filter on the cycle reached through `via` (e.g. "chapter__cycle__")."""
    condition = Q(**{f"{via}status__in": PUBLIC_CYCLE_STATUSES})
    cities = member_city_ids(user)
    if cities:
        condition |= Q(**{f"{via}city_id__in": cities})
    return condition


def visible_cycles(user) -> QuerySet[PlanCycle]:
    return PlanCycle.objects.filter(visible_cycle_q(user))


def visible_chapters(user) -> QuerySet[AgencyPlan]:
    return AgencyPlan.objects.filter(visible_cycle_q(user, "cycle__"))


def visible_goals(user) -> QuerySet[Goal]:
    return Goal.objects.filter(visible_cycle_q(user, "chapter__cycle__"))


def visible_indicators(user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(visible_cycle_q(user, "goal__chapter__cycle__"))


def visible_targets(user) -> QuerySet[Target]:
    return Target.objects.filter(visible_cycle_q(user, "indicator__goal__chapter__cycle__"))


def visible_agencies(user) -> QuerySet[Agency]:
    """Agencies are master data (names of the city's offices): visible to everybody."""
    return Agency.objects.all()
