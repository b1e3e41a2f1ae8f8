"""City (its settings are data), Agency (with aliases and parent), Membership (who may do what where)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Keelung's 構面 (perspectives); Taipei's strategy map uses 顧客, 內部流程, 學習成長, 財務.
DEFAULT_PERSPECTIVES = ["業務成果", "行政效率", "服務效能", "財務管理", "組織學習"]

# The 評估體制 legend printed under every Keelung KPI table (codes 1–5).
DEFAULT_EVAL_SYSTEM_LEGEND = {
    "1": "指實際評估作業係運用既有之組織架構進行。",
    "2": "指實際評估作業係由特定之任務編組進行。",
    "3": "指實際評估作業係透過第三者方式（如由專家學者）進行。",
    "4": "指實際評估作業係運用既有之組織架構並邀請第三者共同參與進行。",
    "5": "其它。",
}

# Achievement rate (%) at or above which a KPI shows green / yellow; below yellow it is red;
# without data it is white.
DEFAULT_LIGHT_THRESHOLDS = {"green": 100, "yellow": 80}


def default_perspectives():
    return list(DEFAULT_PERSPECTIVES)


def default_legend():
    return dict(DEFAULT_EVAL_SYSTEM_LEGEND)


def default_thresholds():
    return dict(DEFAULT_LIGHT_THRESHOLDS)


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    BIMONTHLY = "bimonthly", _("Every two months")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half-yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


class City(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    perspectives = models.JSONField(_("perspectives (構面)"), default=default_perspectives)
    eval_system_legend = models.JSONField(_("評估體制 legend"), default=default_legend)
    reporting_frequency = models.CharField(
        _("reporting frequency"), max_length=20, choices=ReportingFrequency.choices,
        default=ReportingFrequency.BIMONTHLY,
    )
    light_thresholds = models.JSONField(_("light thresholds (%)"), default=default_thresholds)
    report_due_days = models.PositiveSmallIntegerField(
        _("reports due (days after the period ends)"), default=10,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if not isinstance(self.perspectives, list) or not self.perspectives or not all(
            isinstance(p, str) and p.strip() for p in self.perspectives
        ):
            errors["perspectives"] = _("Give a non-empty list of perspective names.")
        elif len(set(self.perspectives)) != len(self.perspectives):
            errors["perspectives"] = _("A perspective is listed twice.")
        legend = self.eval_system_legend
        if not isinstance(legend, dict) or not legend or not all(
            isinstance(k, str) and k.isdigit() and isinstance(v, str) and v.strip() for k, v in legend.items()
        ):
            errors["eval_system_legend"] = _("Give an object mapping codes such as \"1\" to their meaning.")
        t = self.light_thresholds
        if not (
            isinstance(t, dict)
            and set(t) == {"green", "yellow"}
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in t.values())
            and 0 <= t["yellow"] < t["green"]
        ):
            errors["light_thresholds"] = _(
                "Give {\"green\": G, \"yellow\": Y} with 0 ≤ Y < G (achievement rates in %)."
            )
        if errors:
            raise ValidationError(errors)


class Agency(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("city"))
    name = models.CharField(_("name"), max_length=100)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent agency"),
    )
    order = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["city", "order", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="agency_unique_name_in_city")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) and a.strip() for a in self.aliases):
            raise ValidationError({"aliases": _("Give a list of names.")})
        if self.parent_id:
            if self.parent.city_id != self.city_id:
                raise ValidationError({"parent": _("The parent agency belongs to another city.")})
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("An agency cannot be its own ancestor.")})
                node = node.parent

    def ancestors(self) -> list["Agency"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    @classmethod
    def resolve(cls, city: City, name: str) -> "Agency | None":
        """The agency called `name` in `city`, by its name or one of its aliases (智科處 → 智慧科技處)."""
        name = name.strip()
        found = cls.objects.filter(city=city, name=name).first()
        if found:
            return found
        for agency in cls.objects.filter(city=city):
            if name in agency.aliases:
                return agency
        return None


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor (承辦)")
    HEAD = "head", _("Head (單位主管)")
    REVIEWER = "reviewer", _("Reviewer (審查)")
    ADMIN = "admin", _("研考 administrator")


AGENCY_ROLES = {Role.EDITOR, Role.HEAD}
CITY_ROLES = {Role.REVIEWER, Role.ADMIN}


class Membership(models.Model):
    """A user's role: editor or head of one agency, or reviewer or 研考 administrator of a whole city."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("city"))
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=[Role.EDITOR, Role.HEAD]) & Q(agency__isnull=False))
                | (Q(role__in=[Role.REVIEWER, Role.ADMIN]) & Q(agency__isnull=True)),
                name="membership_agency_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "agency", "role"], condition=Q(agency__isnull=False), name="membership_unique_agency_role"
            ),
            models.UniqueConstraint(
                fields=["user", "city", "role"], condition=Q(agency__isnull=True), name="membership_unique_city_role"
            ),
        ]

    def __str__(self) -> str:
        where = self.agency.name if self.agency_id else self.city.name
        return f"{self.user} · {where} · {self.get_role_display()}"

    def clean(self):
        if self.role in AGENCY_ROLES and not self.agency_id:
            raise ValidationError({"agency": _("An editor or head belongs to an agency.")})
        if self.role in CITY_ROLES and self.agency_id:
            raise ValidationError({"agency": _("Reviewers and administrators are city-wide: leave the agency empty.")})
        if self.agency_id and self.agency.city_id != self.city_id:
            raise ValidationError({"agency": _("The agency belongs to another city.")})
