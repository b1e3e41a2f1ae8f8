"""The project's permission RuleSet: `can(user, "plans.change_target", target)`.

Rules are registered by each app's rules.py (imported by PlansConfig.ready via civicplan.permissions.load()).
"""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

permissions = rules.RuleSet()


def can(user, name: str, obj=None) -> bool:
    load()
    return permissions.test_rule(name, user, obj)


def require(user, name: str, obj=None) -> None:
    """Raise PermissionDenied unless `user` may do `name` on `obj`."""
    if not can(user, name, obj):
        if not getattr(user, "is_authenticated", False):
            raise PermissionDenied(_("Please log in first."))
        raise PermissionDenied(_("You may not do this (%(what)s) on “%(obj)s”.") % {"what": name, "obj": obj})


_loaded = False


def load() -> None:
    global _loaded
    if not _loaded:
        import civicplan.plans.rules  # noqa: F401  (registers the rules)
        import civicplan.tracking.rules  # noqa: F401  (registers the rules)

        _loaded = True
