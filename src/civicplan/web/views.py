"""Pages. Thin: read what to show, or hand the user's input to a service function and show the outcome.

Errors are answered the same way everywhere: PermissionDenied → 403 (403.html), a form or service
ValidationError → 400 with the form and the field named, ConflictError → 409 with the current values.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicplan.agencies.rules import memberships_of
from civicplan.audit.models import Action, AuditEvent
from civicplan.audit.services import events_for
from civicplan.editing import ConflictError, ValidationError
from civicplan.permissions import can, require
from civicplan.plans import services
from civicplan.plans.book import chapter_table
from civicplan.plans.visibility import visible_cycles
from civicplan.plans.models import (
    CYCLE_TRANSITIONS,
    AgencyPlan,
    CycleStatus,
    Goal,
    GoalKind,
    Indicator,
    PlanCycle,
    Section,
    Target,
    ValueKind,
)
from civicplan.targets.values import format_value, parse_value
from civicplan.tracking.models import Measurement
from civicplan.web import forms

# --- Reading --------------------------------------------------------------------------------------


@login_required
def home(request):
    cycles = list(
        visible_cycles(request.user).select_related("city").prefetch_related(
            Prefetch("chapters", queryset=AgencyPlan.objects.select_related("agency", "theme"))
        )
    )
    mine = {m.agency_id for m in memberships_of(request.user) if m.agency_id}
    from django.utils import timezone

    from civicplan.tracking.inbox import inbox

    return render(request, "civicplan/home.html", {
        "cycles": cycles, "my_agencies": mine, **inbox(request.user, today=timezone.localdate()),
    })


@login_required
def cycle_detail(request, pk):
    cycle = get_object_or_404(PlanCycle.objects.select_related("city"), pk=pk)
    require(request.user, "plans.view", cycle)
    chapters = (
        cycle.chapters.select_related("agency", "theme")
        .annotate(
            key_goals=Count("goals", filter=Q(goals__kind=GoalKind.KEY), distinct=True),
            indicator_count=Count("goals__indicators", distinct=True),
        )
    )
    status_form = None
    if can(request.user, "plans.change_cycle", cycle):
        allowed = CYCLE_TRANSITIONS.get(cycle.status, set())
        status_form = forms.CycleStatusForm(initial={"version": cycle.version})
        status_form.fields["status"].choices = [c for c in CycleStatus.choices if c[0] in allowed]
    mine = {m.agency_id for m in memberships_of(request.user) if m.agency_id}
    imports = list(cycle.imports.select_related("created_by").defer("document"))
    return render(request, "civicplan/cycle.html", {
        "cycle": cycle, "chapters": chapters, "status_form": status_form, "my_agencies": mine, "imports": imports,
    })


def _chapter_rows(chapter):
    """The book's KPI table with each KPI's latest value entered (a row opened but not filled in says nothing)."""
    latest = {}
    for m in (Measurement.objects.filter(indicator__goal__chapter=chapter).exclude(actual_raw="")
              .select_related("report__period").order_by("indicator_id", "-report__period__year",
                                                         "-report__period__seq")):
        latest.setdefault(m.indicator_id, m)
    return chapter_table(chapter, latest)


@login_required
def chapter_detail(request, pk):
    chapter = get_object_or_404(AgencyPlan.objects.select_related("cycle__city", "agency", "theme"), pk=pk)
    require(request.user, "plans.view", chapter)
    user = request.user
    sections = _chapter_rows(chapter)
    workflow = {
        "submit": can(user, "plans.submit_chapter", chapter),
        "review": can(user, "plans.review_chapter", chapter),
    }
    from civicplan.portal.opendata import page_or_table
    from civicplan.portal.views import chapter_open_table

    return page_or_table(request, lambda: render(request, "civicplan/chapter.html", {
        "chapter": chapter,
        "cycle": chapter.cycle,
        "years": chapter.cycle.years,
        "key_goals": sections[GoalKind.KEY],
        "common_goals": sections[GoalKind.COMMON],
        # The rules depend on the chapter only, so one check covers every goal, indicator and target in it.
        "can_edit": can(user, "plans.change_target", chapter),
        "can_history": can(user, "audit.view_history", chapter),
        "workflow": workflow,
        "workflow_form": forms.WorkflowForm(initial={"version": chapter.version}),
        "legend": sorted(chapter.cycle.city.eval_system_legend.items()),
        "open_section": int(request.GET["section"]) if request.GET.get("section", "").isdigit() else None,
    }), lambda: chapter_open_table(chapter, sections), f"civicplan-chapter-{chapter.pk}")


# --- Editing --------------------------------------------------------------------------------------


def _carry_out(request, form, call, *, done, message):
    """A POSTed form: validated, then `call(cleaned_data)` (a service). Returns (redirect to `done`, None, 302)
    when it was carried out, or (None, the ConflictError or None, 409/400) with the form's errors added."""
    if not form.is_valid():
        return None, None, 400
    try:
        call(form.cleaned_data)
    except ConflictError as error:
        return None, error, 409
    except ValidationError as error:
        form.add_service_errors(error)
        return None, None, 400
    messages.success(request, message)
    return redirect(done), None, 302


def _edit(request, obj, *, form_class, permission, service, back, title, template="civicplan/edit.html",
          context=None):
    """The one edit flow: GET shows the form; POST validates, calls the service, and redirects or explains."""
    require(request.user, permission, obj)
    status, conflict = 200, None
    if request.method == "POST":
        form = form_class(request.POST, instance=obj)
        done, conflict, status = _carry_out(
            request, form, lambda data: service(obj, changes=form.changes(), expected_version=data["version"],
                                                reason=data["reason"], actor=request.user),
            done=back, message=_("Saved: %(obj)s") % {"obj": obj})
        if done:
            return done
        if conflict:
            obj = type(obj).objects.get(pk=obj.pk)  # show the values saved now
    else:
        form = form_class(instance=obj)
    return render(request, template, {
        "form": form, "object": obj, "title": title, "back": back, "conflict": conflict, **(context or {}),
    }, status=status)


def _back_to_chapter(chapter, anchor=""):
    return reverse("chapter", args=[chapter.pk]) + (f"#{anchor}" if anchor else "")


def _get_target(pk):
    return get_object_or_404(Target.objects.select_related("indicator__goal__chapter__cycle__city",
                                                           "indicator__goal__chapter__agency"), pk=pk)


@login_required
def target_edit(request, pk):
    target = _get_target(pk)
    chapter = target.indicator.goal.chapter
    return _edit(request, target, form_class=forms.TargetForm, permission="plans.change_target",
                 service=services.do_update_target, back=_back_to_chapter(chapter, f"indicator-{target.indicator_id}"),
                 title=_("Target for %(year)s: %(name)s") % {"year": target.year, "name": target.indicator.name},
                 template="civicplan/target_edit.html",
                 context={"chapter": chapter, "indicator": target.indicator,
                          "all_targets": target.indicator.targets.order_by("year")})


@login_required
def target_preview(request):
    """How a typed target will be read (htmx, as the user types): kind, comparator, number, unit."""
    parsed = parse_value(request.GET.get("raw", ""))
    return render(request, "civicplan/_target_preview.html", {
        "parsed": parsed, "kind": ValueKind(parsed.kind).label, "shown": format_value(parsed),
        "number": _plain_number(parsed.number) if parsed.number is not None and parsed.multiplier != 1 else ""})


def _plain_number(number) -> str:
    normal = number.normalize()
    return f"{int(normal):,}" if normal == normal.to_integral() else format(normal, "f")


@login_required
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("goal__chapter__cycle__city",
                                                                   "goal__chapter__agency"), pk=pk)
    chapter = indicator.goal.chapter
    return _edit(request, indicator, form_class=forms.IndicatorForm, permission="plans.change_indicator",
                 service=services.do_update_indicator, back=_back_to_chapter(chapter, f"indicator-{indicator.pk}"),
                 title=_("Indicator: %(name)s") % {"name": indicator.name},
                 context={"chapter": chapter, "owners": indicator.ownerships.select_related("agency")})


@login_required
def goal_edit(request, pk):
    goal = get_object_or_404(Goal.objects.select_related("chapter__cycle__city", "chapter__agency"), pk=pk)
    return _edit(request, goal, form_class=forms.GoalForm, permission="plans.change_goal",
                 service=services.do_update_goal, back=_back_to_chapter(goal.chapter, f"goal-{goal.pk}"),
                 title=_("Goal: %(name)s") % {"name": goal.name}, context={"chapter": goal.chapter})


@login_required
def chapter_edit(request, pk):
    chapter = get_object_or_404(AgencyPlan.objects.select_related("cycle__city", "agency"), pk=pk)
    return _edit(request, chapter, form_class=forms.ChapterForm, permission="plans.change_chapter",
                 service=services.do_update_chapter, back=_back_to_chapter(chapter),
                 title=_("Mission and vision: %(chapter)s") % {"chapter": chapter}, context={"chapter": chapter})


@login_required
def indicator_add(request, pk):
    goal = get_object_or_404(Goal.objects.select_related("chapter__cycle__city", "chapter__agency"), pk=pk)
    require(request.user, "plans.add_indicator", goal)
    status = 200
    if request.method == "POST":
        form = forms.IndicatorCreateForm(request.POST, goal=goal, instance=Indicator(goal=goal))
        if form.is_valid():
            try:
                indicator = services.do_create_indicator(goal, fields=form.fields_for_service(),
                                                         reason=form.cleaned_data["reason"], actor=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Added: %(obj)s") % {"obj": indicator})
                return redirect(_back_to_chapter(goal.chapter, f"indicator-{indicator.pk}"))
        status = 400
    else:
        form = forms.IndicatorCreateForm(goal=goal, instance=Indicator(goal=goal))
    return render(request, "civicplan/edit.html", {
        "form": form, "object": goal, "chapter": goal.chapter, "back": _back_to_chapter(goal.chapter),
        "title": _("New indicator under: %(goal)s") % {"goal": goal.name},
    }, status=status)


def _delete(request, obj, *, permission, service, chapter, done, back, title, explanation):
    """The one delete flow: GET asks for the reason; POST calls the service (version checked) and redirects."""
    require(request.user, permission, obj)
    status, conflict = 200, None
    if request.method == "POST":
        form = forms.ReasonedForm(request.POST)
        deleted, conflict, status = _carry_out(
            request, form, lambda data: service(obj, expected_version=data["version"], reason=data["reason"],
                                                actor=request.user),
            done=done, message=_("Deleted: %(obj)s") % {"obj": obj})
        if deleted:
            return deleted
    else:
        form = forms.ReasonedForm(initial={"version": obj.version})
    return render(request, "civicplan/delete.html", {
        "form": form, "object": obj, "chapter": chapter, "conflict": conflict, "back": back, "title": title,
        "explanation": explanation,
    }, status=status)


@login_required
def indicator_delete(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("goal__chapter__cycle__city",
                                                                   "goal__chapter__agency"), pk=pk)
    chapter = indicator.goal.chapter
    return _delete(request, indicator, permission="plans.delete_indicator", service=services.do_delete_indicator,
                   chapter=chapter, done=_back_to_chapter(chapter),
                   back=_back_to_chapter(chapter, f"indicator-{indicator.pk}"),
                   title=_("Delete indicator"),
                   explanation=_("The indicator and its targets are removed from this draft. The history keeps "
                                 "what was deleted, by whom and why."))


@login_required
@require_POST
def chapter_workflow(request, pk):
    chapter = get_object_or_404(AgencyPlan.objects.select_related("cycle__city", "agency"), pk=pk)
    require(request.user, "plans.view", chapter)
    form = forms.WorkflowForm(request.POST)
    step = {"submit": services.do_submit_chapter, "return": services.do_return_chapter,
            "approve": services.do_approve_chapter}
    if form.is_valid():
        try:
            step[form.cleaned_data["action"]](chapter, expected_version=form.cleaned_data["version"],
                                              reason=form.cleaned_data["reason"], actor=request.user)
        except ConflictError as error:
            return _problem(request, error, 409, back=_back_to_chapter(chapter))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("%(chapter)s: %(status)s")
                             % {"chapter": chapter, "status": dict(forms.WorkflowForm.ACTIONS)[form.cleaned_data["action"]]})
            return redirect(_back_to_chapter(chapter))
    return _problem(request, form, 400, back=_back_to_chapter(chapter))


@login_required
@require_POST
def cycle_status(request, pk):
    cycle = get_object_or_404(PlanCycle.objects.select_related("city"), pk=pk)
    require(request.user, "plans.change_cycle", cycle)
    form = forms.CycleStatusForm(request.POST)
    back = _safe_next(request) or reverse("cycle", args=[cycle.pk])
    if form.is_valid():
        try:
            services.do_change_cycle_status(cycle, status=form.cleaned_data["status"],
                                            expected_version=form.cleaned_data["version"],
                                            reason=form.cleaned_data["reason"], actor=request.user)
        except ConflictError as error:
            return _problem(request, error, 409, back=back)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The cycle is now: %(status)s") % {"status": cycle.get_status_display()})
            return redirect(back)
    return _problem(request, form, 400, back=back)


def _safe_next(request) -> str | None:
    """A `next` page on this site to return to (the 研考 console posts status changes from its own page)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


def _problem(request, problem, status, *, back):
    """A POST that could not be carried out: say why (a form's errors, a conflict, a service's ValidationError or
    a message), link back."""
    if isinstance(problem, ValidationError):
        problem = " ".join(problem.messages)
    return render(request, "civicplan/problem.html", {
        "form": problem if isinstance(problem, forms.forms.Form) else None,
        "conflict": problem if isinstance(problem, (ConflictError, str)) else None,
        "back": back,
    }, status=status)


# --- History --------------------------------------------------------------------------------------

HISTORY_KINDS = {
    "cycle": PlanCycle,
    "chapter": AgencyPlan,
    "goal": Goal,
    "indicator": Indicator,
    "target": Target,
    "section": Section,
}


def _field_labels() -> dict:
    """Field name → its verbose name, for showing “old → new” in words the user knows."""
    labels = {}
    for model in (Section, Target, Indicator, Goal, AgencyPlan, PlanCycle):
        labels.update({f.name: str(f.verbose_name) for f in model._meta.fields})
    return labels


def _history_rows(obj):
    """simple-history's versions of obj, newest first, each with the fields it changed (old → new)."""
    if not hasattr(obj, "history"):
        return []
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
    rows = []
    for newer, older in zip(records, [*records[1:], None]):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            changes = [(c.field, c.old, c.new) for c in delta.changes if c.field not in ("version",)]
        rows.append({"record": newer, "changes": changes})
    return rows


@login_required
def history(request, kind, pk):
    model = HISTORY_KINDS.get(kind)
    if model is None:
        raise Http404(kind)
    obj = get_object_or_404(model, pk=pk)
    require(request.user, "audit.view_history", obj)
    events = list(events_for(obj)[:500])
    inside = []
    if isinstance(obj, AgencyPlan):
        # What happened inside the chapter: its sections, goals, indicators and targets, and deleted indicators
        # and sections.
        goal_ids = [str(i) for i in obj.goals.values_list("pk", flat=True)]
        indicator_ids = [str(i) for i in Indicator.objects.filter(goal__chapter=obj).values_list("pk", flat=True)]
        target_ids = [str(i) for i in Target.objects.filter(indicator__goal__chapter=obj).values_list("pk", flat=True)]
        section_ids = [str(i) for i in obj.sections.values_list("pk", flat=True)]
        types = ContentType.objects.get_for_models(Section, Goal, Indicator, Target)
        inside = list(
            AuditEvent.objects.filter(
                Q(content_type=types[Goal], object_id__in=goal_ids)
                | Q(content_type=types[Indicator], object_id__in=indicator_ids)
                | Q(content_type=types[Target], object_id__in=target_ids)
                | Q(content_type=types[Section], object_id__in=section_ids)
                | Q(action__in=(Action.INDICATOR_DELETED, Action.SECTION_DELETED), agency=obj.agency,
                    city=obj.cycle.city)
            ).select_related("actor")[:500]
        )
    return render(request, "civicplan/history.html", {
        "object": obj, "kind": kind, "events": events, "inside": inside, "versions": _history_rows(obj),
        "labels": _field_labels(),
    })
