"""Official documents and data out of civicplan: one `ExportRequest`, one exporter per kind, bytes out.

The CLI (`civicplan export KIND …`) and the web pages resolve names (city, plan period, agency) into an
`ExportRequest` and call `export(request)`; each kind lives in its own module with a function
`export_<kind>(request) -> bytes`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

# kind → (module, function, formats). The first format is the default (ODF first).
EXPORTERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "book": ("civicplan.exports.book", "export_book", ("odt", "docx", "pdf")),
    "performance-report": ("civicplan.exports.performance", "export_performance_report", ("odt", "docx", "pdf")),
    "tracking-report": ("civicplan.exports.tracking_report", "export_tracking_report", ("odt", "docx", "pdf")),
    "strategy-map": ("civicplan.exports.strategy_map", "export_strategy_map", ("svg", "pdf")),
    "data": ("civicplan.exports.data", "export_data", ("xlsx", "ods", "csv", "json")),
}

CONTENT_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "svg": "image/svg+xml",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


class ExportError(Exception):
    """What cannot be exported, said so that the user can fix the request (no traceback)."""


@dataclass
class ExportRequest:
    kind: str
    fmt: str
    city: object | None = None  # agencies.City
    cycle: object | None = None  # plans.PlanCycle
    agency: object | None = None  # agencies.Agency
    year: int | None = None  # ROC year
    period_no: int | None = None  # the period's number in its year (第 N 期)
    actor: object | None = None  # who asked (None: the command line, which sees everything)
    progress: Callable[[int, int], None] | None = None  # told (done, total) as a long export goes on

    def report(self, done: int, total: int) -> None:
        """Exporters call this as they go (e.g. after each chapter); the web shows it as a progress bar."""
        if self.progress is not None and total > 0:
            self.progress(done, total)

    @property
    def filename(self) -> str:
        """A file name that says what is in the file: kind, city, period, agency, year, period number."""
        parts = [self.kind]
        if self.cycle is not None:
            span = self.cycle.start_year, self.cycle.end_year
            parts += [self.cycle.city.name, f"{span[0]}-{span[1]}" if span[0] != span[1] else str(span[0])]
        elif self.city is not None:
            parts.append(self.city.name)
        if self.agency is not None:
            parts.append(self.agency.name)
        if self.year:
            parts.append(f"{self.year}年" + (f"第{self.period_no}期" if self.period_no else ""))
        return "_".join(str(p) for p in parts) + f".{self.fmt}"


def export(request: ExportRequest) -> bytes:
    if request.kind not in EXPORTERS:
        raise ExportError(f"unknown kind “{request.kind}”: one of {', '.join(EXPORTERS)}")
    module, function, formats = EXPORTERS[request.kind]
    if request.fmt not in formats:
        raise ExportError(f"{request.kind}: format “{request.fmt}” is not offered; one of {', '.join(formats)}")
    try:
        exporter = getattr(importlib.import_module(module), function)
    except ModuleNotFoundError as error:
        if error.name != module:
            raise
        raise ExportError(f"{request.kind} cannot be exported yet") from None
    return exporter(request)
