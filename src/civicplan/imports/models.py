"""An uploaded plan book waiting for the 研考 administrator's decision: read, validated, shown, then committed
or cancelled. The parsed interchange document and the file's text lines are kept for the preview, and the lines go
with the commit into the import (`plans.PlanSourceText`) so that every loaded record's source can be shown."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    COMMITTED = "committed", _("Loaded")
    CANCELLED = "cancelled", _("Cancelled")


class ImportDraft(models.Model):
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    family = models.CharField(_("layout"), max_length=20)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    document = models.JSONField(_("plan document"))
    lines = models.JSONField(_("text lines"), default=list)
    differences = models.JSONField(_("differences from the database"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    cycle = models.ForeignKey("plans.PlanCycle", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("uploaded plan book")
        verbose_name_plural = _("uploaded plan books")

    def __str__(self) -> str:
        return self.file_name
