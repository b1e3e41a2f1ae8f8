"""Load a plan document (the interchange format civicplan.plan/1) into the database.

One transaction: a document with an error anywhere loads nothing, and the error names the place
(`chapters[2].goals[0].indicators[3].targets[1].year`). Every record is validated with the model's own checks,
then written in bulk with its history row (django-simple-history), so a whole plan book loads in seconds.

Loading the same file again changes nothing. A changed document for a cycle that exists is refused with the
differences listed, unless `replace=True`: then the draft cycle's content is replaced (an approved cycle is
never replaced in place).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from civicplan import interchange
from civicplan.agencies.models import Agency, City
from civicplan.audit.models import Action
from civicplan.audit.services import record
from civicplan.editing import ValidationError
from civicplan.interchange.serialise import FormatError
from civicplan.permissions import require
from civicplan.plans.exporting import chapter_key, cycle_to_document, diff_documents
from civicplan.plans.models import (
    AgencyPlan,
    Goal,
    GoalKind,
    Indicator,
    IndicatorOwner,
    OwnerRole,
    PlanCycle,
    PlanImport,
    PlanKind,
    PlanSourceText,
    Section,
    Target,
    Theme,
)
from civicplan.plans.services import parsed_fields
from civicplan.targets.direction import suggest_direction
from civicplan.targets.values import classify_series

FORMAT = interchange.FORMAT
# Owner cells that name a group, not an agency (the Taipei map's 本組成員機關): kept as a flag, not an agency.
PLACEHOLDER_OWNER_SUFFIXES = ("成員機關", "相關機關", "各機關", "各局處")


class DocumentError(ValidationError):
    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where


class ReplaceNeeded(ValidationError):
    """The cycle exists with different content: the caller must ask for replace, having seen the differences."""

    def __init__(self, cycle: PlanCycle, differences: list[str]):
        self.cycle = cycle
        self.differences = differences
        super().__init__(
            _("%(cycle)s exists with different content (%(n)s differences); replace it to load this file.")
            % {"cycle": cycle, "n": len(differences)}
        )


@dataclass
class LoadResult:
    cycle: PlanCycle
    status: str  # loaded | unchanged | replaced
    counts: dict = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)


def _document(document) -> interchange.PlanDocument:
    if isinstance(document, interchange.PlanDocument):
        return document
    try:
        return interchange.from_dict(document)
    except FormatError as error:
        where = error.where.replace("document.", "", 1) if error.where.startswith("document.") else error.where
        raise DocumentError(where, str(error).split(": ", 1)[-1]) from None


def _clean(obj, where: str, exclude=None):
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
        raise DocumentError(where, details) from None


def _source(source: interchange.Source, default_file: str) -> dict:
    lines = source.lines or [None, None]
    if len(lines) != 2:
        raise DocumentError("source.lines", _("expected [first, last]"))
    return {"source_file": source.file or default_file, "source_page": source.page,
            "source_line_start": lines[0], "source_line_end": lines[1]}


def _city(document, actor) -> City:
    city = City.objects.filter(name=document.city).first()
    if city is None:
        # A new city is set up by the system operator (a Django superuser); after that, its 研考 admins load.
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied(_("Only the system operator may add a new city (%(c)s).") % {"c": document.city})
        if not document.city.strip():
            raise DocumentError("document.city", _("missing"))
        # The city's settings start from what its book uses (e.g. Taipei's 顧客/內部流程/學習成長/財務 構面).
        used = list(dict.fromkeys(g.perspective for c in document.chapters for g in c.goals if g.perspective))
        city = City(name=document.city)
        if used and not set(used) <= set(city.perspectives):
            city.perspectives = used
        city.save()
    elif not _is_operator(actor):
        require(actor, "plans.add_cycle", city)
    return city


def _is_operator(actor) -> bool:
    """The system operator (a Django superuser) loads plan books for any city; the cycle lock still holds."""
    return bool(getattr(actor, "is_superuser", False) and actor.is_active)


class _AgencyBook:
    """Agencies of a city by name or alias, read once, created on first sight (a plan book names its agencies)."""

    def __init__(self, city: City):
        self.city = city
        self.by_name: dict[str, Agency] = {}
        agencies = list(city.agencies.all())
        for agency in agencies:  # names first: an alias never hides another agency's own name
            self.by_name[agency.name] = agency
        for agency in agencies:
            for alias in agency.aliases:
                self.by_name.setdefault(alias, agency)
        self.next_order = len(agencies) + 1

    def get(self, name: str) -> Agency:
        name = name.strip()
        agency = self.by_name.get(name)
        if agency is None:
            agency = Agency.objects.create(city=self.city, name=name, order=self.next_order)
            self.by_name[name] = agency
            self.next_order += 1
        return agency


@transaction.atomic
def do_load_plan(document, *, actor, reason: str = "", replace: bool = False,
                 source_texts: dict[str, list[str]] | None = None) -> PlanCycle:
    return do_import_plan(document, actor=actor, reason=reason, replace=replace, source_texts=source_texts).cycle


@transaction.atomic
def do_import_plan(document, *, actor, reason: str = "", replace: bool = False,
                   source_texts: dict[str, list[str]] | None = None) -> LoadResult:
    """Load `document` (a PlanDocument or its dict) as a plan cycle; see the module docstring.

    `source_texts` ({file name: its lines, line n at n - 1}, e.g. `Parsed.source_texts`) is the text the document
    was read from: the files its records cite are kept beside the import, so that each record's source lines can be
    shown. Loading the same file again keeps the text if it was not kept before (and changes nothing else).
    """
    document = _document(document)
    city = _city(document, actor)
    if document.kind not in PlanKind.values:
        raise DocumentError("document.kind", _("expected one of %(k)s") % {"k": ", ".join(PlanKind.values)})
    start, end = document.period.get("start"), document.period.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        raise DocumentError("document.period", _("expected {\"start\": ROC year, \"end\": ROC year}"))
    _use_canonical_names(document, city)
    existing = PlanCycle.objects.filter(city=city, kind=document.kind, start_year=start, end_year=end).first()
    if existing is not None:
        return _into_existing(existing, document, actor=actor, reason=reason, replace=replace, city=city,
                              source_texts=source_texts)
    cycle = PlanCycle(city=city, kind=document.kind, start_year=start, end_year=end, title=document.title)
    _clean(cycle, "document")
    cycle._history_user = actor
    cycle.save()
    counts = _load_content(cycle, document, document.chapters, actor, city)
    _record_import(cycle, document, actor, counts, source_texts)
    record(Action.PLAN_LOADED, actor=actor, obj=cycle, city=city, new={"source": _source_info(document), **counts},
           reason=reason)
    return LoadResult(cycle, "loaded", counts=counts)


def _into_existing(cycle: PlanCycle, document, *, actor, reason: str, replace: bool, city: City,
                   source_texts=None) -> LoadResult:
    """A document for a cycle that exists: its chapters are compared with the cycle's chapters of the same
    agencies (or themes). New chapters are added (a book may come as one file per chapter); chapters that
    differ are replaced only when asked; chapters the document does not contain are left alone."""
    sha = document.source.sha256
    if sha:
        earlier = cycle.imports.filter(sha256=sha).order_by("-created_at", "-id").first()
        if earlier is not None:
            _keep_texts(earlier, document, source_texts)
            return LoadResult(cycle, "unchanged", counts=document.counts())
    current = cycle_to_document(cycle)
    present = {chapter_key(c) for c in current.chapters}
    overlapping = [c for c in document.chapters if chapter_key(c) in present]
    added = [c for c in document.chapters if chapter_key(c) not in present]
    keys = {chapter_key(c) for c in overlapping}
    current.chapters = [c for c in current.chapters if chapter_key(c) in keys]
    subset = copy.copy(document)
    subset.chapters = overlapping
    differences = diff_documents(current, subset)
    if not differences and not added:
        return LoadResult(cycle, "unchanged", counts=document.counts())
    if differences and not replace:
        if not sha:
            raise DocumentError("document.period", _("%(city)s already has this plan (%(s)s–%(e)s).")
                                % {"city": city.name, "s": cycle.start_year, "e": cycle.end_year})
        raise ReplaceNeeded(cycle, differences)
    if cycle.is_locked:
        raise PermissionDenied(_("%(cycle)s is %(status)s: it is not changed in place; roll it forward instead.")
                               % {"cycle": cycle, "status": cycle.get_status_display()})
    if not _is_operator(actor):
        require(actor, "plans.change_cycle", cycle)
    chapters = overlapping if differences else []
    if chapters:
        doomed = [c for c in cycle.chapters.select_related("agency", "theme") if _db_key(c) in keys]
        themes = [c.theme_id for c in doomed if c.theme_id]
        AgencyPlan.objects.filter(pk__in=[c.pk for c in doomed]).delete()
        Theme.objects.filter(pk__in=themes).delete()
    counts = _load_content(cycle, document, [*chapters, *added], actor, city,
                           first_order=cycle.chapters.count() + 1)
    _record_import(cycle, document, actor, counts, source_texts)
    status = "replaced" if chapters else "extended"
    record(Action.PLAN_REPLACED if chapters else Action.PLAN_LOADED, actor=actor, obj=cycle, city=city,
           reason=reason, new={"source": _source_info(document), **counts, "differences": differences[:200],
                               "added": [chapter_key(c) for c in added]})
    return LoadResult(cycle, status, counts=counts, differences=differences)


def _db_key(chapter: AgencyPlan) -> str:
    return chapter.agency.name if chapter.agency_id else f"{chapter.theme.code} {chapter.theme.name}"


def _use_canonical_names(document, city: City) -> None:
    """Agency names as the city knows them (a book may say 民政 or 智科處 for 民政處 or 智慧科技處)."""
    known = {}
    for agency in city.agencies.all():
        for name in (agency.name, *agency.aliases):
            known.setdefault(name, agency.name)
    for chapter in document.chapters:
        if chapter.agency:
            chapter.agency = known.get(chapter.agency, chapter.agency)
        for goal in chapter.goals:
            for indicator in goal.indicators:
                for owner in indicator.owners:
                    owner.agency = known.get(owner.agency, owner.agency)


def _source_info(document) -> dict:
    return {k: v for k, v in (("file", document.source.file), ("sha256", document.source.sha256)) if v}


def _record_import(cycle, document, actor, counts, source_texts=None):
    texts = _cited_texts(document, source_texts)
    if document.source.sha256 or document.anomalies or document.revisions or texts:
        data = interchange.to_dict(document)
        plan_import = PlanImport.objects.create(
            cycle=cycle, source_file=document.source.file or "", sha256=document.source.sha256 or "",
            counts=counts, anomalies=data.get("anomalies", []), revisions=data.get("revisions", []), document=data,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        PlanSourceText.objects.bulk_create(
            PlanSourceText(plan_import=plan_import, file_name=name, lines=lines) for name, lines in texts.items())


def _cited_texts(document, source_texts) -> dict[str, list[str]]:
    """The texts of the files the document's records cite (a text nothing cites is not kept)."""
    if not source_texts:
        return {}
    cited = {part.strip() for part in (document.source.file or "").split(" + ") if part.strip()}
    for chapter in document.chapters:
        for node in (chapter, *chapter.sections, *chapter.goals, *(i for g in chapter.goals for i in g.indicators)):
            if node.source.file:
                cited.add(node.source.file)
    texts = {}
    for name, lines in source_texts.items():
        if name in cited:
            if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
                raise DocumentError(f"source_texts[{name}]", _("expected a list of lines"))
            texts[name] = lines
    return texts


def _keep_texts(plan_import: PlanImport, document, source_texts) -> None:
    """An earlier import of the same file whose text was not kept then (imported before texts were kept)."""
    texts = _cited_texts(document, source_texts)
    if texts:
        kept = set(plan_import.texts.values_list("file_name", flat=True))
        PlanSourceText.objects.bulk_create(PlanSourceText(plan_import=plan_import, file_name=name, lines=lines)
                                           for name, lines in texts.items() if name not in kept)


def _load_content(cycle: PlanCycle, document, chapter_docs, actor, city: City, first_order: int = 1) -> dict:
    """Validate every record of the document, then write them level by level in bulk, with history."""
    default_file = document.source.file or ""
    agencies = _AgencyBook(city)
    chapters, goals, indicators, targets, owners, sections = [], [], [], [], [], []
    goal_parent, indicator_parent, target_parent, owner_parent, section_parent = [], [], [], [], []
    positions = {id(c): n for n, c in enumerate(document.chapters)}
    for c, chapter_doc in enumerate(chapter_docs):
        where = f"chapters[{positions.get(id(chapter_doc), c)}]"
        theme = None
        if chapter_doc.theme is not None:
            theme = Theme(cycle=cycle, code=chapter_doc.theme.code, name=chapter_doc.theme.name,
                          priorities=chapter_doc.theme.priorities, order=first_order + c)
            _clean(theme, f"{where}.theme", exclude=["cycle"])
            theme.save()
        if chapter_doc.agency is None and theme is None:
            raise DocumentError(f"{where}.agency", _("a chapter needs an agency or a theme"))
        agency = agencies.get(chapter_doc.agency) if chapter_doc.agency else None
        chapter = AgencyPlan(cycle=cycle, agency=agency, theme=theme, order=first_order + c, mission=chapter_doc.mission,
                             vision=chapter_doc.vision, priorities=chapter_doc.priorities,
                             **_source(chapter_doc.source, default_file))
        _clean(chapter, where)
        chapters.append(chapter)
        for s, section_doc in enumerate(chapter_doc.sections):
            sections.append(Section(order=s + 1, label=section_doc.label[:20], heading=section_doc.heading[:300],
                                    text=section_doc.text, **_source(section_doc.source, default_file)))
            section_parent.append(chapter)
        for g, goal_doc in enumerate(chapter_doc.goals):
            gwhere = f"{where}.goals[{g}]"
            if goal_doc.kind not in GoalKind.values:
                raise DocumentError(f"{gwhere}.kind", _("expected key or common"))
            goal = Goal(chapter=chapter, kind=goal_doc.kind, order=goal_doc.seq, label=goal_doc.label or "",
                        code=goal_doc.code or "", name=goal_doc.name, perspective=goal_doc.perspective or "",
                        theme=theme, description=goal_doc.description, **_source(goal_doc.source, default_file))
            _check_perspective(goal, city, gwhere)
            _clean(goal, gwhere, exclude=["chapter", "theme"])
            goals.append(goal)
            goal_parent.append(chapter)
            for i, ind_doc in enumerate(goal_doc.indicators):
                iwhere = f"{gwhere}.indicators[{i}]"
                indicator = Indicator(
                    order=ind_doc.seq, label=ind_doc.label or "", code=ind_doc.code or "", name=ind_doc.name,
                    eval_system=ind_doc.eval_system or "", eval_method=ind_doc.eval_method or "",
                    standard=ind_doc.standard, unit=ind_doc.unit, weight=ind_doc.weight, wccd=ind_doc.wccd,
                    direction=ind_doc.direction or suggest_direction(
                        ind_doc.name, ind_doc.standard, [t.raw for t in ind_doc.targets]),
                    direction_confirmed=bool(ind_doc.direction),
                    flags=list(ind_doc.flags), **_source(ind_doc.source, default_file),
                )
                _check_eval_system(indicator, city, iwhere)
                _clean(indicator, iwhere, exclude=["goal"])
                indicators.append(indicator)
                indicator_parent.append(goal)
                owner_docs = ind_doc.owners or (
                    [interchange.Owner(agency=chapter_doc.agency, role=OwnerRole.LEAD)] if chapter_doc.agency else []
                )
                seen_owners = set()
                for o, owner_doc in enumerate(owner_docs):
                    if owner_doc.role not in OwnerRole.values:
                        raise DocumentError(f"{iwhere}.owners[{o}].role", _("expected lead or co"))
                    if owner_doc.agency.endswith(PLACEHOLDER_OWNER_SUFFIXES):
                        indicator.flags.append(f"owner:{owner_doc.agency}")
                        continue
                    owner_agency = agencies.get(owner_doc.agency)
                    if owner_agency.pk in seen_owners:
                        continue
                    seen_owners.add(owner_agency.pk)
                    owners.append(IndicatorOwner(agency=owner_agency, role=owner_doc.role))
                    owner_parent.append(indicator)
                seen_years = set()
                # Percentages climbing to 100% across the years are progress (milestones), not rates.
                series_kind = classify_series([t.raw for t in ind_doc.targets])
                for t, target_doc in enumerate(ind_doc.targets):
                    twhere = f"{iwhere}.targets[{t}]"
                    if target_doc.year in seen_years:
                        raise DocumentError(f"{twhere}.year", _("year %(y)s appears twice") % {"y": target_doc.year})
                    seen_years.add(target_doc.year)
                    if not start_le(cycle, target_doc.year):
                        raise DocumentError(twhere, "year: " + _("Year %(y)s is outside the plan period %(p)s.")
                                            % {"y": target_doc.year, "p": cycle.period_label})
                    raw = target_doc.raw.strip()
                    target = Target(year=target_doc.year, raw=raw, note=target_doc.note,
                                    cumulative=target_doc.cumulative, **parsed_fields(raw))
                    if series_kind == "milestone" and target.kind == "percent":
                        target.kind = "milestone"
                    _clean(target, twhere, exclude=["indicator"])
                    targets.append(target)
                    target_parent.append(indicator)
    history = {"default_user": actor if getattr(actor, "is_authenticated", False) else None,
               "default_change_reason": _("imported from %(f)s") % {"f": default_file or _("a plan document")}}
    bulk_create_with_history(chapters, AgencyPlan, **history)
    _attach(sections, section_parent, "chapter")
    bulk_create_with_history(sections, Section, **history)
    _attach(goals, goal_parent, "chapter")
    bulk_create_with_history(goals, Goal, **history)
    _attach(indicators, indicator_parent, "goal")
    bulk_create_with_history(indicators, Indicator, **history)
    _attach(owners, owner_parent, "indicator")
    IndicatorOwner.objects.bulk_create(owners)
    _attach(targets, target_parent, "indicator")
    bulk_create_with_history(targets, Target, batch_size=2000, **history)
    from civicplan.search.indexing import reindex_cycle  # bulk inserts send no signals: index the cycle anew

    reindex_cycle(cycle)
    return {
        "chapters": len(chapters), "goals": len(goals), "indicators": len(indicators), "targets": len(targets),
        "revisions": len(document.revisions), "anomalies": len(document.anomalies),
    }


def start_le(cycle: PlanCycle, year: int) -> bool:
    return cycle.start_year <= year <= cycle.end_year


def _attach(children, parents, name):
    for child, parent in zip(children, parents):
        setattr(child, name, parent)


def _check_perspective(goal: Goal, city: City, where: str) -> None:
    if goal.perspective and goal.perspective not in city.perspectives:
        raise DocumentError(where, "perspective: " + _("“%(p)s” is not one of this city's perspectives: %(list)s")
                            % {"p": goal.perspective, "list": "、".join(city.perspectives)})


def _check_eval_system(indicator: Indicator, city: City, where: str) -> None:
    legend = city.eval_system_legend
    if indicator.eval_system and indicator.eval_system not in legend:
        raise DocumentError(where, "eval_system: " + _("評估體制 code “%(c)s” is not in this city's legend (%(codes)s).")
                            % {"c": indicator.eval_system, "codes": ", ".join(sorted(legend))})
