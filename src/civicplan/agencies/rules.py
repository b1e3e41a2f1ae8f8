"""Who is who: predicates over a user's memberships (rules). Objects are resolved to their city and agency.

Django superusers get no bypass here: `civicplan.permissions` is a RuleSet of its own, so an approved
cycle stays locked for everyone.
"""

import rules

from civicplan.agencies.models import AGENCY_ROLES, Agency, City, Membership, Role


def memberships_of(user) -> list[Membership]:
    """The user's memberships, read once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_civicplan_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("agency", "city"))
        user._civicplan_memberships = cached
    return cached


def city_of(obj) -> City | None:
    if obj is None:
        return None
    if isinstance(obj, City):
        return obj
    if isinstance(obj, Agency):
        return obj.city
    for path in ("city", "cycle", "chapter", "goal", "indicator"):
        if hasattr(obj, path):
            return city_of(getattr(obj, path))
    return None


def agency_of(obj) -> Agency | None:
    """The agency that owns `obj` (a chapter's agency; for goals, indicators and targets, their chapter's)."""
    if obj is None:
        return None
    if isinstance(obj, Agency):
        return obj
    for path in ("agency", "chapter", "goal", "indicator"):
        if hasattr(obj, path):
            found = getattr(obj, path)
            return found if path == "agency" else agency_of(found)
    return None


def _has_city_role(user, obj, roles: set[str]) -> bool:
    city = city_of(obj)
    return city is not None and any(m.city_id == city.pk and m.role in roles for m in memberships_of(user))


def _has_agency_role(user, obj, roles: set[str]) -> bool:
    agency = agency_of(obj)
    if agency is None:
        return False
    # A member of a parent agency (民政處) also acts for the agencies under it (戶政事務所).
    covered = {agency.pk, *(a.pk for a in agency.ancestors())}
    return any(m.agency_id in covered and m.role in roles for m in memberships_of(user))


@rules.predicate
def is_city_admin(user, obj=None) -> bool:
    return _has_city_role(user, obj, {Role.ADMIN})


@rules.predicate
def is_city_reviewer(user, obj=None) -> bool:
    return _has_city_role(user, obj, {Role.REVIEWER})


@rules.predicate
def is_agency_member(user, obj=None) -> bool:
    """Editor (承辦) or head (單位主管) of the agency that owns obj."""
    return _has_agency_role(user, obj, AGENCY_ROLES)


@rules.predicate
def is_agency_head(user, obj=None) -> bool:
    return _has_agency_role(user, obj, {Role.HEAD})


@rules.predicate
def is_city_member(user, obj=None) -> bool:
    """Has any role in the city of obj."""
    city = city_of(obj)
    return city is not None and any(m.city_id == city.pk for m in memberships_of(user))


def is_admin_anywhere(user) -> bool:
    return any(m.role == Role.ADMIN for m in memberships_of(user))
