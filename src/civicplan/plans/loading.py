"""Load a plan document (the JSON plan interchange format, civicplan.plan/1) into the database.

One transaction: a document with an error anywhere loads nothing, and the error names the place
(`chapters[2].goals[0].indicators[3].targets[1].year`). The import issue extends this into the full
importer; the demo uses it for the structured Keelung sample.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from civicplan.agencies.models import Agency, City
from civicplan.audit.models import Action
from civicplan.audit.services import record
from civicplan.editing import ValidationError
from civicplan.permissions import require
from civicplan.plans.models import (
    AgencyPlan,
    Goal,
    GoalKind,
    Indicator,
    IndicatorOwner,
    OwnerRole,
    PlanCycle,
    PlanKind,
    Section,
    Target,
)
from civicplan.plans.services import parsed_fields

FORMAT = "civicplan.plan/1"


class DocumentError(ValidationError):
    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where


def _get(node: dict, key: str, where: str, kind=str, required=True, default=None):
    if not isinstance(node, dict):
        raise DocumentError(where, _("expected an object"))
    if key not in node or node[key] is None:
        if required:
            raise DocumentError(f"{where}.{key}", _("missing"))
        return default
    value = node[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DocumentError(f"{where}.{key}", _("expected %(kind)s, found %(value)r") % {"kind": kind.__name__, "value": value})
    return value


def _source(node: dict, where: str, default_file: str) -> dict:
    source = node.get("source") or {}
    lines = source.get("lines") or [None, None]
    if not isinstance(lines, list) or len(lines) != 2:
        raise DocumentError(f"{where}.source.lines", _("expected [first, last]"))
    return {
        "source_file": source.get("file") or default_file,
        "source_page": source.get("page"),
        "source_line_start": lines[0],
        "source_line_end": lines[1],
    }


def _clean(obj, where: str, exclude=None):
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
        raise DocumentError(where, details) from None


@transaction.atomic
def do_load_plan(document: dict, *, actor, reason: str = "") -> PlanCycle:
    if _get(document, "format", "document") != FORMAT:
        raise DocumentError("document.format", _("expected %(f)s") % {"f": FORMAT})
    city_name = _get(document, "city", "document")
    city = City.objects.filter(name=city_name).first()
    if city is None:
        # A new city is set up by the system operator (a Django superuser); after that, its 研考 admins load.
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied(_("Only the system operator may add a new city (%(c)s).") % {"c": city_name})
        city = City.objects.create(name=city_name)
    else:
        require(actor, "plans.add_cycle", city)
    kind = _get(document, "kind", "document")
    if kind not in PlanKind.values:
        raise DocumentError("document.kind", _("expected one of %(k)s") % {"k": ", ".join(PlanKind.values)})
    period = _get(document, "period", "document", dict)
    start, end = _get(period, "start", "document.period", int), _get(period, "end", "document.period", int)
    if PlanCycle.objects.filter(city=city, kind=kind, start_year=start, end_year=end).exists():
        raise DocumentError("document.period", _("%(city)s already has this plan (%(s)s–%(e)s).")
                            % {"city": city.name, "s": start, "e": end})
    default_file = (document.get("source") or {}).get("file", "")
    cycle = PlanCycle(city=city, kind=kind, start_year=start, end_year=end, title=document.get("title", ""))
    _clean(cycle, "document")
    cycle._history_user = actor
    cycle.save()
    counts = {"chapters": 0, "goals": 0, "indicators": 0, "targets": 0}
    chapters = _get(document, "chapters", "document", list)
    for c, chapter_doc in enumerate(chapters):
        where = f"chapters[{c}]"
        agency_name = _get(chapter_doc, "agency", where, required=False)
        if agency_name is None:
            raise DocumentError(f"{where}.agency", _("a chapter without an agency needs the strategy-map loader"))
        agency = Agency.resolve(city, agency_name)
        if agency is None:
            agency = Agency.objects.create(city=city, name=agency_name, order=city.agencies.count() + 1)
        chapter = AgencyPlan(cycle=cycle, agency=agency, order=c + 1,
                             mission=chapter_doc.get("mission") or "", vision=chapter_doc.get("vision") or "",
                             priorities=chapter_doc.get("priorities") or [], **_source(chapter_doc, where, default_file))
        _clean(chapter, where)
        chapter.save()
        counts["chapters"] += 1
        for s, section_doc in enumerate(chapter_doc.get("sections") or []):
            Section.objects.create(chapter=chapter, order=s + 1, label=section_doc.get("label", ""),
                                   heading=section_doc.get("heading", ""), text=section_doc.get("text", ""))
        for g, goal_doc in enumerate(_get(chapter_doc, "goals", where, list)):
            gwhere = f"{where}.goals[{g}]"
            goal_kind = _get(goal_doc, "kind", gwhere)
            if goal_kind not in GoalKind.values:
                raise DocumentError(f"{gwhere}.kind", _("expected key or common"))
            goal = Goal(chapter=chapter, kind=goal_kind, order=_get(goal_doc, "seq", gwhere, int),
                        label=goal_doc.get("label") or "", code=goal_doc.get("code") or "",
                        name=_get(goal_doc, "name", gwhere), perspective=goal_doc.get("perspective") or "",
                        description=goal_doc.get("description") or [], **_source(goal_doc, gwhere, default_file))
            _clean(goal, gwhere)
            goal._history_user = actor
            goal.save()
            counts["goals"] += 1
            for i, ind_doc in enumerate(_get(goal_doc, "indicators", gwhere, list)):
                iwhere = f"{gwhere}.indicators[{i}]"
                indicator = Indicator(
                    goal=goal, order=_get(ind_doc, "seq", iwhere, int), label=ind_doc.get("label") or "",
                    code=ind_doc.get("code") or "", name=_get(ind_doc, "name", iwhere),
                    eval_system=ind_doc.get("eval_system") or "", eval_method=ind_doc.get("eval_method") or "",
                    standard=ind_doc.get("standard") or "", weight=ind_doc.get("weight"),
                    wccd=bool(ind_doc.get("wccd")), flags=ind_doc.get("flags") or [],
                    **_source(ind_doc, iwhere, default_file),
                )
                _clean(indicator, iwhere)
                indicator._history_user = actor
                indicator.save()
                counts["indicators"] += 1
                owners = ind_doc.get("owners") or [{"agency": agency.name, "role": OwnerRole.LEAD}]
                for o, owner_doc in enumerate(owners):
                    owner = Agency.resolve(city, _get(owner_doc, "agency", f"{iwhere}.owners[{o}]"))
                    if owner is None:
                        owner = Agency.objects.create(city=city, name=owner_doc["agency"],
                                                      order=city.agencies.count() + 1)
                    IndicatorOwner.objects.get_or_create(
                        indicator=indicator, agency=owner, defaults={"role": owner_doc.get("role", OwnerRole.LEAD)}
                    )
                seen_years = set()
                for t, target_doc in enumerate(_get(ind_doc, "targets", iwhere, list)):
                    twhere = f"{iwhere}.targets[{t}]"
                    year = _get(target_doc, "year", twhere, int)
                    if year in seen_years:
                        raise DocumentError(f"{twhere}.year", _("year %(y)s appears twice") % {"y": year})
                    seen_years.add(year)
                    raw = (target_doc.get("raw") or "").strip()
                    target = Target(indicator=indicator, year=year, raw=raw, note=target_doc.get("note") or "",
                                    cumulative=bool(target_doc.get("cumulative")), **parsed_fields(raw))
                    _clean(target, twhere)
                    target._history_user = actor
                    target.save()
                    counts["targets"] += 1
    record(Action.PLAN_LOADED, actor=actor, obj=cycle, city=city,
           new={"source": document.get("source") or {}, **counts}, reason=reason)
    return cycle
