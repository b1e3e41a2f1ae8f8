"""What the API returns: ninja Schemas read from the models (ids, codes, labels, ROC years, sources).

Decimal values (target values, weights) are given as strings ("350", "95.5") so that no precision
is lost on the way through JSON; `raw` always carries the value as printed.
"""

from decimal import Decimal

from ninja import Schema

from civicplan.plans.models import Sourced


def decimal_text(value: Decimal | None) -> str | None:
    """Decimal("350.0000") → "350"; Decimal("95.5000") → "95.5"; None stays None."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class ErrorOut(Schema):
    """An error: 404 {"detail": "Not Found"} (also for what the user may not see)."""

    detail: str


class SourceOut(Schema):
    """Where the record was read in the plan document (empty file name: entered by hand)."""

    file: str
    page: int | None
    line_start: int | None
    line_end: int | None
    label: str


def source_of(obj: Sourced) -> dict:
    return {
        "file": obj.source_file,
        "page": obj.source_page,
        "line_start": obj.source_line_start,
        "line_end": obj.source_line_end,
        "label": obj.source_label,
    }


class AgencyOut(Schema):
    id: int
    city_id: int
    city_name: str
    name: str
    aliases: list[str]
    parent_id: int | None
    order: int

    @staticmethod
    def resolve_city_name(obj) -> str:
        return obj.city.name


class CycleOut(Schema):
    id: int
    city_id: int
    city_name: str
    kind: str
    kind_label: str
    start_year: int
    end_year: int
    period_label: str
    title: str
    status: str
    status_label: str
    rolled_forward_from_id: int | None
    version: int

    @staticmethod
    def resolve_city_name(obj) -> str:
        return obj.city.name

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class ChapterOut(Schema):
    """An agency's chapter (AgencyPlan) in a cycle; strategy-map chapters have a theme instead."""

    id: int
    cycle_id: int
    agency_id: int | None
    agency_name: str | None
    theme_id: int | None
    order: int
    mission: str
    vision: str
    priorities: list
    status: str
    status_label: str
    version: int
    source: SourceOut

    @staticmethod
    def resolve_agency_name(obj) -> str | None:
        return obj.agency.name if obj.agency_id else None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_source(obj) -> dict:
        return source_of(obj)


class GoalOut(Schema):
    id: int
    chapter_id: int
    cycle_id: int
    kind: str
    kind_label: str
    order: int
    label: str
    code: str
    name: str
    perspective: str
    theme_id: int | None
    description: list
    version: int
    source: SourceOut

    @staticmethod
    def resolve_cycle_id(obj) -> int:
        return obj.chapter.cycle_id

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_source(obj) -> dict:
        return source_of(obj)


class OwnerOut(Schema):
    agency_id: int
    agency_name: str
    role: str
    role_label: str

    @staticmethod
    def resolve_agency_name(obj) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())


class TargetOut(Schema):
    """The target for one ROC year: the text as printed (`raw`) and its parsed parts."""

    id: int
    indicator_id: int
    year: int
    raw: str
    value: str | None
    unit: str
    comparator: str
    kind: str
    kind_label: str
    cumulative: bool
    note: str
    version: int

    @staticmethod
    def resolve_value(obj) -> str | None:
        return decimal_text(obj.value)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class IndicatorOut(Schema):
    """A KPI (關鍵績效指標) or common indicator (共同性指標) with its owners (主責 / 協辦) and source."""

    id: int
    goal_id: int
    chapter_id: int
    cycle_id: int
    order: int
    label: str
    code: str
    name: str
    eval_system: str
    eval_method: str
    standard: str
    unit: str
    direction: str
    direction_label: str
    weight: str | None
    wccd: bool
    previous_id: int | None
    version: int
    owners: list[OwnerOut]
    source: SourceOut

    @staticmethod
    def resolve_chapter_id(obj) -> int:
        return obj.goal.chapter_id

    @staticmethod
    def resolve_cycle_id(obj) -> int:
        return obj.goal.chapter.cycle_id

    @staticmethod
    def resolve_direction_label(obj) -> str:
        return str(obj.get_direction_display())

    @staticmethod
    def resolve_weight(obj) -> str | None:
        return decimal_text(obj.weight)

    @staticmethod
    def resolve_owners(obj) -> list:
        return list(obj.ownerships.all())

    @staticmethod
    def resolve_source(obj) -> dict:
        return source_of(obj)


class IndicatorDetailOut(IndicatorOut):
    targets: list[TargetOut]

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(obj.targets.all())
