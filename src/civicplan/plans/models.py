"""The plan hierarchy: PlanCycle → AgencyPlan (chapter) → Goal → Indicator (KPI) → Target (per ROC year).

Every imported entity keeps its source (file, page, line span); every parsed value keeps its raw text.
Goal, Indicator and Target carry a version number (optimistic locking) and a versioned history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civicplan.agencies.models import Agency, City

ROC_YEAR_VALIDATORS = [MinValueValidator(1), MaxValueValidator(300)]


class Versioned(models.Model):
    """A record edited by people: saving a stale version is refused (see civicplan.editing)."""

    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Sourced(models.Model):
    """Where an imported record was read: file, page, line span (shown by the page `source/<source_kind>/<pk>/`)."""

    source_kind = ""  # the record's name in the source page's URL

    source_file = models.CharField(_("source file"), max_length=255, blank=True)
    source_page = models.PositiveIntegerField(_("source page"), null=True, blank=True)
    source_line_start = models.PositiveIntegerField(_("first source line"), null=True, blank=True)
    source_line_end = models.PositiveIntegerField(_("last source line"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def source_label(self) -> str:
        if not self.source_file:
            return ""
        parts = [self.source_file]
        if self.source_page:
            parts.append(f"p. {self.source_page}")
        if self.source_line_start:
            end = self.source_line_end or self.source_line_start
            parts.append(f"L{self.source_line_start}" + (f"–{end}" if end != self.source_line_start else ""))
        return " ".join(parts)


class PlanKind(models.TextChoices):
    MEDIUM_TERM = "medium-term", _("Medium-term plan (中程施政計畫)")
    ANNUAL = "annual", _("Annual plan (年度施政計畫)")
    STRATEGY_MAP = "strategy-map", _("Strategy map (策略地圖)")


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in-review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


# The cycle's life: draft → in review → approved → published → superseded (review may send it back).
CYCLE_TRANSITIONS = {
    CycleStatus.DRAFT: {CycleStatus.IN_REVIEW},
    CycleStatus.IN_REVIEW: {CycleStatus.DRAFT, CycleStatus.APPROVED},
    CycleStatus.APPROVED: {CycleStatus.PUBLISHED, CycleStatus.SUPERSEDED},
    CycleStatus.PUBLISHED: {CycleStatus.SUPERSEDED},
    CycleStatus.SUPERSEDED: set(),
}


class PlanCycle(Versioned):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("city"))
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices, default=PlanKind.MEDIUM_TERM)
    start_year = models.PositiveSmallIntegerField(_("first year (ROC)"), validators=ROC_YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year (ROC)"), validators=ROC_YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    rolled_forward_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors",
        verbose_name=_("rolled forward from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["city", "-start_year", "kind"]
        verbose_name = _("plan cycle")
        verbose_name_plural = _("plan cycles")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="cycle_years_ordered"),
            models.UniqueConstraint(fields=["city", "kind", "start_year", "end_year"], name="cycle_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.city.name} {self.get_kind_display()} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.start_year == self.end_year:
            return f"{self.start_year}年度"
        return f"{self.start_year}–{self.end_year}年度"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_locked(self) -> bool:
        """Only a draft cycle is edited in place; an approved version is changed by rolling forward."""
        return self.status != CycleStatus.DRAFT

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year comes before the first year.")})
        if self.start_year and self.end_year and self.end_year - self.start_year > 9:
            raise ValidationError({"end_year": _("A plan cycle spans at most 10 years.")})


class Theme(models.Model):
    """A strategy-map theme (Taipei A–H, T) with its 施政重點."""

    cycle = models.ForeignKey(PlanCycle, on_delete=models.CASCADE, related_name="themes", verbose_name=_("cycle"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    priorities = models.JSONField(_("policy priorities (施政重點)"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["cycle", "order", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [models.UniqueConstraint(fields=["cycle", "code"], name="theme_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ChapterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")


class AgencyPlan(Versioned, Sourced):
    """An agency's chapter in a plan cycle (or, for a strategy map, a city-wide theme's chapter)."""

    source_kind = "chapter"

    cycle = models.ForeignKey(PlanCycle, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("cycle"))
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="chapters", verbose_name=_("agency")
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="chapters", verbose_name=_("theme")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    mission = models.TextField(_("mission (使命)"), blank=True)
    vision = models.TextField(_("vision (願景)"), blank=True)
    priorities = models.JSONField(_("policy priorities (施政重點)"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ChapterStatus.choices, default=ChapterStatus.DRAFT)
    return_reason = models.TextField(_("reason for return"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "order", "id"]
        verbose_name = _("agency plan (chapter)")
        verbose_name_plural = _("agency plans (chapters)")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "agency"], condition=Q(agency__isnull=False), name="chapter_unique_agency"
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(theme__isnull=False), name="chapter_has_agency_or_theme"
            ),
        ]

    def __str__(self) -> str:
        owner = self.agency.name if self.agency_id else str(self.theme)
        return f"{owner} · {self.cycle.period_label}"

    @property
    def city(self) -> City:
        return self.cycle.city

    @property
    def is_editable(self) -> bool:
        return not self.cycle.is_locked and self.status in (ChapterStatus.DRAFT, ChapterStatus.RETURNED)


class Section(Versioned, Sourced):
    """An ordered narrative section of a chapter: numbering, heading, text (貳、一 現有計畫執行成效檢討 …)."""

    source_kind = "section"

    chapter = models.ForeignKey(AgencyPlan, on_delete=models.CASCADE, related_name="sections",
                                verbose_name=_("chapter"))
    order = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("numbering"), max_length=20, blank=True)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["chapter", "order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return f"{self.label} {self.heading}".strip() or _("Section %(n)s") % {"n": self.order}

    def clean(self):
        if not (self.heading.strip() or self.text.strip()):
            raise ValidationError({"heading": _("Give the section a heading or a text.")})


class GoalKind(models.TextChoices):
    KEY = "key", _("Key strategic goal (關鍵策略目標)")
    COMMON = "common", _("Common goal (共同性目標)")


class Goal(Versioned, Sourced):
    source_kind = "goal"

    chapter = models.ForeignKey(AgencyPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("chapter"))
    kind = models.CharField(_("kind"), max_length=10, choices=GoalKind.choices, default=GoalKind.KEY)
    order = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("printed label"), max_length=20, blank=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=300)
    perspective = models.CharField(_("perspective (構面)"), max_length=20, blank=True)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="goals", verbose_name=_("theme")
    )
    description = models.JSONField(_("description items"), default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["chapter", "-kind", "order", "id"]  # "key" > "common": 關鍵策略目標 before 共同性目標
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.perspective and self.chapter_id:
            allowed = self.chapter.cycle.city.perspectives
            if self.perspective not in allowed:
                raise ValidationError(
                    {"perspective": _("“%(p)s” is not one of this city's perspectives: %(list)s")
                     % {"p": self.perspective, "list": "、".join(allowed)}}
                )


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    EXACT = "exact", _("Exact value")
    DEADLINE = "deadline", _("Deadline")
    MILESTONE = "milestone", _("Milestone / progress")


class Indicator(Versioned, Sourced):
    """A KPI (關鍵績效指標) or common indicator (共同性指標)."""

    source_kind = "indicator"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("goal"))
    order = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("printed label"), max_length=20, blank=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=300)
    eval_system = models.CharField(_("評估體制"), max_length=5, blank=True)
    eval_method = models.CharField(_("評估方式"), max_length=50, blank=True)
    standard = models.TextField(_("衡量標準"), blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, default=Direction.HIGHER)
    direction_confirmed = models.BooleanField(
        _("direction confirmed by a person"), default=False,
        help_text=_("Imported KPIs get a direction suggested from their words until someone confirms it."),
    )
    weight = models.DecimalField(
        _("weight"), max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    wccd = models.BooleanField(_("WCCD / ISO 37120"), default=False)
    period_profile = models.JSONField(
        _("cumulative share due by each period (%)"), default=list, blank=True,
        help_text=_("For counts not spread evenly over the year, e.g. 10, 30, 50, 70, 90, 100 (one per period). "
                    "Empty: pro rata."),
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors",
        verbose_name=_("same indicator in the previous cycle"),
    )
    flags = models.JSONField(_("import flags"), default=list, blank=True)
    owners = models.ManyToManyField(Agency, through="IndicatorOwner", related_name="owned_indicators")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["goal", "order", "id"]
        verbose_name = _("indicator (KPI)")
        verbose_name_plural = _("indicators (KPIs)")

    def __str__(self) -> str:
        return self.name

    @property
    def chapter(self) -> AgencyPlan:
        return self.goal.chapter

    def clean(self):
        profile = self.period_profile
        if profile:
            if not isinstance(profile, list) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in profile
            ) or any(b < a for a, b in zip(profile, profile[1:])) or profile[-1] != 100:
                raise ValidationError({"period_profile": _(
                    "Give rising shares from 0 to 100, one per period, ending at 100 (e.g. 10, 30, 50, 70, 90, 100).")})
        if self.eval_system and self.goal_id:
            legend = self.goal.chapter.cycle.city.eval_system_legend
            if self.eval_system not in legend:
                raise ValidationError(
                    {"eval_system": _("評估體制 code “%(c)s” is not in this city's legend (%(codes)s).")
                     % {"c": self.eval_system, "codes": ", ".join(sorted(legend))}}
                )


class OwnerRole(models.TextChoices):
    LEAD = "lead", _("Lead (主責)")
    CO = "co", _("Co-owner (協辦)")


class IndicatorOwner(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="ownerships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="indicator_ownerships")
    role = models.CharField(_("role"), max_length=10, choices=OwnerRole.choices, default=OwnerRole.LEAD)

    class Meta:
        ordering = ["indicator", "role", "agency__order"]
        constraints = [models.UniqueConstraint(fields=["indicator", "agency"], name="owner_unique")]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_role_display()})"


class ValueKind(models.TextChoices):
    QUANTITY = "quantity", _("Quantity")
    PERCENT = "percent", _("Percent")
    DEADLINE = "deadline", _("Deadline")
    MILESTONE = "milestone", _("Milestone / progress")
    DONE = "done", _("Done or not")
    COMPOSITE = "composite", _("Composite")
    TEXT = "text", _("Text")
    NONE = "none", _("No target")


class Target(Versioned):
    """The target of an indicator for one ROC year: the raw text as printed and its parsed value."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year (ROC)"), validators=ROC_YEAR_VALIDATORS)
    raw = models.CharField(_("target as printed"), max_length=300, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    comparator = models.CharField(_("comparator"), max_length=2, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ValueKind.choices, default=ValueKind.NONE)
    cumulative = models.BooleanField(_("cumulative"), default=False)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year")]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}年 {self.raw}"

    def clean(self):
        if self.indicator_id and self.year:
            cycle = self.indicator.goal.chapter.cycle
            if not cycle.start_year <= self.year <= cycle.end_year:
                raise ValidationError(
                    {"year": _("Year %(y)s is outside the plan period %(p)s.") % {"y": self.year, "p": cycle.period_label}}
                )


class PlanImport(models.Model):
    """One loaded plan document: the file, its hash, what was found (counts, anomalies, revision rows).

    The interchange document itself is kept, so a later import of a changed file can be compared with it and
    the revision appendix and anomalies stay readable until the revisions issue gives them tables of their own.
    """

    cycle = models.ForeignKey(PlanCycle, on_delete=models.CASCADE, related_name="imports", verbose_name=_("cycle"))
    source_file = models.CharField(_("source file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    counts = models.JSONField(_("counts"), default=dict)
    anomalies = models.JSONField(_("anomalies"), default=list, blank=True)
    revisions = models.JSONField(_("revision rows"), default=list, blank=True)
    document = models.JSONField(_("plan document"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("imported by"))
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self) -> str:
        return f"{self.source_file} → {self.cycle}"


class PlanSourceText(models.Model):
    """The text of one file read by an import, line by line (line n is `lines[n - 1]`), so that every imported
    record's source (file, page, lines) can be shown as it was read."""

    plan_import = models.ForeignKey(PlanImport, on_delete=models.CASCADE, related_name="texts",
                                    verbose_name=_("plan import"))
    file_name = models.CharField(_("file"), max_length=255, db_index=True)
    lines = models.JSONField(_("text lines"), default=list)

    class Meta:
        ordering = ["plan_import", "file_name"]
        verbose_name = _("source text")
        verbose_name_plural = _("source texts")
        constraints = [models.UniqueConstraint(fields=["plan_import", "file_name"], name="source_text_unique_file")]

    def __str__(self) -> str:
        return self.file_name
