"""Django admin edits are changes too: each save or delete there records an AuditEvent."""

from django.forms.models import model_to_dict

from civicplan.audit.services import record
from civicplan.editing import snapshot


class AuditedAdmin:
    """Mixin for ModelAdmin: record old → new of the changed fields, with the admin user as actor."""

    audit_created = None  # Action
    audit_changed = None  # Action

    def _audit_scope(self, obj):
        from civicplan.agencies.rules import agency_of, city_of

        return {"city": city_of(obj), "agency": agency_of(obj) if not hasattr(obj, "agencies") else None}

    def save_model(self, request, obj, form, change):
        fields = [f for f in form.changed_data if f in model_to_dict(obj)] or list(form.changed_data)
        old = {}
        if change and obj.pk:
            before = type(obj).objects.get(pk=obj.pk)
            old = snapshot(before, fields)
        super().save_model(request, obj, form, change)
        action = self.audit_changed if change else self.audit_created
        if action:
            record(action, actor=request.user, obj=obj, old=old, new=snapshot(obj, fields),
                   reason="Django admin", **self._audit_scope(obj))

    def delete_model(self, request, obj):
        if self.audit_changed:
            fields = [f.name for f in obj._meta.concrete_fields if f.name != "id"]
            record(self.audit_changed, actor=request.user, obj=obj, old=snapshot(obj, fields),
                   new={"deleted": True}, reason="Django admin", **self._audit_scope(obj))
        super().delete_model(request, obj)
