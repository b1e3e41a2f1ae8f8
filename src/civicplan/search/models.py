from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    """What a hit is, in the order results of equal score are listed."""

    INDICATOR = "indicator", _("KPI")
    GOAL = "goal", _("Goal")
    STANDARD = "standard", _("Standard (衡量標準)")
    CHAPTER = "chapter", _("Plan chapter")
    THEME = "theme", _("Theme")
    SECTION = "section", _("Section")
    NARRATIVE = "narrative", _("Progress narrative")


KIND_ORDER = {kind: number for number, kind in enumerate(EntryKind.values)}


class SearchEntry(models.Model):
    """One searchable field of one record: the text as written, its folded form and its word tokens.

    Rows are derived data, rebuilt from the records by `civicplan.search.indexing` (`civicplan reindex`).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=40)
    city = models.ForeignKey("agencies.City", on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey("plans.PlanCycle", on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey("plans.AgencyPlan", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    indicator = models.ForeignKey("plans.Indicator", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    measurement = models.ForeignKey("tracking.Measurement", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    folded = models.TextField()
    tokens = models.TextField(blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["kind", "object_id"], name="search_entry_object")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}:{self.field}"
