"""read → detect the layout family → parse → apply what the caller knows → validate."""

from __future__ import annotations

import hashlib
import importlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from civicplan.importing.document import Line, ReadError, SourceText
from civicplan.importing.readers import read_bytes, read_file
from civicplan.importing.validate import validate
from civicplan import interchange
import civicplan.interchange.serialise  # noqa: F401  (FormatError)
from civicplan.interchange import Anomaly, PlanDocument

# The layout families, most specific first; `generic` maps any table with recognisable headers.
FAMILIES = ("keelung", "chiayi", "taipei", "generic")
MIN_CONFIDENCE = 0.3


def family_module(name: str):
    return importlib.import_module(f"civicplan.importing.tables.{name}")


def detect_family(source: SourceText) -> tuple[str, float]:
    best, best_score = "", 0.0
    for name in FAMILIES:
        try:
            module = family_module(name)
        except ImportError:  # a family not built yet
            continue
        score = module.detect(source)
        if score > best_score:
            best, best_score = name, score
    if best_score < MIN_CONFIDENCE:
        raise ReadError(source.name, "no plan tables found: this does not look like a plan book "
                        "(no KPI table with headers such as 關鍵績效指標 / 衡量標準 / 年度目標值)")
    return best, best_score


def source_lines(source: SourceText) -> list[str]:
    """The text the reader produced as a list in which line n is item n - 1 (what every `source.lines` cites)."""
    if all(line.number == n for n, line in enumerate(source.lines, 1)):
        return [line.text for line in source.lines]
    texts = [""] * max((line.number for line in source.lines), default=0)
    for line in source.lines:
        texts[line.number - 1] = line.text
    return texts


@dataclass
class Parsed:
    document: PlanDocument
    source: SourceText
    family: str
    seconds: float

    @property
    def source_texts(self) -> dict[str, list[str]]:
        """{file name: its lines}: what `plans.loading.do_import_plan(source_texts=…)` keeps beside the import."""
        return {self.source.name: source_lines(self.source)}


def parse_source(source: SourceText, *, city: str | None = None, period: tuple[int, int] | None = None,
                 kind: str | None = None, family: str | None = None) -> Parsed:
    started = time.perf_counter()
    family = family or detect_family(source)[0]
    document = family_module(family).parse(source)
    if city:
        document.city = city
    if period:
        document.period = {"start": period[0], "end": period[1]}
    if kind:
        document.kind = kind
    problems = []
    if not document.city:
        problems.append("the city (use --city)")
    if not document.period.get("start"):
        problems.append("the plan period (use --period 109-112)")
    if problems:
        raise ReadError(source.name, "the document does not say " + " or ".join(problems))
    document.anomalies = [a for a in document.anomalies if a.kind != "missing-metadata"]
    if not document.chapters or not any(g.indicators for c in document.chapters for g in c.goals):
        raise ReadError(source.name, f"no indicators found (read as the {family} layout); "
                        "is the file truncated or of another kind?")
    validate(document)
    return Parsed(document, source, family, time.perf_counter() - started)


def parse_file(path, **options) -> Parsed:
    path = Path(path)
    if path.suffix.lower() == ".json":
        return parse_upload(_read_json_file(path), path.name, **options)
    return parse_source(read_file(path), **options)


def parse_file_all(path, **options) -> list[Parsed]:
    """Every plan in a file: a JSON array of plan documents (an export of several plans) gives one for each;
    any other file gives its one plan (`parse_file`)."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return parse_interchange_all(_read_json_file(path), path.name, **options)
    return [parse_file(path, **options)]


def _read_json_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ReadError(str(path), f"cannot open the file ({error.strerror})") from None


def parse_upload(data: bytes, name: str, **options) -> Parsed:
    name = Path(name).name
    if name.lower().endswith(".json"):
        return parse_interchange(data, name, **options)
    return parse_source(read_bytes(data, name), **options)


def parse_interchange(data: bytes, name: str, **options) -> Parsed:
    """A plan document in the interchange format itself (an export, a backup, a hand-corrected import)."""
    parsed = parse_interchange_all(data, name, **options)
    if len(parsed) != 1:
        raise ReadError(name, f"the file holds {len(parsed)} plans; load it with `civicplan import`, which reads "
                        "every plan of a file, or export one plan at a time")
    return parsed[0]


def parse_interchange_all(data: bytes, name: str, *, city=None, period=None, kind=None, family=None) -> list[Parsed]:
    """A plan document, or a JSON array of plan documents (`civicplan export data --format json` of several
    plans), in the interchange format: one `Parsed` for each, in the file's order. A document without its own
    `source.sha256` gets the SHA-256 of the file (the same file again changes nothing)."""
    started = time.perf_counter()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadError(name, "a JSON plan document must be UTF-8") from None
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(name, f"line {error.lineno} column {error.colno}: not JSON: {error.msg}") from None
    several = isinstance(loaded, list)
    items = loaded if several else [loaded]
    if several and not items:
        raise ReadError(name, "an empty list: the file holds no plan document")
    if len(items) > 1 and (city or period or kind):
        raise ReadError(name, f"the file holds {len(items)} plans: the city, period and kind are each plan's own "
                        "(give --city, --period or --kind only for a file of one plan)")
    sha256 = hashlib.sha256(data).hexdigest()
    source = SourceText(name=name, sha256=sha256, kind="json", encoding="utf-8",
                        lines=[Line(number=i, text=t) for i, t in enumerate(text.split("\n"), 1)])
    out = []
    for n, item in enumerate(items):
        try:
            document = interchange.from_dict(item)
        except interchange.serialise.FormatError as error:
            raise ReadError(name, f"plan {n + 1} of {len(items)}: {error}" if several else str(error)) from None
        if city:
            document.city = city
        if period:
            document.period = {"start": period[0], "end": period[1]}
        if kind:
            document.kind = kind
        if not document.source.sha256:
            document.source.sha256 = sha256
        document.source.file = document.source.file or name
        validate(document)
        out.append(Parsed(document, source, "interchange", time.perf_counter() - started))
    return out


def anomaly_summary(anomalies: list[Anomaly]) -> dict[str, int]:
    summary: dict[str, int] = {}
    for anomaly in anomalies:
        summary[anomaly.kind] = summary.get(anomaly.kind, 0) + 1
    return dict(sorted(summary.items()))


def merge(parsed_documents: list) -> list[interchange.PlanDocument]:
    """Documents of the same plan (city, kind, period) → one document with all their chapters."""
    merged: dict[tuple, interchange.PlanDocument] = {}
    for document in parsed_documents:
        _fill_source_files(document)
        key = (document.city, document.kind, document.period.get("start"), document.period.get("end"))
        if key not in merged:
            merged[key] = document
            continue
        into = merged[key]
        into.chapters += document.chapters
        into.revisions += document.revisions
        into.anomalies += document.anomalies
        into.source = interchange.Source(
            file=f"{into.source.file} + {document.source.file}",
            sha256=_combined(into.source.sha256, document.source.sha256),
        )
    return list(merged.values())


def _combined(*hashes) -> str | None:
    if not all(hashes):
        return None
    return hashlib.sha256("".join(sorted(hashes)).encode()).hexdigest()


def _fill_source_files(document: interchange.PlanDocument) -> None:
    """Every chapter, goal and indicator names its own file, so that merged documents still cite the right one."""
    name = document.source.file
    for chapter in document.chapters:
        for node in (chapter, *chapter.sections, *chapter.goals, *(i for g in chapter.goals for i in g.indicators)):
            if not node.source.file:
                node.source.file = name
