"""A `reports.document.Document` as PDF: HTML from the template `civicplan/reports/document.html`, laid out by
WeasyPrint.

* Pages: A4, portrait or landscape as the document's page breaks say (CSS named pages `portrait` and
  `landscape`); the page number is in the footer (`@bottom-center`), from 1 at the document's `BodyStart`
  (the cover and the contents have none).
* Contents: each entry links to its heading and prints its page number with `target-counter(attr(href), page)`,
  after a dotted leader; the headings are also the PDF's bookmarks.
* Tables: header rows are a `<thead>`, which WeasyPrint repeats on every page the table spans; a cell spanning
  rows (a goal over its KPIs) is a `rowspan`.
* Fonts: "Noto Serif CJK TC" (text) and "Noto Sans CJK TC" (headings, tables), `lang="zh-TW"`; WeasyPrint embeds
  the subsets it uses (check with `pdffonts`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from civicplan.reports.document import (
    ITEM_INDENTS,
    BodyStart,
    Contents,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
    item_indent,
)

TEMPLATE = "civicplan/reports/document.html"


@dataclass
class _Run:
    """Blocks laid out on pages of one kind: `page` is the CSS named page (front, portrait, landscape)."""

    page: str
    first_body: bool = False
    items: list[dict] = field(default_factory=list)


def html(document: Document) -> str:
    runs: list[_Run] = [_Run("front")]
    orientation = "portrait"
    in_body = False
    toc = []
    contents = document.contents()
    if contents is not None:
        toc = [{"anchor": h.anchor, "text": h.contents_text, "level": h.level} for h in document.toc_entries()]
    for block in document.blocks:
        if isinstance(block, BodyStart):
            in_body = True
            runs.append(_Run(orientation, first_body=True))
            continue
        if isinstance(block, PageBreak):
            orientation = block.orientation or orientation
            runs.append(_Run(orientation if in_body else "front"))
            continue
        runs[-1].items.append(_item(block, toc))
    return render_to_string(TEMPLATE, {
        "document": document, "runs": [r for r in runs if r.items or r.first_body],
    })


def write_pdf(document: Document) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(document), base_url=".").write_pdf()


def _item(block, toc) -> dict:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": min(block.level, 6), "anchor": block.anchor, "number": block.number,
                "text": block.text}
    if isinstance(block, Paragraph):
        left = hang = 0.0
        if block.marker:
            left, hang = item_indent(block.level, block.marker, note=block.style == "note")
        elif block.level > 0:
            left = ITEM_INDENTS[min(block.level, 5)][0]
        return {"kind": "paragraph", "p": block, "left": left, "hang": hang}
    if isinstance(block, Table):
        total = sum(block.widths) or 1
        return {"kind": "table", "table": block, "widths": [round(100 * w / total, 3) for w in block.widths],
                "groups": block.row_groups()}
    if isinstance(block, Image):
        data = base64.b64encode(block.data).decode("ascii")
        return {"kind": "image", "image": block, "src": f"data:{block.mime};base64,{data}"}
    if isinstance(block, Contents):
        return {"kind": "contents", "title": block.title, "entries": toc}
    raise TypeError(f"cannot write {type(block).__name__} to PDF")
