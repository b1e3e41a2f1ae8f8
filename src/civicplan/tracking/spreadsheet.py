"""Bulk entry of actuals (列管批次填報): a report's template as a spreadsheet, and the filled file read back.

    make_template(report, "xlsx" | "ods") → bytes
    read_upload(report, filename, data) → (entries, errors)     entries as services.do_save_report takes them
    read(report, filename, data) → Upload                         the same, with the sheet row of every entry
    describe(report, entries, rows) → Preview                    old → new per KPI, the light it will get, and
                                                                  what a behind KPI still needs before submitting

The template (one sheet, 列管填報):
  row 1   the title: city, agency, period (ROC) and due date;   row 2   how to fill it in;
  row 3   the headers 代碼 · 指標 · 單位 · 年度目標值 · 本期應達 · 上期實際值 · 實際值 · 執行情形 · 落後原因 · 因應對策;
  row 4…  one row per KPI of the report, in the grid's order, prefilled with what is saved now.
The sheet is protected (no password: it guards against slips, the server checks every cell anyway); only the four
input cells of each row are unlocked — XLSX: sheet protection + unlocked cells, workbook structure locked; ODS: a
protected table whose input cells have style:cell-protect="none". 代碼 is `M<measurement id>-v<version>`: it ties
the row to its KPI and to the version it was downloaded at. A hidden sheet `civicplan` names the report (format
civicplan.bulk-actuals/1). 實際值 is validated as at most 300 characters in both formats.

Reading goes by the content (a renamed file is read as what it is) and by the header row, not by positions; only the
cells that differ from the database become entries, and their rows' versions must still be current (a row saved
meanwhile by someone else is a conflict, never overwritten). Nothing here writes to the database.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.targets.dates import ROC_OFFSET
from civicplan.targets.numerals import plain
from civicplan.tracking.assessment import assess, parsed
from civicplan.tracking.models import Light, Measurement, Period, Report
from civicplan.tracking.services import ENTRY_FIELDS

FORMAT = "civicplan.bulk-actuals/1"
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
SHEET = "列管填報"
META_SHEET = "civicplan"
HEADER_ROW = 3  # the title, the instructions, then the headers
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # a zip that unpacks to more than this is not a template (zip bomb)
MAX_ROWS = 3000  # rows read per sheet; a report has at most a few hundred KPIs
ACTUAL_MAX = Measurement._meta.get_field("actual_raw").max_length  # 300, as the grid's save refuses longer
# 執行情形, 落後原因, 因應對策: about two printed pages of Chinese. The grid sets no limit; a spreadsheet cell holds
# at most 32,767 characters (openpyxl cuts longer ones silently), so a cell pasted far too long is refused here.
# Checked only on changed cells: a longer text saved in the grid can stay as it is.
NOTE_MAX = 4000

KEY = "代碼"
# (field, header, column width in characters, typed by the user?)
COLUMNS = [
    ("key", KEY, 12, False),
    ("name", "指標", 36, False),
    ("unit", "單位", 8, False),
    ("target", "年度目標值", 14, False),
    ("expected", "本期應達", 18, False),
    ("previous", "上期實際值", 14, False),
    ("actual_raw", "實際值", 14, True),
    ("progress_note", "執行情形", 40, True),
    ("delay_reason", "落後原因", 30, True),
    ("countermeasure", "因應對策", 30, True),
]
HEADERS = {name: header for name, header, _w, _i in COLUMNS}
INPUTS = [name for name, _h, _w, typed in COLUMNS if typed]
COLUMN_AT = {name: index for index, (name, _h, _w, _t) in enumerate(COLUMNS, start=1)}  # 1 = A
assert set(INPUTS) == set(ENTRY_FIELDS)
KEY_RE = re.compile(r"^M(\d{1,12})-v(\d{1,9})$", re.IGNORECASE)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# --- What the template holds ------------------------------------------------------------------------------


def key_of(measurement: Measurement) -> str:
    return f"M{measurement.pk}-v{measurement.version}"


def roc_date(value: date) -> str:
    return f"{value.year - ROC_OFFSET}/{value.month:02d}/{value.day:02d}"


def clean(text) -> str:
    """A text cell as compared and saved: line ends as \\n, no control characters, no outer white space."""
    text = "" if text is None else str(text)
    return CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def previous_period(period: Period) -> Period | None:
    return (Period.objects.filter(city=period.city_id, frequency=period.frequency, ends_on__lt=period.starts_on)
            .order_by("-ends_on").first())


def _measurements(report: Report):
    return (report.measurements.select_related("indicator__goal__chapter__cycle__city")
            .prefetch_related("indicator__targets"))


def template_rows(report: Report) -> list[dict]:
    """One dict per KPI of the report (the grid's order): the locked columns and the inputs as saved now."""
    earlier = previous_period(report.period)
    previous = {}
    if earlier is not None:
        previous = dict(Measurement.objects.filter(report__agency=report.agency_id, report__period=earlier)
                        .values_list("indicator_id", "actual_raw"))
    rows = []
    for m in _measurements(report):
        target = next((t for t in m.indicator.targets.all() if t.year == report.period.year), None)
        unit = m.indicator.unit or (target.unit if target else "") or ""
        rows.append({
            "measurement": m, "key": key_of(m), "name": m.indicator.name, "unit": unit,
            "target": target.raw if target else "", "expected": m.expected_raw or (target.raw if target else ""),
            "previous": previous.get(m.indicator_id, ""),
            **{f: clean(getattr(m, f)) for f in ENTRY_FIELDS},
        })
    return rows


def _title(report: Report) -> str:
    return _("%(city)s %(agency)s · %(period)s · bulk entry of actuals (列管填報) · due %(due)s") % {
        "city": report.agency.city.name, "agency": report.agency.name, "period": report.period,
        "due": roc_date(report.period.due_on)}


def _instructions(report: Report) -> str:
    now = timezone.localtime()
    return _("Fill in the white cells only: 實際值, 執行情形, 落後原因 and 因應對策 (落後原因 and 因應對策 where a KPI is "
             "behind). Grey cells are locked; 代碼 ties each row to its KPI: do not change it. Upload the file on the "
             "update grid: you will see every change and every problem first, and nothing is saved before you "
             "confirm. Values as saved on %(when)s.") % {
        "when": f"{roc_date(now.date())} {now.hour:02d}:{now.minute:02d}"}


def _meta(report: Report) -> list[tuple[str, str]]:
    return [
        ("format", FORMAT), ("report", str(report.pk)), ("agency", str(report.agency_id)),
        ("agency name", report.agency.name), ("period", str(report.period_id)), ("period name", str(report.period)),
        ("city", report.agency.city.name), ("report version", str(report.version)),
        ("downloaded", timezone.localtime().isoformat(timespec="seconds")),
    ]


def make_template(report: Report, fmt: str) -> bytes:
    """The report's template as XLSX or ODS bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown template format {fmt!r}; one of {', '.join(FORMATS)}")
    rows = template_rows(report)
    return (_xlsx if fmt == "xlsx" else _ods)(report, rows)


def filename_for(report: Report, fmt: str) -> str:
    return f"{report.agency.name}_{report.period.year}-{report.period.seq}_列管填報.{fmt}"


GREY, HEAD_FILL = "EEEEEE", "D9E2F3"


def _xlsx(report: Report, rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    def text(value) -> str:
        return ILLEGAL_CHARACTERS_RE.sub("", str(value or ""))

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    width = len(COLUMNS)
    last = get_column_letter(width)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor=GREY)
    top = Alignment(wrap_text=True, vertical="top")

    sheet["A1"] = text(_title(report))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = text(_instructions(report))
    sheet["A2"].alignment = top
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[2].height = 48
    for index, (name, header, chars, typed) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEAD_FILL)
        cell.border, cell.alignment = border, Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = chars * 1.8
    sheet.cell(row=HEADER_ROW, column=1).comment = Comment(
        _("The key of the row: the KPI and the version it was downloaded at. Do not change it."), "civicplan")
    for y, row in enumerate(rows, start=HEADER_ROW + 1):
        for x, (name, _header, _chars, typed) in enumerate(COLUMNS, start=1):
            value = text(row[name]) or None
            cell = sheet.cell(row=y, column=x, value=value)
            if value is not None and value.startswith("="):
                cell.data_type = "s"  # a text, not a formula
            cell.border, cell.alignment = border, top
            if typed:
                cell.protection = Protection(locked=False)
                cell.number_format = "@"  # typed text stays text: 300件, 95%, 110/07/20
            else:
                cell.fill = grey
        sheet.cell(row=y, column=1).font = Font(color="666666", size=9)
    first, end = HEADER_ROW + 1, max(HEADER_ROW + 1, HEADER_ROW + len(rows))
    actual_col = get_column_letter(COLUMN_AT["actual_raw"])
    actual_rule = DataValidation(
        type="textLength", operator="lessThanOrEqual", formula1=str(ACTUAL_MAX), allow_blank=True,
        showErrorMessage=True, showInputMessage=True, errorStyle="stop",
        errorTitle=_("Too long")[:32], error=_("At most %(n)s characters.") % {"n": ACTUAL_MAX},
        promptTitle=_("Actual (實際值)")[:32],
        prompt=_("As printed: 300件, 95%, 110/07/20, 完成. Words go in 執行情形.")[:255])
    actual_rule.add(f"{actual_col}{first}:{actual_col}{end}")
    sheet.add_data_validation(actual_rule)
    notes_rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(NOTE_MAX),
                                allow_blank=True, showErrorMessage=True, errorStyle="stop",
                                error=_("At most %(n)s characters.") % {"n": NOTE_MAX})
    notes_rule.add(f"{get_column_letter(COLUMN_AT['progress_note'])}{first}:"
                   f"{get_column_letter(COLUMN_AT['countermeasure'])}{end}")
    sheet.add_data_validation(notes_rule)
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Locked cells cannot be changed; columns and rows may still be resized; no password.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    meta = book.create_sheet(META_SHEET)
    for name, value in _meta(report):
        meta.append([name, text(value)])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.title = text(_title(report))
    book.properties.creator = "civicplan"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ODS_STYLES = [
    '<number:text-style style:name="Ntext"><number:text-content/></number:text-style>',
    ('<style:style style:name="title" style:family="table-cell"><style:table-cell-properties '
     'style:cell-protect="protected"/><style:text-properties fo:font-size="14pt" fo:font-weight="bold" '
     'style:font-size-asian="14pt" style:font-weight-asian="bold"/></style:style>'),
    ('<style:style style:name="help" style:family="table-cell"><style:table-cell-properties '
     'style:cell-protect="protected" fo:wrap-option="wrap" style:vertical-align="top"/></style:style>'),
    ('<style:style style:name="head" style:family="table-cell"><style:table-cell-properties '
     f'fo:background-color="#{HEAD_FILL.lower()}" fo:border="0.5pt solid #999999" style:cell-protect="protected" '
     'fo:wrap-option="wrap"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/>'
     '</style:style>'),
    ('<style:style style:name="locked" style:family="table-cell"><style:table-cell-properties '
     f'fo:background-color="#{GREY.lower()}" fo:border="0.5pt solid #999999" style:cell-protect="protected" '
     'fo:wrap-option="wrap" style:vertical-align="top"/></style:style>'),
    ('<style:style style:name="key" style:family="table-cell"><style:table-cell-properties '
     f'fo:background-color="#{GREY.lower()}" fo:border="0.5pt solid #999999" style:cell-protect="protected" '
     'style:vertical-align="top"/><style:text-properties fo:color="#666666" fo:font-size="9pt" '
     'style:font-size-asian="9pt"/></style:style>'),
    ('<style:style style:name="input" style:family="table-cell" style:data-style-name="Ntext">'
     '<style:table-cell-properties fo:background-color="#ffffff" fo:border="0.5pt solid #999999" '
     'style:cell-protect="none" fo:wrap-option="wrap" style:vertical-align="top"/></style:style>'),
    ('<style:style style:name="tall" style:family="table-row"><style:table-row-properties '
     'style:row-height="1.6cm"/></style:style>'),
    ('<style:style style:name="hidden" style:family="table"><style:table-properties table:display="false"/>'
     '</style:style>'),
]


def _ods(report: Report, rows: list[dict]) -> bytes:
    from odfdo import Cell, Column, Document, Element, Row, Table

    document = Document("spreadsheet")
    document.body.clear()  # the template's own empty sheet goes
    for xml in ODS_STYLES:
        document.insert_style(Element.from_tag(xml), automatic=True)
    for _name, _header, chars, _typed in COLUMNS:
        name = f"w{chars}"
        if document.get_style("table-column", name) is None:
            document.insert_style(Element.from_tag(
                f'<style:style style:name="{name}" style:family="table-column"><style:table-column-properties '
                f'style:column-width="{chars * 0.42:.2f}cm"/></style:style>'), automatic=True)
    first = HEADER_ROW + 1
    actual = chr(ord("A") + COLUMN_AT["actual_raw"] - 1)
    document.body.insert(Element.from_tag(
        '<table:content-validations><table:content-validation table:name="actual" '
        f'table:condition="of:cell-content-text-length()&lt;={ACTUAL_MAX}" table:allow-empty-cell="true" '
        f'table:base-cell-address="{SHEET}.{actual}{first}">'
        f'<table:help-message table:title="{_xml(_("Actual (實際值)"))}" table:display="true"><text:p>'
        f'{_xml(_("As printed: 300件, 95%, 110/07/20, 完成. Words go in 執行情形."))}</text:p></table:help-message>'
        f'<table:error-message table:message-type="stop" table:title="{_xml(_("Too long"))}" '
        f'table:display="true"><text:p>{_xml(_("At most %(n)s characters.") % {"n": ACTUAL_MAX})}</text:p>'
        '</table:error-message></table:content-validation></table:content-validations>'), position=0)

    table = Table(SHEET)
    for _name, _header, chars, _typed in COLUMNS:
        table.append(Column(style=f"w{chars}"))
    title = Row()
    title.append_cell(Cell(clean(_title(report)), style="title"))
    table.append_row(title)
    instructions = Row(style="tall")
    instructions.append_cell(Cell(clean(_instructions(report)), style="help"))
    table.append_row(instructions)
    headers = Row()
    for _name, header, _chars, _typed in COLUMNS:
        headers.append_cell(Cell(header, style="head"))
    table.append_row(headers)
    for row in rows:
        line = Row()
        for name, _header, _chars, typed in COLUMNS:
            value = row[name] or None
            style = "input" if typed else ("key" if name == "key" else "locked")
            cell = Cell(value, cell_type="string" if value is not None else None, style=style)
            if name == "actual_raw":
                cell.set_attribute("table:content-validation-name", "actual")
            line.append_cell(cell)
        table.append_row(line)
    width = len(COLUMNS)
    last = chr(ord("A") + width - 1)
    table.set_span(f"A1:{last}1")
    table.set_span(f"A2:{last}2")
    table.protected = True  # no password: LibreOffice's Tools ▸ Protect Sheet without one
    document.body.append(table)

    meta = Table(META_SHEET, style="hidden")
    meta.set_values([[name, value] for name, value in _meta(report)])
    meta.protected = True
    document.body.append(meta)
    document.meta.set_title(clean(_title(report)))
    document.meta.set_language("zh-TW")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


# --- Reading a filled template -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """A problem of the upload: the sheet row as the user sees it (None: the whole file), the column header."""

    kind: str  # format · too-large · empty · not-template · other-report · missing-key · unknown-key ·
    #            duplicate-key · name-mismatch · conflict · kind · too-long · behind (a warning)
    message: str
    row: int | None = None
    column: str = ""


@dataclass
class Upload:
    entries: dict = field(default_factory=dict)  # {measurement id: {"version": n, changed field: value, …}}
    errors: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)  # {measurement id: sheet row} for every entry
    fmt: str = ""
    sheet: str = ""
    read_rows: int = 0  # KPI rows found in the file


class UploadError(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.error = CellError(kind, message)


@dataclass
class Sheet:
    name: str
    rows: list  # [(row number, [cell text, …])] of the non-empty rows, in order


def read_upload(report: Report, filename: str, data: bytes) -> tuple[dict, list[CellError]]:
    """The entries a filled template makes (only the cells it changes) and every error found in it.

    With any error the entries are empty: nothing of a file with errors is saved. Without errors they go to
    services.do_save_report as they are (each row with the version it was downloaded at)."""
    upload = read(report, filename, data)
    return upload.entries, upload.errors


def read(report: Report, filename: str, data: bytes) -> Upload:
    """read_upload, with the sheet row of each entry (for the preview) and what was read."""
    upload = Upload()
    try:
        upload.fmt = sniff(filename, data)
        sheets = _read_xlsx(data) if upload.fmt == "xlsx" else _read_ods(data)
    except UploadError as error:
        upload.errors.append(error.error)
        return upload
    meta = next((s for s in sheets if s.name == META_SHEET), None)
    problem = _check_meta(report, meta)
    if problem is not None:
        upload.errors.append(problem)
        return upload
    found = _find_header(s for s in sheets if s.name != META_SHEET)
    if found is None:
        upload.errors.append(CellError("not-template", _(
            "No sheet has the template's header row (%(headers)s): this file is not a bulk-entry template. Download "
            "the template on the update grid and fill that in.") % {"headers": "、".join(h for _n, h, _w, _t in COLUMNS)}))
        return upload
    sheet, header_at, columns = found
    upload.sheet = sheet.name
    _read_rows(report, sheet, header_at, columns, upload)
    if upload.errors:
        upload.entries, upload.rows = {}, {}
    return upload


def too_large() -> CellError:
    return CellError("too-large", _("The file is larger than %(mb)s MB: this is not a template of one report.")
                     % {"mb": MAX_UPLOAD_BYTES // 2**20})


def sniff(filename: str, data: bytes) -> str:
    """"xlsx" or "ods", by the content (a renamed file is read as what it is), or UploadError saying what it is."""
    if not data:
        raise UploadError("empty", _("The file is empty (0 bytes)."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError("too-large", too_large().message)
    what = None
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = set(archive.namelist())
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise UploadError("too-large", _("The file unpacks to more than %(mb)s MB: this is not a template "
                                                 "of one report.") % {"mb": MAX_UNPACKED_BYTES // 2**20})
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError,
                NotImplementedError):
            raise UploadError("format", _("The file is damaged: it starts like an XLSX or ODS file but cannot be "
                                          "opened. Save it again as .xlsx or .ods.")) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if mimetype == FORMATS["ods"]:
            return "ods"
        if "word/document.xml" in names:
            what = _("a Word document (.docx)")
        elif "ppt/presentation.xml" in names:
            what = _("a PowerPoint presentation (.pptx)")
        elif mimetype.startswith("application/vnd.oasis.opendocument."):
            what = _("an OpenDocument file that is not a spreadsheet (%(type)s)") % {"type": mimetype.rsplit(".", 1)[-1]}
        else:
            what = _("a ZIP archive")
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        what = _("an old Office file (.xls or .doc, Office 97–2003)")
    elif data[:4] == b"%PDF":
        what = _("a PDF document")
    elif data[:2] in (b"\xff\xd8", b"\x89P"):
        what = _("an image")
    if what is not None:
        raise UploadError("format", _("%(name)s is %(what)s, not a spreadsheet: upload the template as XLSX or "
                                      "ODS (in Excel or LibreOffice: Save as .xlsx or .ods).")
                          % {"name": filename, "what": what})
    raise UploadError("format", _("%(name)s is not an XLSX or ODS spreadsheet (nor a damaged one): upload the "
                                  "template you downloaded, saved as .xlsx or .ods.") % {"name": filename})


def _damaged(fmt: str) -> UploadError:
    return UploadError("format", _("The file looks like %(fmt)s but is damaged and cannot be read. Open it in Excel "
                                   "or LibreOffice and save it again, or download a new template.")
                       % {"fmt": fmt.upper()})


def cell_text(value, number_format: str = "") -> str:
    """A cell's value as the text a user typed: numbers without a trailing .0, percentages with %, dates in ROC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
        if isinstance(value, datetime):
            return f"{roc_date(value.date())} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, date):
        return roc_date(value)
    if isinstance(value, (int, float, Decimal)):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return str(value)
        if not number.is_finite():
            return str(value)
        percent = "%" in (number_format or "")
        if percent:
            number *= 100
        number = number.quantize(Decimal("0.0001")) if number != number.to_integral_value() else number
        text = format(number.normalize(), "f")
        return text + ("%" if percent else "")
    return clean(value)


def _read_xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises anything from KeyError to InvalidFileException
        raise _damaged("xlsx") from None
    sheets = []
    try:
        for ws in book.worksheets:
            rows = []
            for number, cells in enumerate(ws.iter_rows(), start=1):
                if number > MAX_ROWS:
                    break
                values = [cell_text(c.value, getattr(c, "number_format", "")) for c in cells[:40]]
                if any(values):
                    rows.append((number, values))
            sheets.append(Sheet(ws.title, rows))
    except Exception:  # noqa: BLE001 — a damaged file makes the parser raise anything
        raise _damaged("xlsx") from None
    finally:
        book.close()
    return sheets


ODS_ROWS = ("table:table-row|table:table-rows/table:table-row|table:table-header-rows/table:table-row|"
            "table:table-row-group//table:table-row")


def _read_ods(data: bytes) -> list[Sheet]:
    from odfdo import Document

    try:
        document = Document(io.BytesIO(data))
        tables = document.body.get_tables()
    except Exception:  # noqa: BLE001 — a damaged file makes the parser raise anything
        raise _damaged("ods") from None
    sheets = []
    try:
        for table in tables:
            rows, y = [], 0
            for row in table.get_elements(ODS_ROWS):
                repeat = int(row.get_attribute_string("table:number-rows-repeated") or 1)
                values = _ods_row(row)
                if any(values):
                    for _i in range(min(repeat, MAX_ROWS)):
                        y += 1
                        if y <= MAX_ROWS:
                            rows.append((y, values))
                else:
                    y += repeat  # LibreOffice ends a sheet with a million repeated empty rows
                if y > MAX_ROWS:
                    break
            sheets.append(Sheet(table.name or "", rows))
    except Exception:  # noqa: BLE001 — a damaged file makes the parser raise anything
        raise _damaged("ods") from None
    return sheets


def _ods_row(row) -> list[str]:
    values = []
    for cell in row.get_elements("table:table-cell|table:covered-table-cell"):
        repeat = int(cell.get_attribute_string("table:number-columns-repeated") or 1)
        kind = cell.get_attribute_string("office:value-type")
        value = cell.value if cell.tag == "table:table-cell" else None
        text = cell_text(value, "%" if kind == "percentage" else "")
        values.extend([text] * min(repeat, 40 - len(values)))
        if len(values) >= 40:
            break
    return values


def _check_meta(report: Report, meta: Sheet | None) -> CellError | None:
    """The hidden sheet names the report the template was made for: another report's file is refused whole."""
    if meta is None:
        return None  # copied into another workbook: the rows' keys still say which KPI each row is
    values = {row[0]: row[1] for _n, row in meta.rows if len(row) > 1}
    if values.get("format") != FORMAT:
        return CellError("not-template", _("The sheet “%(sheet)s” is not a civicplan template (format %(format)s): "
                                           "download the template on the update grid.")
                         % {"sheet": META_SHEET, "format": values.get("format") or "?"})
    if values.get("report") != str(report.pk):
        other = Report.objects.select_related("agency", "period").filter(pk=_int(values.get("report"))).first()
        named = str(other) if other is not None else \
            f"{values.get('agency name', '?')} {values.get('period name', '?')}"
        return CellError("other-report", _("This file is the template of %(other)s, not of %(this)s. Upload it on "
                                           "its own report's page, or download this report's template.")
                         % {"other": named, "this": report})
    return None


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _find_header(sheets) -> tuple[Sheet, int, dict] | None:
    """The first sheet with the header row (代碼 and 實際值 at least): (sheet, its index in rows, field → column)."""
    wanted = {_fold(header): name for name, header, _w, _t in COLUMNS}
    for sheet in sheets:
        for index, (_number, values) in enumerate(sheet.rows[:20]):
            columns = {}
            for x, value in enumerate(values):
                name = wanted.get(_fold(value))
                if name is not None and name not in columns:
                    columns[name] = x
            if "key" in columns and "actual_raw" in columns:
                return sheet, index, columns
    return None


def _read_rows(report: Report, sheet: Sheet, header_at: int, columns: dict, upload: Upload) -> None:
    period = report.period
    mine = {m.pk: m for m in _measurements(report)}
    seen: dict[int, int] = {}
    errors = upload.errors

    def cell(values, name):
        x = columns.get(name)
        return values[x] if x is not None and x < len(values) else ""

    for number, values in sheet.rows[header_at + 1:]:
        key = _fold(cell(values, "key"))
        inputs = {f: cell(values, f) for f in INPUTS if f in columns}
        if not key:
            if any(inputs.values()):
                errors.append(CellError("missing-key", _(
                    "This row has no key: rows cannot be added to the template. Fill in the row of the KPI (the "
                    "template has one per KPI of the report)."), number, KEY))
            continue
        match = KEY_RE.match(key)
        if match is None:
            errors.append(CellError("unknown-key", _("“%(key)s” is not a key of the template (M<number>-v<number>): "
                                                     "do not change the 代碼 column.") % {"key": key}, number, KEY))
            continue
        pk, version = int(match[1]), int(match[2])
        upload.read_rows += 1
        measurement = mine.get(pk)
        if measurement is None:
            errors.append(_foreign(report, pk, key, number))
            continue
        name = cell(values, "name")
        if "name" in columns and name and _fold(name) != _fold(measurement.indicator.name):
            errors.append(CellError("name-mismatch", _(
                "The key %(key)s is the KPI “%(kpi)s”, but this row names “%(name)s”: rows and keys were mixed up. "
                "Download a new template (also if the KPI was renamed).")
                % {"key": key, "kpi": measurement.indicator.name, "name": name}, number, HEADERS["name"]))
            continue
        if pk in seen:
            errors.append(CellError("duplicate-key", _("“%(name)s” is also on row %(row)s: keep one row per KPI.")
                                    % {"name": measurement.indicator.name, "row": seen[pk]}, number, KEY))
            continue
        seen[pk] = number
        changed = {f for f, value in inputs.items() if value != clean(getattr(measurement, f))}
        if not changed:
            continue
        too_long = [f for f in INPUTS if f in changed and len(inputs[f]) > (ACTUAL_MAX if f == "actual_raw"
                                                                            else NOTE_MAX)]
        for f in too_long:
            errors.append(CellError("too-long", _("%(n)s characters: at most %(max)s.") % {
                "n": len(inputs[f]), "max": ACTUAL_MAX if f == "actual_raw" else NOTE_MAX}, number, HEADERS[f]))
        if too_long:
            continue
        if version != measurement.version:
            errors.append(CellError("conflict", _(
                "“%(name)s” was saved by someone else after this template was downloaded (it is at version "
                "%(current)s, the file has version %(version)s). Your change was not taken: download a new template "
                "or enter it in the update grid.")
                % {"name": measurement.indicator.name, "current": measurement.version, "version": version},
                number, KEY))
            continue
        if "actual_raw" in changed and inputs["actual_raw"]:
            problem = kind_problem(measurement, inputs["actual_raw"], period)
            if problem:
                errors.append(CellError("kind", problem, number, HEADERS["actual_raw"]))
                continue
        upload.entries[pk] = {"version": version, **{f: inputs[f] for f in INPUTS if f in changed}}
        upload.rows[pk] = number
    if not upload.read_rows and not errors:
        errors.append(CellError("empty", _("The sheet has no KPI rows under its headers: fill in the rows of the "
                                           "template you downloaded.")))


def _foreign(report: Report, pk: int, key: str, number: int) -> CellError:
    other = Measurement.objects.select_related("report__agency", "report__period", "indicator").filter(pk=pk).first()
    if other is None:
        return CellError("unknown-key", _("No KPI of this report has the key %(key)s (the row was deleted from the "
                                          "report, or its key was changed): download a new template.")
                         % {"key": key}, number, KEY)
    return CellError("other-report", _("“%(name)s” on this row belongs to %(other)s, not to %(this)s: upload each "
                                       "report's own template.")
                     % {"name": other.indicator.name, "other": other.report, "this": report}, number, KEY)


def kind_problem(measurement: Measurement, actual: str, period: Period) -> str:
    """Why `actual` cannot be compared with the KPI's target (the grid would keep it white), or ""."""
    target = next((t for t in measurement.indicator.targets.all() if t.year == period.year), None)
    if target is None or not target.raw:
        return ""
    t = parsed(target.raw, period.year)
    if t.kind not in ("quantity", "percent", "deadline", "done"):
        return ""  # a composite or text target is assessed by a person: anything goes
    trial = Measurement(report_id=measurement.report_id, indicator=measurement.indicator, actual_raw=actual)
    assess(trial, period=period)
    formula = trial.light_rule.get("formula")
    a = parsed(actual, period.year)
    if formula == "unit-mismatch":
        return _("“%(actual)s” is in %(unit)s, the target %(target)s in %(target_unit)s: give the actual in "
                 "%(target_unit)s.") % {"actual": actual, "unit": a.unit, "target": target.raw,
                                        "target_unit": t.unit}
    if formula != "by-hand":
        return ""
    if t.kind == "deadline":
        return _("“%(actual)s” is not read as a date or as 完成/未完成, and the target %(target)s is a deadline: type the "
                 "date it was done (110/07/20), 完成 or 未完成; words go in 執行情形.") % {"actual": actual,
                                                                               "target": target.raw}
    if t.kind == "done":
        return _("“%(actual)s” is not read as 完成 or 未完成, and the target %(target)s is done-or-not: type 完成 or "
                 "未完成; words go in 執行情形.") % {"actual": actual, "target": target.raw}
    example = f"{plain(t.number)}{'%' if t.kind == 'percent' else t.unit or ''}" if t.number is not None else ""
    return _("“%(actual)s” is not read as a number, and the target %(target)s is %(what)s: type the actual like "
             "the target (e.g. %(example)s); words go in 執行情形.") % {
        "actual": actual, "target": target.raw, "what": _("a percentage") if t.kind == "percent" else _("a number"),
        "example": example or target.raw}


# --- What a clean upload will do ---------------------------------------------------------------------------


@dataclass
class Change:
    measurement: Measurement
    row: int | None
    fields: list  # [(header, old, new)] of the changed fields
    light: str  # the light the new values give
    rate: Decimal | None
    expected: str
    conflict: bool  # saved by someone else since the upload was read


@dataclass
class Preview:
    changes: list
    warnings: list  # CellErrors of kind "behind" (and "conflict" when a row changed since the upload)
    unchanged: int


def describe(report: Report, entries: dict, rows: dict | None = None) -> Preview:
    """What saving `entries` will change, KPI by KPI (old → new, the light it gives), without writing anything;
    behind KPIs (yellow or red) that lack 落後原因 or 因應對策 are named as the grid names them on submitting."""
    rows = {int(k): v for k, v in (rows or {}).items()}
    entries = {int(k): v for k, v in entries.items()}
    changes, warnings = [], []
    measurements = list(_measurements(report))
    for m in measurements:
        entry = entries.get(m.pk)
        if entry is None:
            continue
        values = {f: entry[f] for f in ENTRY_FIELDS if f in entry}
        fields = [(HEADERS[f], getattr(m, f), v) for f, v in values.items() if clean(getattr(m, f)) != clean(v)]
        trial = Measurement(pk=m.pk, report_id=report.pk, indicator=m.indicator,
                            **{f: values.get(f, getattr(m, f)) for f in ENTRY_FIELDS})
        assess(trial, period=report.period)
        conflict = int(entry.get("version") or 0) != m.version
        row = rows.get(m.pk)
        if conflict:
            warnings.append(CellError("conflict", _("“%(name)s” was saved by someone else since the file was read: "
                                                    "confirming will be refused. Upload a new template.")
                                      % {"name": m.indicator.name}, row, KEY))
        if trial.light in (Light.YELLOW, Light.RED):
            if not clean(trial.delay_reason):
                warnings.append(CellError("behind", _("Behind target: give the reason for the delay (落後原因)."),
                                          row, HEADERS["delay_reason"]))
            if not clean(trial.countermeasure):
                warnings.append(CellError("behind", _("Behind target: give the countermeasure (因應對策)."),
                                          row, HEADERS["countermeasure"]))
        changes.append(Change(m, row, fields, trial.light, trial.achievement_rate, trial.expected_raw, conflict))
    return Preview(changes, warnings, len(measurements) - len(changes))
