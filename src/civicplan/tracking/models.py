"""Tracking (列管): reporting periods, an agency's report for a period, the measured actual of each KPI.

Period  — a city's reporting period (e.g. 110年第3期, May–June, due 7/10), generated from the city's frequency.
Report  — one agency × one period: the workflow unit (editor submits → head approves → 研考 初核 → 複核 → locked).
Measurement — one indicator in a report: the actual as typed and parsed, 執行情形, 落後原因, 因應對策, and its
              assessment (expected value, achievement rate, light, the threshold rule it was computed with,
              a reviewer's override with its reason).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civicplan.agencies.models import Agency, City
from civicplan.plans.models import Indicator, Versioned


class Period(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="periods", verbose_name=_("city"))
    year = models.PositiveSmallIntegerField(_("year (ROC)"))
    frequency = models.CharField(_("reporting frequency"), max_length=20)
    seq = models.PositiveSmallIntegerField(_("number in the year"))
    count = models.PositiveSmallIntegerField(_("periods in the year"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    due_on = models.DateField(_("due"))

    class Meta:
        ordering = ["city", "year", "frequency", "seq"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [models.UniqueConstraint(fields=["city", "year", "frequency", "seq"], name="period_unique")]

    def __str__(self) -> str:
        if self.count == 1:
            return f"{self.year}年"
        return f"{self.year}年第{self.seq}期（{self.starts_on.month}–{self.ends_on.month}月）"

    @property
    def is_last(self) -> bool:
        return self.seq == self.count


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    SUBMITTED = "submitted", _("Submitted to the head")
    HEAD_APPROVED = "head-approved", _("Approved by the head")
    FIRST_REVIEWED = "first-reviewed", _("First review passed (初核)")
    APPROVED = "approved", _("Approved and locked (複核)")
    RETURNED = "returned", _("Returned for revision")


class Report(Versioned):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reports", verbose_name=_("agency"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports", verbose_name=_("period"))
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data (示範資料)"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["period", "agency__order"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["agency", "period"], name="report_unique")]

    def __str__(self) -> str:
        return f"{self.agency.name} {self.period}"

    @property
    def city(self) -> City:
        return self.agency.city

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED


class Light(models.TextChoices):
    GREEN = "green", _("Green: achieved (達成)")
    YELLOW = "yellow", _("Yellow: behind (落後)")
    RED = "red", _("Red: far behind (嚴重落後)")
    WHITE = "white", _("White: not due or no data")


class Measurement(Versioned):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="measurements",
                               verbose_name=_("report"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements",
                                  verbose_name=_("indicator"))
    actual_raw = models.CharField(_("actual (as entered)"), max_length=300, blank=True)
    actual_value = models.DecimalField(_("actual value"), max_digits=20, decimal_places=4, null=True, blank=True)
    actual_unit = models.CharField(_("unit"), max_length=30, blank=True)
    actual_kind = models.CharField(_("kind"), max_length=20, blank=True)
    actual_date = models.DateField(_("date reached"), null=True, blank=True)
    progress_note = models.TextField(_("progress (執行情形)"), blank=True)
    delay_reason = models.TextField(_("reason for delay (落後原因)"), blank=True)
    countermeasure = models.TextField(_("countermeasure (因應對策)"), blank=True)
    expected_raw = models.CharField(_("expected by this period"), max_length=300, blank=True)
    achievement_rate = models.DecimalField(_("achievement rate (%)"), max_digits=12, decimal_places=1, null=True,
                                           blank=True)
    light = models.CharField(_("light"), max_length=10, choices=Light.choices, default=Light.WHITE)
    light_rule = models.JSONField(_("rule the light was computed with"), default=dict, blank=True)
    raise_candidate = models.BooleanField(_("candidate for raising the target (≥ 120%)"), default=False)
    light_override = models.CharField(_("light set by a reviewer"), max_length=10, choices=Light.choices,
                                      blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["report", "indicator__goal__chapter__order", "-indicator__goal__kind", "indicator__goal__order",
                    "indicator__order"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="measurement_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.name} · {self.report.period}: {self.actual_raw or '—'}"

    @property
    def shown_light(self) -> str:
        return self.light_override or self.light


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.measurement.report.period.year}/{instance.measurement_id}/{filename}"


class Evidence(models.Model):
    """A file that supports a measurement (a photo, a signed list, a spreadsheet)."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name
