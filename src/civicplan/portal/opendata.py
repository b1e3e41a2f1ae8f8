"""Open data: one table (zh-TW column headers, rows of plain values) written as CSV, JSON, XLSX or ODS.

Pure: no Django. A page builds a `Table` from what it shows; `render(table, fmt)` gives the bytes and
`FORMATS[fmt]` the content type and file extension.

* CSV: UTF-8 with a BOM (Excel on a Taiwanese office PC opens it as UTF-8, not Big5), CRLF line ends.
* JSON: {"title", "columns", "rows": [{column: value}]}, UTF-8, numbers as numbers, null for no value.
* XLSX (openpyxl) and ODS (odfdo): one sheet named after the table, bold header row, numbers as numbers.
  `render_sheets(tables, fmt, when=…)` writes several tables as the sheets of one workbook. Given `when` (e.g. the
  newest change of the data), the document's dates and the dates of the zip entries are that moment, so the same
  data gives the same bytes (without it they are the time of writing).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

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
    return xlsx_book([table], title=table.title)


def to_ods(table: Table) -> bytes:
    return ods_book([table], title=table.title)


# Characters XML 1.0 (and so XLSX and ODS) cannot hold; a PDF conversion leaves form feeds in text.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Asia/Taipei has kept UTC+8 without daylight saving since 1979: zip entries and ODF dates are local times.
TAIPEI = timezone(timedelta(hours=8))


def _cell(value: Value):
    value = plain(value)
    return _NOT_IN_XML.sub("", value) if isinstance(value, str) else value


def _sheet_names(tables: list[Table]) -> list[str]:
    names: list[str] = []
    for table in tables:
        name, n = sheet_name(table.title), 1
        while name in names:
            n += 1
            name = f"{sheet_name(table.title)[:31 - len(str(n)) - 3]} ({n})"
        names.append(name)
    return names


def xlsx_book(tables: list[Table], *, title: str = "", when: datetime | None = None) -> bytes:
    """The tables as the sheets of one XLSX workbook, in order (openpyxl's write-only mode: a city's results are
    thousands of rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for table, name in zip(tables, _sheet_names(tables)):
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            widest = max([len(column), *(len(text(row[index - 1])) for row in table.rows[:200])])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, 2 + widest * 1.8)
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
    if not tables:
        book.create_sheet("data")
    book.properties.title = title or None
    book.properties.language = "zh-TW"
    if when is not None:
        moment = when.astimezone(UTC).replace(tzinfo=None, microsecond=0)
        book.properties.created = book.properties.modified = moment
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if when is not None:
        # openpyxl stamps the modified date while saving: put the data's moment back, then fix the zip dates.
        data = _rezip(data, when, {"docProps/core.xml": _xlsx_core_dates(when)})
    return data


def _xlsx_core_dates(when: datetime):
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def fix(xml: bytes) -> bytes:
        return re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", xml)

    return fix


def ods_book(tables: list[Table], *, title: str = "", when: datetime | None = None) -> bytes:
    """The tables as the sheets of one ODS spreadsheet, in order, with a bold header row.

    odfdo gives the package (styles, metadata, manifest); the sheets are written as XML text into its empty
    content.xml: building them cell by cell with odfdo takes minutes for a city's results (thousands of rows),
    and appending a parsed subtree to its document is quadratic in lxml. The cells are the same as odfdo's.
    """
    from odfdo import Document

    document = Document("spreadsheet")
    document.body.clear()  # the template's own empty sheet (“Feuille1”) goes
    # Title and language in the document's metadata.
    document.meta.set_title(title or (tables[0].title if tables else ""))
    document.meta.set_language("zh-TW")
    if when is not None:
        local = when.astimezone(TAIPEI).replace(tzinfo=None, microsecond=0)
        document.meta.set_creation_date(local)
        document.meta.set_modification_date(local)
    out = io.BytesIO()
    document.save(out)
    sheets = "".join(_ods_table_xml(name, table) for table, name in zip(tables, _sheet_names(tables)))
    sheets = sheets or _ods_table_xml("data", Table("data", []))

    def fill(content: bytes) -> bytes:
        empty, styles_end = b"<office:spreadsheet/>", b"</office:automatic-styles>"
        if content.count(empty) != 1 or content.count(styles_end) != 1:
            raise RuntimeError("odfdo's spreadsheet template has changed: content.xml has no empty spreadsheet")
        content = content.replace(styles_end, _ODS_HEADER_STYLE + styles_end)
        return content.replace(empty, b"<office:spreadsheet>" + sheets.encode("utf-8") + b"</office:spreadsheet>")

    return _rezip(out.getvalue(), when, {"content.xml": fill})


_ODS_HEADER = "civicplanHeader"
_ODS_HEADER_STYLE = (
    f'<style:style style:name="{_ODS_HEADER}" style:family="table-cell"><style:text-properties '
    'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>'
).encode()


def _ods_table_xml(name: str, table: Table) -> str:
    head = "".join(_ods_cell(c).replace("<table:table-cell ", f'<table:table-cell table:style-name="{_ODS_HEADER}" ', 1)
                   for c in table.columns)
    rows = "".join(f"<table:table-row>{''.join(_ods_cell(_ods_value(v)) for v in row)}</table:table-row>"
                   for row in table.rows)
    return (f"<table:table table:name={quoteattr(name)}>"
            f'<table:table-column table:number-columns-repeated="{max(1, len(table.columns))}"/>'
            f"<table:table-row>{head}</table:table-row>{rows}</table:table>")


def _ods_value(value: Value):
    value = _cell(value)
    return None if value == "" else value


def _ods_cell(value) -> str:
    """A cell as ODF: numbers as floats; text with its exact value in office:string-value and, for display, a
    paragraph per line with runs of spaces and tabs spelled out (XML would collapse them)."""
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = text(value)
        return (f'<table:table-cell office:value-type="float" office:value="{number}">'
                f"<text:p>{number}</text:p></table:table-cell>")
    value = str(value)
    paragraphs = "".join(f"<text:p>{_odf_spaces(escape(line))}</text:p>" for line in value.split("\n"))
    return (f'<table:table-cell office:value-type="string" office:string-value={quoteattr(value)}>'
            f"{paragraphs}</table:table-cell>")


def _odf_spaces(line: str) -> str:
    line = line.replace("\t", "<text:tab/>")
    line = re.sub(r"  +", lambda m: " " + (f'<text:s text:c="{len(m[0]) - 1}"/>' if len(m[0]) > 2 else "<text:s/>"),
                  line)
    return re.sub(r"^ ", "<text:s/>", line)


def _rezip(data: bytes, when: datetime | None, rewrite: dict | None = None) -> bytes:
    """The same zip, entries in the same order with the same compression (an ODF's `mimetype` stays first and
    stored), the entries named in `rewrite` passed through its function; with `when`, every entry is dated then
    (local Taipei time; a zip cannot say earlier than 1980)."""
    stamp = None
    if when is not None:
        stamp = max(when.astimezone(TAIPEI).replace(tzinfo=None), datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if rewrite and info.filename in rewrite:
                content = rewrite[info.filename](content)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp or info.date_time)
            entry.compress_type = info.compress_type
            entry.create_system = info.create_system
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()


WRITERS = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx, "ods": to_ods}
BOOK_WRITERS = {"xlsx": xlsx_book, "ods": ods_book}


def render(table: Table, fmt: str) -> bytes:
    if fmt not in WRITERS:
        raise ValueError(f"unknown open-data format {fmt!r}; one of {', '.join(WRITERS)}")
    return WRITERS[fmt](table)


def render_sheets(tables: list[Table], fmt: str, *, title: str = "", when: datetime | None = None) -> bytes:
    """Several tables as one workbook, a sheet each (XLSX or ODS); see the module docstring for `when`."""
    if fmt not in BOOK_WRITERS:
        raise ValueError(f"several tables are written as {' or '.join(BOOK_WRITERS)}, not {fmt!r}")
    return BOOK_WRITERS[fmt](tables, title=title, when=when)


def page_or_table(request, page, table_builder, filename: str):
    """A list page, or its table as open data when ?format=csv|json|xlsx|ods asks for it (portal and staff
    pages alike). `page()` renders the HTML; `table_builder()` gives the Table, built only when it is asked for."""
    from django.http import HttpResponse, HttpResponseBadRequest
    from django.utils.http import content_disposition_header

    fmt = request.GET.get("format")
    if fmt is None:
        return page()
    if fmt not in FORMATS:
        return HttpResponseBadRequest(f"format: one of {', '.join(FORMATS)}", content_type="text/plain; charset=utf-8")
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(render(table_builder(), fmt), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{extension}")
    return response
