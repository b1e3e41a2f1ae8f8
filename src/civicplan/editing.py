"""Shared machinery of the service layer: errors, optimistic locking and recording what changed.

Every service function `do_<verb>_<noun>(..., actor)` follows the same steps:
check permission → lock the row → refuse a stale version → validate → save with history → AuditEvent.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

__all__ = ["ConflictError", "PermissionDenied", "ValidationError", "lock", "apply_changes", "snapshot"]


class ConflictError(Exception):
    """Someone else saved the record after it was read: the save is refused, nothing is overwritten."""

    def __init__(self, obj, expected: int):
        self.obj = obj
        self.expected = expected
        self.current = obj.version
        super().__init__(
            _(
                "“%(obj)s” was changed by someone else (version %(current)s; you edited version %(expected)s). "
                "Your change was not saved: reload to see the current values, then apply your change again."
            )
            % {"obj": obj, "current": obj.version, "expected": expected}
        )


def lock(model: type[models.Model], pk) -> models.Model:
    """Re-read the row inside the transaction, locking it where the database can (PostgreSQL).

    On SQLite the IMMEDIATE transaction already holds the database's write lock.
    """
    return model.objects.select_for_update().get(pk=pk)


def check_version(obj, expected_version: int | None) -> None:
    if expected_version is None:
        raise ValidationError({"version": _("The version of the record you edited is missing.")})
    if int(expected_version) != obj.version:
        raise ConflictError(obj, int(expected_version))


def _plain(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj, fields) -> dict:
    return {f: _plain(getattr(obj, f)) for f in fields}


def apply_changes(obj, changes: dict, *, actor, reason: str, expected_version: int | None, editable_fields) -> tuple[dict, dict]:
    """Validate and save `changes` on a locked, versioned `obj`; returns (old, new) of the changed fields.

    Unknown fields are refused. The version is checked before anything is written and bumped on save.
    """
    unknown = set(changes) - set(editable_fields)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})
    check_version(obj, expected_version)
    old = snapshot(obj, changes)
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.full_clean()
    new = snapshot(obj, changes)
    changed = [f for f in changes if old[f] != new[f]]
    old = {f: old[f] for f in changed}
    new = {f: new[f] for f in changed}
    if changed:
        obj.version += 1
        obj._history_user = actor
        obj._change_reason = reason
        obj.save()
    return old, new
