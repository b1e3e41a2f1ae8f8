"""`civicplan export book`: the 中程施政計畫 book of a cycle — the whole city, or one agency's chapter — in ODT,
DOCX or PDF, in the layout of the city's printed books (see `civicplan.reports.plan_book`).

The book is built once as a `reports.document.Document` and written by the format's writer. How each gets the
page numbers of its table of contents, which only a layout engine knows:

* PDF (WeasyPrint lays the pages out itself): each entry prints its heading's page with CSS `target-counter`.
* ODT (odfdo): a real table of contents (`text:table-of-content`, over index marks in the headings). As written,
  each entry shows its page through a page-reference field to a bookmark at the heading, which LibreOffice
  computes when it lays out the document (checked with LibreOffice 7.4); Tools ▸ Update ▸ Update All rebuilds
  the index itself.
* DOCX (python-docx): a TOC field (over TC fields in the headings) and `w:updateFields` in the settings, so that
  Word updates the fields — the page numbers — when the file is opened (it asks first). LibreOffice keeps the
  entries as written, with "?" for the pages, until Tools ▸ Update ▸ Update All.

Header rows are repeated on every page a table spans (PDF `<thead>`, ODT `table:table-header-rows`, DOCX
`w:tblHeader`); the text is set in Noto Serif CJK TC and Noto Sans CJK TC, zh-TW, which the PDF embeds.
"""

from __future__ import annotations

from civicplan.exports import ExportError, ExportRequest

WRITERS = {
    "odt": ("civicplan.reports.odt", "write_odt"),
    "docx": ("civicplan.reports.docx", "write_docx"),
    "pdf": ("civicplan.reports.pdf", "write_pdf"),
}


def export_book(request: ExportRequest) -> bytes:
    request.report(0, 2)
    document = book_document(request)
    request.report(1, 2)  # built; writing (the PDF's layout) is the long part
    return write(document, request.fmt)


def write(document, fmt: str) -> bytes:
    """A reports.document.Document in `fmt` (odt, docx or pdf), by that format's writer."""
    import importlib

    module, function = WRITERS[fmt]
    return getattr(importlib.import_module(module), function)(document)


def book_document(request: ExportRequest):
    """The request checked and the book built as a Document (ExportError says what is wrong with the request)."""
    from civicplan.plans.models import PlanKind
    from civicplan.reports.plan_book import book_chapters, build_plan_book

    if request.fmt not in WRITERS:
        raise ExportError(f"book: format “{request.fmt}” is not offered; one of {', '.join(WRITERS)}")
    cycle = request.cycle
    if cycle is None:
        raise ExportError("book: name the plan cycle with --city and --period (e.g. --city 基隆市 --period 109-112)")
    if request.city is not None and cycle.city_id != request.city.pk:
        raise ExportError(f"book: the plan {cycle} is not {request.city.name}'s")
    if cycle.kind == PlanKind.STRATEGY_MAP:
        raise ExportError(f"book: {cycle} is a strategy map, not a plan book; export it with `strategy-map`")
    if request.actor is not None:
        from civicplan.permissions import can

        if not can(request.actor, "plans.view", cycle):
            raise ExportError(f"book: you may not see the plan {cycle}")
    agency = request.agency
    if agency is not None:
        if agency.city_id != cycle.city_id:
            raise ExportError(f"book: {agency.name} is not an agency of {cycle.city.name}")
        if not book_chapters(cycle, agency):
            raise ExportError(f"book: {agency.name} has no chapter in {cycle.city.name}'s plan "
                              f"{cycle.start_year}-{cycle.end_year}")
    try:
        return build_plan_book(cycle, agency)
    except LookupError:
        raise ExportError(f"book: {cycle.city.name}'s plan {cycle.start_year}-{cycle.end_year} has no agency "
                          "chapters to print") from None
