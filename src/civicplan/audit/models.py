"""AuditEvent: one row for every state change made through a service function (Zulip's RealmAuditLog)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """Typed audit actions, grouped by the object they act on."""

    CITY_CHANGED = "city.changed", _("City settings changed")
    AGENCY_CREATED = "agency.created", _("Agency created")
    AGENCY_CHANGED = "agency.changed", _("Agency changed")
    MEMBERSHIP_GRANTED = "membership.granted", _("Role granted")
    MEMBERSHIP_REVOKED = "membership.revoked", _("Role revoked")
    CYCLE_CREATED = "cycle.created", _("Plan cycle created")
    CYCLE_CHANGED = "cycle.changed", _("Plan cycle changed")
    CYCLE_STATUS_CHANGED = "cycle.status_changed", _("Plan cycle status changed")
    CHAPTER_CREATED = "chapter.created", _("Chapter created")
    CHAPTER_CHANGED = "chapter.changed", _("Chapter changed")
    CHAPTER_SUBMITTED = "chapter.submitted", _("Chapter submitted for review")
    CHAPTER_RETURNED = "chapter.returned", _("Chapter returned for revision")
    CHAPTER_APPROVED = "chapter.approved", _("Chapter approved")
    GOAL_CREATED = "goal.created", _("Goal created")
    GOAL_CHANGED = "goal.changed", _("Goal changed")
    INDICATOR_CREATED = "indicator.created", _("Indicator created")
    INDICATOR_CHANGED = "indicator.changed", _("Indicator changed")
    INDICATOR_DELETED = "indicator.deleted", _("Indicator deleted")
    INDICATOR_OWNERS_CHANGED = "indicator.owners_changed", _("Lead and co-owner agencies changed")
    SECTION_CREATED = "section.created", _("Section added")
    SECTION_CHANGED = "section.changed", _("Section changed")
    SECTION_DELETED = "section.deleted", _("Section deleted")
    TARGET_CREATED = "target.created", _("Target created")
    TARGET_CHANGED = "target.changed", _("Target changed")
    REPORT_SAVED = "report.saved", _("Report values saved")
    REPORT_SUBMITTED = "report.submitted", _("Report submitted")
    REPORT_HEAD_APPROVED = "report.head_approved", _("Report approved by the agency head")
    REPORT_FIRST_REVIEWED = "report.first_reviewed", _("Report passed the first review (初核)")
    REPORT_APPROVED = "report.approved", _("Report approved and locked (複核)")
    REPORT_RETURNED = "report.returned", _("Report returned for revision")
    REPORT_REOPENED = "report.reopened", _("Approved report reopened")
    LIGHT_OVERRIDDEN = "measurement.light_overridden", _("Light set by a reviewer")
    EVIDENCE_ADDED = "evidence.added", _("Evidence file added")
    DEMO_ACTUALS = "tracking.demo", _("Simulated actuals created (示範資料)")
    PLAN_LOADED = "plan.loaded", _("Plan loaded from a plan document")
    PLAN_REPLACED = "plan.replaced", _("Plan replaced by a changed plan document")
    IMPORT_UPLOADED = "import.uploaded", _("Plan book uploaded and read")
    IMPORT_CANCELLED = "import.cancelled", _("Uploaded plan book cancelled")
    TOKEN_CREATED = "token.created", _("API token created")
    TOKEN_REVOKED = "token.revoked", _("API token revoked")
    EXPORT_REQUESTED = "export.requested", _("Document asked for")


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    city = models.ForeignKey("agencies.City", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    old_values = models.JSONField(_("old values"), default=dict, blank=True)
    new_values = models.JSONField(_("new values"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for every field named in either side, in a stable order."""
        names = list(dict.fromkeys([*self.old_values.keys(), *self.new_values.keys()]))
        return [(n, self.old_values.get(n), self.new_values.get(n)) for n in names]
