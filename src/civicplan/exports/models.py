"""A document asked for on the web and made in the background (books and reports take seconds to minutes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    kind = models.CharField(_("document"), max_length=30)
    fmt = models.CharField(_("format"), max_length=10)
    cycle = models.ForeignKey("plans.PlanCycle", on_delete=models.CASCADE, related_name="export_jobs",
                              verbose_name=_("plan"))
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("agency"))
    year = models.PositiveSmallIntegerField(_("year (ROC)"), null=True, blank=True)
    period_no = models.PositiveSmallIntegerField(_("period"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("asked by"))
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document export")
        verbose_name_plural = _("document exports")

    def __str__(self) -> str:
        return self.file_name or f"{self.kind}.{self.fmt}"

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else None

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
