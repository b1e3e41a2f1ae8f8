"""Open data: one table (zh-TW column headers, rows of plain values) written as CSV, JSON, XLSX or ODS.

Pure: no Django. A page builds a `Table` from what it shows; `render(table, fmt)` gives the bytes and
`FORMATS[fmt]` the content type and file extension.

* CSV: UTF-8 with a BOM (Excel on a Taiwanese office PC opens it as UTF-8, not Big5), CRLF line ends.
* JSON: {"title", "columns", "rows": [{column: value}]}, UTF-8, numbers as numbers, null for no value.
* XLSX (openpyxl) and ODS (odfdo): one sheet named after the table, bold header row, numbers as numbers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json; charset=utf-8", "json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
}

Value = str | int | float | Decimal | None


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Value]] = field(default_factory=list)

    def __post_init__(self):
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"a row of {len(row)} cells in a table of {len(self.columns)} columns: {row!r}")


def plain(value: Value) -> str | int | float | None:
    """A cell as JSON, a spreadsheet or a CSV wants it: whole Decimals as int, others as float; "" for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def text(value: Value) -> str:
    value = plain(value)
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def to_csv(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(table: Table) -> bytes:
    rows = [dict(zip(table.columns, (None if v is None else plain(v) for v in row))) for row in table.rows]
    document = {"title": table.title, "columns": table.columns, "rows": rows}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def sheet_name(title: str) -> str:
    """A sheet name both Excel and LibreOffice accept: no []:*?/\\, at most 31 characters."""
    name = re.sub(r"[\[\]:*?/\\']", " ", title).strip() or "data"
    return name[:31]


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name(table.title)
    sheet.append(table.columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([plain(v) for v in row])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        widest = max([len(column), *(len(text(row[index - 1])) for row in table.rows[:200])])
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(60, 2 + widest * 1.8)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_ods(table: Table) -> bytes:
    from odfdo import Document, Table as OdsTable

    document = Document("spreadsheet")
    document.body.clear()  # the template's own empty sheet (“Feuille1”) goes
    sheet = OdsTable(sheet_name(table.title))
    values = [list(table.columns)] + [[_ods_value(v) for v in row] for row in table.rows]
    sheet.set_values(values)
    document.body.append(sheet)
    # Title and language in the document's metadata.
    document.meta.set_title(table.title)
    document.meta.set_language("zh-TW")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _ods_value(value: Value):
    value = plain(value)
    return None if value == "" else value


WRITERS = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx, "ods": to_ods}


def render(table: Table, fmt: str) -> bytes:
    if fmt not in WRITERS:
        raise ValueError(f"unknown open-data format {fmt!r}; one of {', '.join(WRITERS)}")
    return WRITERS[fmt](table)
