"""What the API returns and takes: ninja Schemas read from the models (ids, codes, labels, ROC years, sources).

Decimal values (target values, weights, actuals, rates) are given as strings ("350", "95.5") so that no
precision is lost on the way through JSON; `raw` always carries the value as printed.

Inputs carry the `version` the client read (optimistic locking, as the web forms) and, where the web asks
for one, the `reason` for the change. Text may not contain NUL characters (PostgreSQL cannot store them);
a reason is at most 100 characters, the length the records' history keeps.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StrictBool

from civicplan.api.errors import ErrorOut  # noqa: F401  (re-exported: the 404 body)
from civicplan.api.filters import MAX_ID, NO_NUL
from civicplan.plans.models import Direction, Sourced
from civicplan.plans.visibility import member_city_ids
from civicplan.tracking.models import Light

MAX_VERSION = 2**31 - 1


def _json_number(value):
    """Inputs are taken as JSON types, as the schema says: no "1" for 1 and no true for 1 (pydantic's lax mode
    would take them); 1.0 is the integer 1 (JSON Schema's integer), 1.5 is not."""
    if isinstance(value, (str, bytes, bool)):
        raise ValueError("a JSON number is needed")  # noqa: TRY004  (pydantic reports ValueError as a field error)
    return value


def JsonInt(**constraints):
    """An integer input (bounds first, so that they reach the schema), taken as JSON numbers only."""
    return Annotated[int, Field(**constraints), BeforeValidator(_json_number)]


# Inputs are JSON types: no "1" for 1 (see _json_number), no 0 for false (StrictBool).
Id = JsonInt(ge=1, le=MAX_ID)
Version = JsonInt(ge=1, le=MAX_VERSION, description="the version of the record you read")
# Something other than white space, no NUL anywhere (a pattern both pydantic's and the clients' engines read).
SOME_TEXT = r"^[^\x00]*[^\s\x00][^\x00]*$"
Reason = Annotated[str, Field(min_length=1, max_length=1000, pattern=SOME_TEXT,
                              description="why (修改理由): kept in the record's history and the audit trail")]
Comment = Annotated[str, Field(max_length=1000, pattern=NO_NUL, description="a comment, kept in the history")]
# A KPI's weight: 0 to 100 with at most two decimals, as a string ("12.5") like the API gives it.
WEIGHT = r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$"


def Text(max_length: int, description: str | None = None, *, min_length: int = 0):
    return Annotated[str, Field(min_length=min_length, max_length=max_length, pattern=NO_NUL,
                                description=description)]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def omitted():
    """An optional input: left out, the field stays as it is (the schema shows no default)."""
    return Field(None, json_schema_extra=_no_default)


def decimal_text(value: Decimal | None) -> str | None:
    """Decimal("350.0000") → "350"; Decimal("95.5000") → "95.5"; None stays None."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


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


# --- tracking (列管): periods, reports, measurements -----------------------------------------------------


class PeriodOut(Schema):
    """A city's reporting period (e.g. 110年第3期), generated from the city's reporting frequency."""

    id: int
    city_id: int
    year: int
    frequency: str
    seq: int
    count: int
    label: str
    starts_on: date
    ends_on: date
    due_on: date

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj)


class ReportOut(Schema):
    """An agency's report for a period: the workflow unit (填報 → 單位主管 → 初核 → 複核)."""

    id: int
    agency_id: int
    agency_name: str
    city_id: int
    period_id: int
    year: int
    seq: int
    period_label: str
    status: str
    status_label: str
    return_reason: str
    submitted_at: datetime | None
    approved_at: datetime | None
    is_demo: bool
    version: int

    @staticmethod
    def resolve_agency_name(obj) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_city_id(obj) -> int:
        return obj.agency.city_id

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.period.year

    @staticmethod
    def resolve_seq(obj) -> int:
        return obj.period.seq

    @staticmethod
    def resolve_period_label(obj) -> str:
        return str(obj.period)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class MeasurementOut(Schema):
    """One KPI in a report: the actual as typed and read, the narrative, and its assessment (rate, light)."""

    id: int
    report_id: int
    indicator_id: int
    agency_id: int
    period_id: int
    year: int
    seq: int
    report_status: str
    actual_raw: str
    actual_value: str | None
    actual_unit: str
    actual_kind: str
    actual_date: date | None
    progress_note: str
    delay_reason: str
    countermeasure: str
    expected_raw: str
    achievement_rate: str | None
    light: str
    light_override: str
    override_reason: str = Field(description="members of the city only (empty for the public)")
    shown_light: str
    raise_candidate: bool
    version: int

    @staticmethod
    def resolve_agency_id(obj) -> int:
        return obj.report.agency_id

    @staticmethod
    def resolve_period_id(obj) -> int:
        return obj.report.period_id

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.report.period.year

    @staticmethod
    def resolve_seq(obj) -> int:
        return obj.report.period.seq

    @staticmethod
    def resolve_report_status(obj) -> str:
        return obj.report.status

    @staticmethod
    def resolve_actual_value(obj) -> str | None:
        return decimal_text(obj.actual_value)

    @staticmethod
    def resolve_override_reason(obj, context) -> str:
        """The reviewer's reason stays inside the city, as on the portal (which says only that 研考 set the light)."""
        request = (context or {}).get("request")
        if request is not None and obj.report.agency.city_id not in member_city_ids(request.user):
            return ""
        return obj.override_reason

    @staticmethod
    def resolve_achievement_rate(obj) -> str | None:
        return decimal_text(obj.achievement_rate)


class ReportDetailOut(ReportOut):
    measurements: list[MeasurementOut]

    @staticmethod
    def resolve_measurements(obj) -> list:
        return list(obj.shown_measurements)


# --- inputs -----------------------------------------------------------------------------------------------


class Input(Schema):
    """A request body: a field the schema does not name is refused (422 "extra_forbidden"), not ignored."""

    model_config = ConfigDict(extra="forbid")


class IndicatorPatchIn(Input):
    """Change some fields of a KPI (those left out stay as they are); as the web form, with version and reason."""

    version: Version
    reason: Reason
    label: Text(20) = omitted()
    code: Text(20) = omitted()
    name: Text(300, min_length=1) = omitted()
    eval_system: Text(5, "a code of the city's 評估體制 legend") = omitted()
    eval_method: Text(50) = omitted()
    standard: Text(5000, "衡量標準") = omitted()
    unit: Text(30) = omitted()
    direction: Direction = omitted()
    weight: Annotated[Annotated[str, Field(pattern=WEIGHT)] | None,
                      Field(description="0–100, e.g. \"12.5\"; null: none")] = omitted()
    wccd: StrictBool = omitted()
    period_profile: Annotated[
        list[Annotated[float, Field(ge=0, le=100), BeforeValidator(_json_number)]],
        Field(max_length=12, description="cumulative share due by each period (%), rising to 100, e.g. [50, 100]; "
                                         "[]: pro rata"),
    ] = omitted()


class TargetPatchIn(Input):
    """Change a year's target: `raw` as it is to be printed (360件, ≧95%, 112年6月底前完成); it is read again."""

    version: Version
    reason: Reason
    raw: Text(300) = omitted()
    note: Text(5000) = omitted()
    cumulative: StrictBool = omitted()


class TargetPutIn(Input):
    version: Version
    reason: Reason
    raw: Text(300)
    note: Text(5000)
    cumulative: StrictBool


class MeasurementEntryIn(Input):
    """One row of the update grid: the measurement's id and version, and the fields to save."""

    id: Id
    version: Version
    actual_raw: Text(300, "the actual as typed, e.g. 175件") = omitted()
    progress_note: Text(10000, "執行情形") = omitted()
    delay_reason: Text(10000, "落後原因") = omitted()
    countermeasure: Text(10000, "因應對策") = omitted()


class ReportSaveIn(Input):
    """Save rows of the update grid as a draft (as the grid's “save”): the report's version and the rows."""

    version: Version
    entries: Annotated[list[MeasurementEntryIn], Field(max_length=1000)]


class ReportOpenIn(Input):
    """The agency's report for a period (year and number in the year), opened for filling in when allowed."""

    agency: Id
    year: JsonInt(ge=1, le=300, description="ROC year (民國年)")
    seq: JsonInt(ge=1, le=12, description="the period's number in the year")


class ReportStepIn(Input):
    """A workflow step on a report (submit, head approval, 初核, 複核), with an optional comment."""

    version: Version
    reason: Comment = ""


class ReportReturnIn(Input):
    """Return a report for revision, or reopen an approved one: the reason is required."""

    version: Version
    reason: Reason


class LightOverrideIn(Input):
    """A reviewer sets the light by hand, or clears it (an empty light: the computed one again), with a reason."""

    version: Version
    light: Light | Literal[""] = Field(description="green, yellow, red, white; \"\": the computed light again")
    reason: Reason
