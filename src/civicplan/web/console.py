"""The 研考 console: one page per city for its 研考 administrator (and the system operator) with what is otherwise
spread over several pages — the plan cycles with their status, chapter and KPI counts, last import and the
status moves allowed now; reporting freshness by agency; the chapters waiting for review or returned; the
plan books uploaded lately.

Thin: it reads. Status changes are posted to the `cycle-status` page (services.do_change_cycle_status);
freshness comes from tracking.rollups.freshness. A fixed number of queries whatever the size of the city.
"""

from collections import Counter, defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicplan.agencies.models import City, Role
from civicplan.agencies.rules import memberships_of
from civicplan.imports.models import ImportDraft
from civicplan.permissions import can, require
from civicplan.plans.models import (
    CYCLE_TRANSITIONS,
    AgencyPlan,
    ChapterStatus,
    CycleStatus,
    GoalKind,
    Indicator,
    PlanCycle,
    PlanImport,
)
from civicplan.tracking import rollups
from civicplan.tracking.models import Report, ReportStatus
from civicplan.web import forms

RECENT_DRAFTS = 10
UNFINISHED = (ReportStatus.DRAFT, ReportStatus.RETURNED)  # a report still with the agency (or none at all)

# The button that moves a cycle to each status, in the order they are offered.
MOVES = {
    CycleStatus.IN_REVIEW: gettext_lazy("Send for review (送審)"),
    CycleStatus.APPROVED: gettext_lazy("Approve (核定)"),
    CycleStatus.PUBLISHED: gettext_lazy("Publish (公布)"),
    CycleStatus.DRAFT: gettext_lazy("Back to draft"),
    CycleStatus.SUPERSEDED: gettext_lazy("Mark as superseded"),
}


def console_cities(user) -> list[City]:
    """The cities whose console the user may open: those they administer (every city: the system operator)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        candidates = list(City.objects.all())
    else:
        administered = {m.city_id: m.city for m in memberships_of(user) if m.role == Role.ADMIN}
        candidates = sorted(administered.values(), key=lambda city: (city.name, city.pk))
    return [city for city in candidates if can(user, "plans.use_console", city)]


@login_required
def console_home(request):
    cities = console_cities(request.user)
    if not cities and not request.user.is_superuser:  # the system operator sees the list, empty or not
        raise PermissionDenied(_("The 研考 console is for the 研考 administrators of a city."))
    if len(cities) == 1:
        return redirect("console", cities[0].pk)
    return render(request, "civicplan/console/home.html", {"cities": cities})


@login_required
def console(request, city_id):
    city = get_object_or_404(City, pk=city_id)
    require(request.user, "plans.use_console", city)
    today = timezone.localdate()
    return render(request, "civicplan/console/console.html", {
        "city": city,
        "today": today,
        "cycles": _cycles(request.user, city),
        "chapter_statuses": ChapterStatus.choices,
        **_chapters_waiting(city),
        "freshness": _freshness(city, today),
        "can_view_freshness": can(request.user, "tracking.view_freshness", city),
        "can_import": can(request.user, "imports.upload_plan"),
        "drafts": _recent_drafts(city),
        "other_cities": len(console_cities(request.user)) > 1,
    })


def _cycles(user, city: City) -> list[dict]:
    """Every cycle of the city: chapters counted by status, KPIs, the last import and the moves allowed."""
    cycles = list(PlanCycle.objects.filter(city=city).select_related("city"))
    chapters = defaultdict(Counter)
    for cycle_id, status, n in (AgencyPlan.objects.filter(cycle__city=city).order_by()
                                .values_list("cycle_id", "status").annotate(n=Count("id"))):
        chapters[cycle_id][status] = n
    kpis = defaultdict(Counter)
    for cycle_id, kind, n in (Indicator.objects.filter(goal__chapter__cycle__city=city).order_by()
                              .values_list("goal__chapter__cycle_id", "goal__kind").annotate(n=Count("id"))):
        kpis[cycle_id][kind] = n
    last_import = {}
    for record in (PlanImport.objects.filter(cycle__city=city).select_related("created_by")
                   .defer("document", "anomalies", "revisions", "counts").order_by("-created_at", "-id")):
        last_import.setdefault(record.cycle_id, record)
    rows = []
    for cycle in cycles:
        counts = chapters[cycle.pk]
        not_approved = sum(counts.values()) - counts[ChapterStatus.APPROVED]
        rows.append({
            "cycle": cycle,
            "chapters": [(status, label, counts[status]) for status, label in ChapterStatus.choices],
            "key_kpis": kpis[cycle.pk][GoalKind.KEY],
            "common_kpis": kpis[cycle.pk][GoalKind.COMMON],
            "last_import": last_import.get(cycle.pk),
            **_moves(user, cycle, not_approved),
        })
    return rows


def _moves(user, cycle: PlanCycle, not_approved: int) -> dict:
    """The status buttons (posted to `cycle-status`) the user may press on this cycle now."""
    if not can(user, "plans.change_cycle", cycle):
        return {"moves": [], "status_form": None}
    allowed = CYCLE_TRANSITIONS.get(cycle.status, set())
    moves = []
    for status, label in MOVES.items():
        if status in allowed:
            blocked = ""
            if status == CycleStatus.APPROVED and not_approved:
                blocked = ngettext("%(n)s chapter is not approved yet.", "%(n)s chapters are not approved yet.",
                                   not_approved) % {"n": not_approved}
            moves.append({"status": status, "label": label, "blocked": blocked})
    form = forms.CycleStatusForm(initial={"version": cycle.version}, auto_id=f"id_cycle{cycle.pk}_%s")
    return {"moves": moves, "status_form": form if moves else None}


def _chapters_waiting(city: City) -> dict:
    """Chapters of the cycles still in review: submitted (waiting for a reviewer) and returned (with why)."""
    in_review = [CycleStatus.DRAFT, CycleStatus.IN_REVIEW]
    chapters = list(
        AgencyPlan.objects.filter(cycle__city=city, cycle__status__in=in_review,
                                  status__in=[ChapterStatus.SUBMITTED, ChapterStatus.RETURNED])
        .select_related("cycle", "agency", "theme").defer("mission", "vision", "priorities")
        .order_by("-cycle__start_year", "cycle_id", "order", "id"))
    return {
        "submitted_chapters": [c for c in chapters if c.status == ChapterStatus.SUBMITTED],
        "returned_chapters": [c for c in chapters if c.status == ChapterStatus.RETURNED],
    }


def _freshness(city: City, today) -> dict:
    """tracking.rollups.freshness in short: per agency, the status of its report for the latest period due,
    and for how many days its oldest unfinished (or never started) report of the year has been overdue.
    Most overdue first."""
    data = rollups.freshness(city, today=today)
    periods = data["periods"]
    if not periods:
        return {"year": data["year"], "period": None, "rows": [], "late": 0}
    current = periods[-1]
    statuses = defaultdict(dict)  # agency → period → status of its report
    for agency_id, period_id, status in Report.objects.filter(period__in=periods).values_list(
            "agency_id", "period_id", "status"):
        statuses[agency_id][period_id] = status
    agencies = [(row["agency"], row["share"]) for row in data["rows"]]  # never-reporting agencies included
    rows = []
    for agency, share in agencies:
        mine = statuses.get(agency.pk, {})
        unfinished = [p.due_on for p in periods if mine.get(p.pk, ReportStatus.DRAFT) in UNFINISHED]
        status = mine.get(current.pk, "")
        rows.append({
            "agency": agency,
            "status": status,
            "status_label": ReportStatus(status).label if status else _("Not started"),
            "days_overdue": (today - min(unfinished)).days if unfinished else 0,
            "share": share,
        })
    rows.sort(key=lambda r: (-r["days_overdue"], r["agency"].order, r["agency"].name))
    return {"year": data["year"], "period": current, "rows": rows,
            "late": sum(1 for r in rows if r["days_overdue"] > 0)}


def _recent_drafts(city: City) -> list[ImportDraft]:
    """The plan books uploaded lately for the city (loaded ones by their cycle, others by the city read)."""
    return list(
        ImportDraft.objects.filter(Q(cycle__city=city) | Q(cycle__isnull=True, document__city=city.name))
        .select_related("created_by", "cycle").defer("lines", "document", "differences")[:RECENT_DRAFTS])
