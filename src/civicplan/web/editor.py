"""The chapter editor's pages beyond the edit forms of views.py: narrative sections (edit, add, delete), a KPI's
lead and co-owner agencies, inline validation of the goal and indicator forms (htmx), and the source of every
imported record (file, page, the lines it was read from).

Thin like views.py: permissions and writes are in the service functions; errors are answered the same way
(403 page, 400 with the form, 409 with the current values).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civicplan.editing import ValidationError
from civicplan.permissions import require
from civicplan.plans import services
from civicplan.plans.models import AgencyPlan, Goal, Indicator, PlanSourceText, Section
from civicplan.plans.rules import chapter_of
from civicplan.web import forms
from civicplan.web.views import _back_to_chapter, _carry_out, _delete, _edit

SOURCE_CONTEXT = 5  # lines shown either side of a record's source span
SOURCE_MAX_LINES = 400  # a chapter's span can be its whole part of the book: the page shows this much of it

_CHAPTER = ("cycle__city", "agency", "theme")
_IN_CHAPTER = tuple(f"chapter__{name}" for name in _CHAPTER)


def _chapter(pk):
    return get_object_or_404(AgencyPlan.objects.select_related(*_CHAPTER), pk=pk)


def _section(pk):
    return get_object_or_404(Section.objects.select_related(*_IN_CHAPTER), pk=pk)


def _goal(pk):
    return get_object_or_404(Goal.objects.select_related(*_IN_CHAPTER), pk=pk)


def _indicator(pk):
    return get_object_or_404(Indicator.objects.select_related(*(f"goal__{name}" for name in _IN_CHAPTER)), pk=pk)


# --- Sections -------------------------------------------------------------------------------------


@login_required
def section_edit(request, pk):
    section = _section(pk)
    chapter = section.chapter
    return _edit(request, section, form_class=forms.SectionForm, permission="plans.change_chapter",
                 service=services.do_update_section, back=_back_to_chapter(chapter, f"section-{section.pk}"),
                 title=_("Section: %(section)s") % {"section": section}, context={"chapter": chapter})


@login_required
def section_add(request, pk):
    chapter = _chapter(pk)
    require(request.user, "plans.change_chapter", chapter)
    status = 200
    if request.method == "POST":
        form = forms.SectionCreateForm(request.POST, chapter=chapter, instance=Section(chapter=chapter))
        if form.is_valid():
            try:
                section = services.do_create_section(chapter, fields=form.fields_for_service(),
                                                     after=form.cleaned_data["after"],
                                                     reason=form.cleaned_data["reason"], actor=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Added: %(obj)s") % {"obj": section})
                return redirect(_back_to_chapter(chapter, f"section-{section.pk}"))
        status = 400
    else:
        form = forms.SectionCreateForm(chapter=chapter, instance=Section(chapter=chapter),
                                       initial={"after": chapter.sections.order_by("-order", "-id").first()})
    return render(request, "civicplan/edit.html", {
        "form": form, "object": chapter, "chapter": chapter, "back": _back_to_chapter(chapter, "sections"),
        "title": _("New section in: %(chapter)s") % {"chapter": chapter},
    }, status=status)


@login_required
def section_delete(request, pk):
    section = _section(pk)
    chapter = section.chapter
    return _delete(request, section, permission="plans.change_chapter", service=services.do_delete_section,
                   chapter=chapter, done=_back_to_chapter(chapter, "sections"),
                   back=_back_to_chapter(chapter, f"section-{section.pk}"), title=_("Delete section"),
                   explanation=_("The section is removed from this draft. The history keeps what was deleted, "
                                 "by whom and why."))


# --- Owners (主責 / 協辦) ----------------------------------------------------------------------------


@login_required
def indicator_owners(request, pk):
    indicator = _indicator(pk)
    chapter = indicator.goal.chapter
    require(request.user, "plans.change_indicator", indicator)
    back = _back_to_chapter(chapter, f"indicator-{indicator.pk}")
    status, conflict = 200, None
    if request.method == "POST":
        form = forms.OwnersForm(request.POST, indicator=indicator)
        done, conflict, status = _carry_out(
            request, form, lambda data: services.do_set_indicator_owners(
                indicator, lead=data["lead"], co=list(data["co"]), expected_version=data["version"],
                reason=data["reason"], actor=request.user),
            done=back, message=_("Saved: %(obj)s") % {"obj": indicator})
        if done:
            return done
    else:
        form = forms.OwnersForm(indicator=indicator)
    return render(request, "civicplan/editor/owners.html", {
        "form": form, "object": indicator, "chapter": chapter, "back": back, "conflict": conflict,
        "current_owners": indicator.ownerships.select_related("agency"),
        "title": _("Lead and co-owner agencies: %(name)s") % {"name": indicator.name},
    }, status=status)


# --- Inline validation (htmx) ---------------------------------------------------------------------


def _field_errors(request, form):
    """The errors of the field the user just changed: htmx names it in HX-Trigger-Name (or `_field`)."""
    data = request.POST if request.method == "POST" else request.GET
    name = request.headers.get("HX-Trigger-Name") or data.get("_field", "")
    errors = form.field_errors(name) if data else []
    return render(request, "civicplan/editor/_field_errors.html", {"errors": errors})


def _data(request):
    return request.POST if request.method == "POST" else (request.GET or None)


@login_required
def indicator_validate(request, pk):
    indicator = _indicator(pk)
    require(request.user, "plans.change_indicator", indicator)
    return _field_errors(request, forms.IndicatorForm(_data(request), instance=indicator))


@login_required
def indicator_add_validate(request, pk):
    goal = _goal(pk)
    require(request.user, "plans.add_indicator", goal)
    return _field_errors(request, forms.IndicatorCreateForm(_data(request), goal=goal, instance=Indicator(goal=goal)))


@login_required
def goal_validate(request, pk):
    goal = _goal(pk)
    require(request.user, "plans.change_goal", goal)
    return _field_errors(request, forms.GoalForm(_data(request), instance=goal))


# --- Sources --------------------------------------------------------------------------------------

SOURCE_KINDS = {
    "chapter": (AgencyPlan, _CHAPTER),
    "section": (Section, _IN_CHAPTER),
    "goal": (Goal, _IN_CHAPTER),
    "indicator": (Indicator, tuple(f"goal__{name}" for name in _IN_CHAPTER)),
}


def source_text(chapter: AgencyPlan, file_name: str) -> list[str] | None:
    """The kept text of `file_name`: from the chapter's cycle's newest import of it, else from the city's (a record
    carried into a later cycle still cites the book it was read from); None if it was not kept."""
    if not file_name:
        return None
    texts = PlanSourceText.objects.filter(file_name=file_name).order_by("-plan_import__created_at", "-plan_import_id")
    for scope in ({"plan_import__cycle_id": chapter.cycle_id}, {"plan_import__cycle__city_id": chapter.cycle.city_id}):
        lines = texts.filter(**scope).values_list("lines", flat=True).first()
        if lines is not None:
            return lines
    return None


@login_required
def source(request, kind, pk):
    """Where an imported record was read: the file, the page, and its lines with five either side."""
    if kind not in SOURCE_KINDS:
        raise Http404(kind)
    model, related = SOURCE_KINDS[kind]
    obj = get_object_or_404(model.objects.select_related(*related), pk=pk)
    require(request.user, "plans.view", obj)
    chapter = chapter_of(obj)
    first, last = obj.source_line_start, obj.source_line_end or obj.source_line_start
    lines = source_text(chapter, obj.source_file) if obj.source_file else None
    excerpt, missing_lines, cut = [], False, 0
    if lines is not None and first:
        if first > len(lines):
            missing_lines = True
        else:
            shown_last = min(len(lines), last + SOURCE_CONTEXT)
            if last - first + 1 > SOURCE_MAX_LINES:
                cut = shown_last - (first + SOURCE_MAX_LINES - 1)
                shown_last = first + SOURCE_MAX_LINES - 1
            for number in range(max(1, first - SOURCE_CONTEXT), shown_last + 1):
                excerpt.append({"number": number, "text": lines[number - 1].replace("\t", " ⇥ "),
                                "named": first <= number <= last})
    anchor = {"chapter": "", "section": f"section-{obj.pk}", "goal": f"goal-{obj.pk}",
              "indicator": f"indicator-{obj.pk}"}[kind]
    return render(request, "civicplan/editor/source.html", {
        "object": obj, "kind": kind, "chapter": chapter, "back": _back_to_chapter(chapter, anchor),
        "kept": lines is not None, "excerpt": excerpt, "missing_lines": missing_lines, "cut": cut,
        "first": first, "last": last, "line_count": len(lines) if lines is not None else 0,
    })
