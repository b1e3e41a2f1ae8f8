"""Every write to plans: `do_<verb>_<noun>(..., actor)` — permission, one transaction, AuditEvent, history."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.agencies.models import Agency, City
from civicplan.audit.models import Action
from civicplan.audit.services import record
from civicplan.editing import ValidationError, apply_changes, check_version, lock, snapshot
from civicplan.permissions import require
from civicplan.plans.models import (
    CYCLE_TRANSITIONS,
    AgencyPlan,
    ChapterStatus,
    CycleStatus,
    Goal,
    Indicator,
    IndicatorOwner,
    OwnerRole,
    PlanCycle,
    Section,
    Target,
)
from civicplan.targets.values import parse_value

CHAPTER_FIELDS = ("mission", "vision", "priorities")
GOAL_FIELDS = ("label", "code", "name", "perspective", "description")
INDICATOR_FIELDS = (
    "label", "code", "name", "eval_system", "eval_method", "standard", "unit", "direction", "weight", "wccd",
    "period_profile",
)
TARGET_FIELDS = ("raw", "note", "cumulative")
SECTION_FIELDS = ("label", "heading", "text")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this change (修改理由).")})
    return reason


def _audit_chapter(action, obj, chapter, *, actor, old=None, new=None, reason=""):
    return record(action, actor=actor, obj=obj, city=chapter.cycle.city, agency=chapter.agency,
                  old=old, new=new, reason=reason)


# --- Plan cycles --------------------------------------------------------------------------------

@transaction.atomic
def do_create_cycle(city: City, *, kind: str, start_year: int, end_year: int, title: str = "",
                    rolled_forward_from: PlanCycle | None = None, actor) -> PlanCycle:
    require(actor, "plans.add_cycle", city)
    cycle = PlanCycle(city=city, kind=kind, start_year=start_year, end_year=end_year, title=title,
                      rolled_forward_from=rolled_forward_from)
    cycle.full_clean()
    cycle._history_user = actor
    cycle.save()
    record(Action.CYCLE_CREATED, actor=actor, obj=cycle, city=city,
           new=snapshot(cycle, ("kind", "start_year", "end_year", "title", "status")))
    return cycle


@transaction.atomic
def do_change_cycle_status(cycle: PlanCycle, *, status: str, expected_version: int, reason: str = "",
                           actor) -> PlanCycle:
    cycle = lock(PlanCycle, cycle.pk)
    require(actor, "plans.change_cycle", cycle)
    if status not in CYCLE_TRANSITIONS.get(cycle.status, set()):
        raise ValidationError({"status": _("A cycle cannot go from “%(old)s” to “%(new)s”.")
                               % {"old": cycle.get_status_display(), "new": status}})
    if status == CycleStatus.APPROVED:
        pending = [str(c) for c in cycle.chapters.exclude(status=ChapterStatus.APPROVED).select_related("agency")]
        if pending:
            raise ValidationError({"status": _("These chapters are not approved yet: %(list)s")
                                   % {"list": "、".join(pending)}})
    old, new = apply_changes(cycle, {"status": status}, actor=actor, reason=reason,
                             expected_version=expected_version, editable_fields=("status",))
    record(Action.CYCLE_STATUS_CHANGED, actor=actor, obj=cycle, city=cycle.city, old=old, new=new, reason=reason)
    return cycle


# --- Chapters -----------------------------------------------------------------------------------

@transaction.atomic
def do_update_chapter(chapter: AgencyPlan, *, changes: dict, expected_version: int, reason: str,
                      actor) -> AgencyPlan:
    chapter = lock(AgencyPlan, chapter.pk)
    require(actor, "plans.change_chapter", chapter)
    reason = _require_reason(reason)
    old, new = apply_changes(chapter, changes, actor=actor, reason=reason, expected_version=expected_version,
                             editable_fields=CHAPTER_FIELDS)
    if old or new:
        _audit_chapter(Action.CHAPTER_CHANGED, chapter, chapter, actor=actor, old=old, new=new, reason=reason)
    return chapter


def _move_chapter(chapter, *, to: str, permission: str, action, expected_version, reason, actor,
                  extra: dict | None = None):
    chapter = lock(AgencyPlan, chapter.pk)
    require(actor, permission, chapter)
    changes = {"status": to, **(extra or {})}
    old, new = apply_changes(chapter, changes, actor=actor, reason=reason, expected_version=expected_version,
                             editable_fields=("status", "return_reason"))
    _audit_chapter(action, chapter, chapter, actor=actor, old=old, new=new, reason=reason)
    return chapter


@transaction.atomic
def do_submit_chapter(chapter: AgencyPlan, *, expected_version: int, reason: str = "", actor) -> AgencyPlan:
    """The agency head (單位主管) sends the chapter to the 研考 unit for review."""
    return _move_chapter(chapter, to=ChapterStatus.SUBMITTED, permission="plans.submit_chapter",
                         action=Action.CHAPTER_SUBMITTED, expected_version=expected_version, reason=reason,
                         actor=actor, extra={"return_reason": ""})


@transaction.atomic
def do_return_chapter(chapter: AgencyPlan, *, expected_version: int, reason: str, actor) -> AgencyPlan:
    """A reviewer returns the chapter for revision, saying why (退回)."""
    reason = _require_reason(reason)
    return _move_chapter(chapter, to=ChapterStatus.RETURNED, permission="plans.review_chapter",
                         action=Action.CHAPTER_RETURNED, expected_version=expected_version, reason=reason,
                         actor=actor, extra={"return_reason": reason})


@transaction.atomic
def do_approve_chapter(chapter: AgencyPlan, *, expected_version: int, reason: str = "", actor) -> AgencyPlan:
    return _move_chapter(chapter, to=ChapterStatus.APPROVED, permission="plans.review_chapter",
                         action=Action.CHAPTER_APPROVED, expected_version=expected_version, reason=reason,
                         actor=actor)


# --- Goals, indicators, targets -----------------------------------------------------------------

@transaction.atomic
def do_update_goal(goal: Goal, *, changes: dict, expected_version: int, reason: str, actor) -> Goal:
    goal = lock(Goal, goal.pk)
    require(actor, "plans.change_goal", goal)
    reason = _require_reason(reason)
    old, new = apply_changes(goal, changes, actor=actor, reason=reason, expected_version=expected_version,
                             editable_fields=GOAL_FIELDS)
    if old or new:
        _audit_chapter(Action.GOAL_CHANGED, goal, goal.chapter, actor=actor, old=old, new=new, reason=reason)
    return goal


@transaction.atomic
def do_update_indicator(indicator: Indicator, *, changes: dict, expected_version: int, reason: str,
                        actor) -> Indicator:
    indicator = lock(Indicator, indicator.pk)
    require(actor, "plans.change_indicator", indicator)
    reason = _require_reason(reason)
    if "direction" in changes:  # saving the form is a person's confirmation of the (suggested) direction
        changes = {**changes, "direction_confirmed": True}
    old, new = apply_changes(indicator, changes, actor=actor, reason=reason, expected_version=expected_version,
                             editable_fields=(*INDICATOR_FIELDS, "direction_confirmed"))
    if old or new:
        _audit_chapter(Action.INDICATOR_CHANGED, indicator, indicator.chapter, actor=actor, old=old, new=new,
                       reason=reason)
    return indicator


@transaction.atomic
def do_create_indicator(goal: Goal, *, fields: dict, reason: str, actor) -> Indicator:
    """Add a KPI to a goal, owned by the chapter's agency, with an empty target for every year."""
    goal = lock(Goal, goal.pk)
    require(actor, "plans.add_indicator", goal)
    reason = _require_reason(reason)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be set here.") for f in sorted(unknown)})
    last = goal.indicators.order_by("-order").values_list("order", flat=True).first() or 0
    indicator = Indicator(goal=goal, order=last + 1, **fields)
    if not indicator.label:
        indicator.label = str(last + 1)
    indicator.full_clean()
    indicator._history_user = actor
    indicator._change_reason = reason
    indicator.save()
    if goal.chapter.agency_id:
        IndicatorOwner.objects.create(indicator=indicator, agency=goal.chapter.agency, role=OwnerRole.LEAD)
    for year in goal.chapter.cycle.years:
        target = Target(indicator=indicator, year=year)
        target._history_user = actor
        target._change_reason = reason
        target.save()
    _audit_chapter(Action.INDICATOR_CREATED, indicator, goal.chapter, actor=actor,
                   new=snapshot(indicator, ("name", *fields)), reason=reason)
    return indicator


@transaction.atomic
def do_delete_indicator(indicator: Indicator, *, expected_version: int, reason: str, actor) -> None:
    indicator = lock(Indicator, indicator.pk)
    require(actor, "plans.delete_indicator", indicator)
    reason = _require_reason(reason)
    check_version(indicator, expected_version)
    chapter = indicator.chapter
    old = snapshot(indicator, ("name", *INDICATOR_FIELDS))
    old["targets"] = {t.year: t.raw for t in indicator.targets.all()}
    _audit_chapter(Action.INDICATOR_DELETED, indicator, chapter, actor=actor, old=old, reason=reason)
    for target in indicator.targets.all():
        target._history_user = actor
        target._change_reason = reason
        target.delete()
    indicator._history_user = actor
    indicator._change_reason = reason
    indicator.delete()


def parsed_fields(raw: str) -> dict:
    parsed = parse_value(raw)
    return {"value": parsed.number, "unit": parsed.unit, "comparator": parsed.comparator, "kind": parsed.kind}


@transaction.atomic
def do_update_target(target: Target, *, changes: dict, expected_version: int, reason: str, actor) -> Target:
    """Change a year's target. The raw text is kept as typed; its parsed value is derived from it."""
    target = lock(Target, target.pk)
    require(actor, "plans.change_target", target)
    reason = _require_reason(reason)
    if "raw" in changes:
        changes = {**changes, "raw": (changes["raw"] or "").strip()}
        derived = parsed_fields(changes["raw"])
    else:
        derived = {}
    old, new = apply_changes(target, {**changes, **derived}, actor=actor, reason=reason,
                             expected_version=expected_version,
                             editable_fields=(*TARGET_FIELDS, "value", "unit", "comparator", "kind"))
    if old or new:
        _audit_chapter(Action.TARGET_CHANGED, target, target.indicator.chapter, actor=actor, old=old, new=new,
                       reason=reason)
    return target


# --- Narrative sections -------------------------------------------------------------------------
# A section is part of the chapter's text: whoever may change the chapter (mission, vision) may change its sections.

@transaction.atomic
def do_update_section(section: Section, *, changes: dict, expected_version: int, reason: str, actor) -> Section:
    section = lock(Section, section.pk)
    require(actor, "plans.change_chapter", section)
    reason = _require_reason(reason)
    old, new = apply_changes(section, changes, actor=actor, reason=reason, expected_version=expected_version,
                             editable_fields=SECTION_FIELDS)
    if old or new:
        _audit_chapter(Action.SECTION_CHANGED, section, section.chapter, actor=actor, old=old, new=new,
                       reason=reason)
    return section


@transaction.atomic
def do_create_section(chapter: AgencyPlan, *, fields: dict, reason: str, actor,
                      after: Section | None = None) -> Section:
    """Add a narrative section at the end of the chapter, or right after `after` (later sections move down)."""
    chapter = lock(AgencyPlan, chapter.pk)
    require(actor, "plans.change_chapter", chapter)
    reason = _require_reason(reason)
    unknown = set(fields) - set(SECTION_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be set here.") for f in sorted(unknown)})
    if after is not None:
        if after.chapter_id != chapter.pk:
            raise ValidationError({"after": _("That section belongs to another chapter.")})
        order = after.order + 1
        # Renumbering is bookkeeping, not a change of the sections' content: no version bump, no history row.
        chapter.sections.filter(order__gte=order).update(order=F("order") + 1)
    else:
        order = (chapter.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    section = Section(chapter=chapter, order=order, **fields)
    section.full_clean()
    section._history_user = actor
    section._change_reason = reason
    section.save()
    _audit_chapter(Action.SECTION_CREATED, section, chapter, actor=actor,
                   new=snapshot(section, ("order", *SECTION_FIELDS)), reason=reason)
    return section


@transaction.atomic
def do_delete_section(section: Section, *, expected_version: int, reason: str, actor) -> None:
    section = lock(Section, section.pk)
    require(actor, "plans.change_chapter", section)
    reason = _require_reason(reason)
    check_version(section, expected_version)
    _audit_chapter(Action.SECTION_DELETED, section, section.chapter, actor=actor,
                   old=snapshot(section, ("order", *SECTION_FIELDS, "source_file", "source_line_start")),
                   reason=reason)
    section._history_user = actor
    section._change_reason = reason
    section.delete()


# --- Owners (主責 / 協辦) ------------------------------------------------------------------------

def _owner_names(ownerships) -> dict:
    lead = [o.agency.name for o in ownerships if o.role == OwnerRole.LEAD]
    co = [o.agency.name for o in ownerships if o.role == OwnerRole.CO]
    return {"lead": "、".join(lead), "co": co}


@transaction.atomic
def do_set_indicator_owners(indicator: Indicator, *, lead: Agency | None, co=(), reason: str, actor,
                            expected_version: int | None = None) -> Indicator:
    """Set the lead agency (主責, exactly one) and the co-owner agencies (協辦) of a KPI, all of the chapter's city.

    The KPI's version is checked when `expected_version` is given and bumped when the owners change, so that two
    people changing the owners of one KPI do not overwrite each other.
    """
    indicator = lock(Indicator, indicator.pk)
    require(actor, "plans.change_indicator", indicator)
    reason = _require_reason(reason)
    if expected_version is not None:
        check_version(indicator, expected_version)
    city_id = indicator.goal.chapter.cycle.city_id
    co = list(dict.fromkeys(co or ()))
    errors = {}
    if lead is None:
        errors["lead"] = _("Choose the lead agency (主責): a KPI has exactly one.")
    elif lead.city_id != city_id:
        errors["lead"] = _("%(agency)s is not an agency of this city.") % {"agency": lead}
    foreign = [a.name for a in co if a.city_id != city_id]
    if foreign:
        errors["co"] = _("Not agencies of this city: %(list)s") % {"list": "、".join(foreign)}
    elif lead is not None and any(a.pk == lead.pk for a in co):
        errors["co"] = _("%(agency)s is the lead agency; it cannot also be a co-owner.") % {"agency": lead}
    if errors:
        raise ValidationError(errors)
    current = list(indicator.ownerships.select_related("agency").order_by("role", "agency__order", "agency__name"))
    wanted = {lead.pk: OwnerRole.LEAD, **{a.pk: OwnerRole.CO for a in co}}
    if {o.agency_id: o.role for o in current} == wanted:
        return indicator
    old = _owner_names(current)
    IndicatorOwner.objects.filter(indicator=indicator).delete()
    IndicatorOwner.objects.bulk_create(
        [IndicatorOwner(indicator=indicator, agency=lead, role=OwnerRole.LEAD)]
        + [IndicatorOwner(indicator=indicator, agency=a, role=OwnerRole.CO) for a in co])
    new = {"lead": lead.name, "co": [a.name for a in sorted(co, key=lambda a: (a.order, a.name))]}
    # The owners are part of the KPI: its version moves on (no history row: the audit event has old and new names).
    indicator.version += 1
    Indicator.objects.filter(pk=indicator.pk).update(version=indicator.version, updated_at=timezone.now())
    _audit_chapter(Action.INDICATOR_OWNERS_CHANGED, indicator, indicator.goal.chapter, actor=actor, old=old,
                   new=new, reason=reason)
    return indicator
