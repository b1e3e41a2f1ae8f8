"""record(): the one way an AuditEvent is written. Called by service functions inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from civicplan.audit.models import Action, AuditEvent


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


def record(
    action: Action,
    *,
    actor,
    obj=None,
    city=None,
    agency=None,
    old: dict | None = None,
    new: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record() must run inside the service's transaction")
    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        city=city,
        agency=agency,
        old_values=_jsonable(old or {}),
        new_values=_jsonable(new or {}),
        reason=reason or "",
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(type(obj))
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:300]
    event.save()
    return event


def events_for(obj):
    """The audit trail of one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")
