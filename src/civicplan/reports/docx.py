"""A `reports.document.Document` as Word (DOCX), with python-docx.

* Pages: A4 sections, portrait or landscape as the document's page breaks say; the page number (a PAGE field)
  centred in the footer from the document's `BodyStart`, where numbering restarts at 1 (the cover and contents
  section has no footer).
* Contents: a TOC field (`TOC \\f \\l "1-N" \\h \\z`) over TC fields, one in each listed heading, carrying the text
  the contents show; the settings ask the reader to update fields on open (`w:updateFields`), so Word fills in
  the page numbers then. As written, the field's result already lists the entries, each a link to its heading
  with a PAGEREF field for its page showing "?" until the fields are updated (LibreOffice 7.4 keeps the entries
  as written until Tools ▸ Update ▸ Update All).
* Tables: fixed layout over the text width; the header rows are marked `w:tblHeader` (repeated on every page
  the table spans) and may not split; merged cells are `w:vMerge` (rows) and `w:gridSpan` (columns).
* Fonts: "Noto Serif CJK TC" (text) and "Noto Sans CJK TC" (headings, tables) for Western and East Asian text,
  language zh-TW. (The fonts are named, not embedded.)
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from civicplan.reports.document import (
    ITEM_INDENTS,
    LANG,
    NOTE_INDENT,
    SANS,
    SERIF,
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

BASE_PT = 11.5
TWIPS_PER_CM = 567
MARGINS_CM = {"portrait": (2.2, 2.0, 2.2, 2.0), "landscape": (1.8, 1.6, 1.8, 1.8)}  # top, bottom, left, right
PAGE_CM = {"portrait": (21.0, 29.7), "landscape": (29.7, 21.0)}
W = nsdecls("w")


def _text_width_cm(orientation: str) -> float:
    _, _, left, right = MARGINS_CM[orientation]
    return PAGE_CM[orientation][0] - left - right


def _fonts(family: str, size: float | None = None, bold: bool = False) -> str:
    size_xml = f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>' if size else ""
    return (f'<w:rPr><w:rFonts w:ascii="{family}" w:hAnsi="{family}" w:eastAsia="{family}" w:cs="{family}"/>'
            f'{"<w:b/><w:bCs/>" if bold else ""}<w:color w:val="000000"/>{size_xml}'
            f'<w:lang w:val="{LANG}" w:eastAsia="{LANG}"/></w:rPr>')


def _style(style_id: str, name: str, ppr: str, family: str, size: float, bold: bool = False,
           based_on: str = "Normal", extra: str = "") -> str:
    return (f'<w:style {W} w:type="paragraph" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="{based_on}"/>{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr>{_fonts(family, size, bold)}'
            f'</w:style>')


def _twips(em: float, size: float) -> int:
    return round(em * size * 20)


def _item_ppr(size: float, left_em: float, hang_em: float, marker: bool) -> str:
    left = _twips(left_em, size)
    hang = _twips(hang_em, size) if marker else 0
    tabs = f'<w:tabs><w:tab w:val="left" w:pos="{left}"/></w:tabs>' if marker else ""
    return (f'{tabs}<w:spacing w:before="0" w:after="60" w:line="300" w:lineRule="auto"/>'
            f'<w:ind w:left="{left}" w:hanging="{hang}"/><w:jc w:val="both"/>')


def _styles() -> list[str]:
    body = (f'<w:spacing w:before="0" w:after="80" w:line="360" w:lineRule="auto"/>'
            f'<w:ind w:firstLine="{_twips(2, BASE_PT)}"/><w:jc w:val="both"/>')
    styles = [
        _style("BookBody", "Book Body", body, SERIF, BASE_PT),
        _style("BookTitle0", "Book Cover Title", '<w:spacing w:before="3969" w:after="240"/><w:jc w:val="center"/>',
               SANS, 24, bold=True),
        _style("BookSubtitle", "Book Cover Subtitle", '<w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/>',
               SANS, 16),
        _style("BookCenter", "Book Centre", '<w:spacing w:after="80"/><w:jc w:val="center"/>', SERIF, BASE_PT),
        _style("BookSmall", "Book Small", '<w:spacing w:after="60"/>', SERIF, 9),
        _style("BookNote", "Book Note", '<w:spacing w:before="0" w:after="40"/>', SERIF, 10),
        _style("BookNoteItem", "Book Note Item", _item_ppr(10, *NOTE_INDENT, True), SERIF, 10),
        _style("BookCaption", "Book Caption", '<w:keepNext/><w:spacing w:after="60"/><w:jc w:val="center"/>', SANS, 11,
               bold=True),
        _style("BookFigure", "Book Figure", '<w:keepNext/><w:jc w:val="center"/>', SERIF, BASE_PT),
        _style("TOCHeading", "TOC Heading", '<w:spacing w:after="360"/><w:jc w:val="center"/>', SANS, 18, bold=True),
    ]
    for level, (left, hang) in ITEM_INDENTS.items():
        styles.append(_style(f"BookItem{level}", f"Book Item {level}", _item_ppr(BASE_PT, left, hang, True),
                             SERIF, BASE_PT))
        styles.append(_style(f"BookText{level}", f"Book Item Text {level}", _item_ppr(BASE_PT, left, hang, False),
                             SERIF, BASE_PT))
    width = round(_text_width_cm("portrait") * TWIPS_PER_CM)
    for level, left in {1: 0, 2: 454, 3: 907, 4: 1361}.items():
        styles.append(_style(f"TOC{level}", f"toc {level}",
                             f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
                             f'<w:spacing w:after="80"/><w:ind w:left="{left}"/>',
                             SERIF, BASE_PT if level < 3 else 10.5, extra='<w:uiPriority w:val="39"/>'))
    return styles


_HEADING_SIZES = {1: 16, 2: 14, 3: 12.5, 4: 12, 5: 12, 6: 12}


def _run_text(text: str, rpr: str = "") -> str:
    """Runs for `text`: line breaks as w:br, spaces kept."""
    parts = []
    for n, line in enumerate((text or "").split("\n")):
        if n:
            parts.append(f"<w:r>{rpr}<w:br/></w:r>")
        if line:
            parts.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return "".join(parts)


class _Writer:
    def __init__(self, document: Document):
        self.document = document
        self.word = WordDocument()
        self.body = self.word.element.body
        self.body.clear_content()
        self.buffer: list[str] = []
        self.orientation = "portrait"
        self.page_break = False
        self.bookmark_id = 0
        self.toc_anchors = {h.anchor for h in document.toc_entries()}
        self.table_styles: set[float] = set()

    # set-up --------------------------------------------------------------------------------------------------
    def setup(self) -> None:
        styles = self.word.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        defaults.find(qn("w:rPrDefault")).replace(rpr, parse_xml(_fonts(SERIF, BASE_PT).replace(
            "<w:rPr>", f"<w:rPr {W}>", 1)))
        for style_id, family, size in (("Normal", SERIF, BASE_PT), ("Footer", SANS, 9)):
            style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
            for old in style.findall(qn("w:rPr")):
                style.remove(old)
            style.append(parse_xml(_fonts(family, size).replace("<w:rPr>", f"<w:rPr {W}>", 1)))
        for level, size in _HEADING_SIZES.items():
            style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Heading{level}']")
            for old in style.findall(qn("w:rPr")) + style.findall(qn("w:pPr")):
                style.remove(old)
            jc = '<w:jc w:val="center"/>' if level == 1 else ""
            after = 360 if level == 1 else 80
            style.append(parse_xml(f'<w:pPr {W}><w:keepNext/><w:keepLines/><w:spacing w:before="200" '
                                   f'w:after="{after}"/>{jc}<w:outlineLvl w:val="{level - 1}"/></w:pPr>'))
            style.append(parse_xml(_fonts(SANS, size, bold=True).replace("<w:rPr>", f"<w:rPr {W}>", 1)))
        for old_id in ("TOCHeading",):
            old = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{old_id}']")
            if old is not None:
                styles.remove(old)
        for xml in _styles():
            styles.append(parse_xml(xml))
        settings = self.word.settings.element
        compat = settings.find(qn("w:compat"))
        update = parse_xml(f'<w:updateFields {W} w:val="true"/>')
        if compat is not None:
            compat.addprevious(update)
        else:
            settings.append(update)
        theme = settings.find(qn("w:themeFontLang"))
        if theme is not None:
            theme.set(qn("w:eastAsia"), LANG)
        section = self.word.sections[0]
        self.shape(section, "portrait")
        props = self.word.core_properties
        props.title = self.document.title
        props.subject = self.document.subject
        props.author = self.document.author
        props.language = self.document.lang
        props.comments = "civicplan"

    def shape(self, section, orientation: str) -> None:
        width, height = PAGE_CM[orientation]
        top, bottom, left, right = MARGINS_CM[orientation]
        section.orientation = WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(width), Cm(height)
        section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
        section.left_margin, section.right_margin = Cm(left), Cm(right)
        section.footer_distance = Cm(0.8)

    def flush(self) -> None:
        if not self.buffer:
            return
        holder = parse_xml(f"<w:body {W}>{''.join(self.buffer)}</w:body>")
        sentinel = self.body.get_or_add_sectPr()
        for child in list(holder):
            sentinel.addprevious(child)
        self.buffer = []

    def new_section(self, orientation: str, restart: bool) -> None:
        self.flush()
        section = self.word.add_section(WD_SECTION.NEW_PAGE)
        sect_pr = section._sectPr
        for old in sect_pr.findall(qn("w:pgNumType")):
            sect_pr.remove(old)
        self.shape(section, orientation)
        if restart:
            section.footer.is_linked_to_previous = False
            footer = section.footer
            paragraph = footer.paragraphs[0]
            paragraph._p.append(parse_xml(
                f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
            paragraph.alignment = 1  # centre
            number = parse_xml(f'<w:pgNumType {W} w:start="1"/>')
            # w:pgNumType comes after w:pgMar (and w:paperSrc, w:pgBorders, w:lnNumType) in w:sectPr
            anchor = sect_pr.find(qn("w:pgMar"))
            anchor.addnext(number)
        self.orientation = orientation
        self.page_break = False

    # blocks ------------------------------------------------------------------------------------------------
    def write(self) -> bytes:
        self.setup()
        for block in self.document.blocks:
            self.block(block)
        self.flush()
        out = io.BytesIO()
        self.word.save(out)
        return out.getvalue()

    def block(self, block) -> None:
        if isinstance(block, BodyStart):
            self.new_section(self.orientation, restart=True)
        elif isinstance(block, PageBreak):
            if block.orientation and block.orientation != self.orientation:
                self.new_section(block.orientation, restart=False)
            else:
                self.page_break = True
        elif isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Image):
            self.image(block)
        elif isinstance(block, Contents):
            self.contents(block)
        else:
            raise TypeError(f"cannot write {type(block).__name__} to DOCX")

    def ppr(self, style: str, keep: bool = False, ind: str = "") -> str:
        """Paragraph properties in the schema's order: style, keep with next, page break before, indent."""
        brk = ""
        if self.page_break:
            brk = "<w:pageBreakBefore/>"
            self.page_break = False
        return f'<w:pPr><w:pStyle w:val="{style}"/>{"<w:keepNext/>" if keep else ""}{brk}{ind}</w:pPr>'

    def heading(self, heading: Heading) -> None:
        level = min(heading.level, 6)
        self.bookmark_id += 1
        name = f"_Toc_{heading.anchor}"
        tc = ""
        if heading.anchor in self.toc_anchors:
            # a TC field: the contents entry (text and level) that the TOC field collects when it is updated
            tc = (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TC '
                  f'{escape(_field_text(heading.contents_text))} \\l {heading.level} </w:instrText></w:r>'
                  f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        self.buffer.append(
            f'<w:p>{self.ppr(f"Heading{level}")}<w:bookmarkStart w:id="{self.bookmark_id}" w:name="{name}"/>'
            f'{_run_text(heading.full_text)}<w:bookmarkEnd w:id="{self.bookmark_id}"/>{tc}</w:p>')

    def paragraph(self, p: Paragraph) -> None:
        level = min(p.level, 5)
        if p.style == "note":
            style = "BookNoteItem" if p.marker else "BookNote"
        elif p.marker:
            style = f"BookItem{max(1, level)}"
        elif level > 0:
            style = f"BookText{level}"
        else:
            style = {"title": "BookTitle0", "subtitle": "BookSubtitle", "center": "BookCenter",
                     "small": "BookSmall"}.get(p.style, "BookBody")
        rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if p.bold else ""
        marker = f'{_run_text(p.marker, rpr)}<w:r><w:tab/></w:r>' if p.marker else ""
        ind = ""
        if p.marker:
            size = 10 if p.style == "note" else BASE_PT
            left, hang = item_indent(level, p.marker, note=p.style == "note")
            if (left, hang) != (NOTE_INDENT if p.style == "note" else ITEM_INDENTS[max(1, level)]):
                ind = f'<w:ind w:left="{_twips(left, size)}" w:hanging="{_twips(hang, size)}"/>'
        self.buffer.append(f"<w:p>{self.ppr(style, p.keep_with_next, ind)}{marker}{_run_text(p.text, rpr)}</w:p>")

    def cell_style(self, size: float) -> tuple[str, str]:
        key = str(size).replace(".", "_")
        if size not in self.table_styles:
            self.table_styles.add(size)
            tight = '<w:spacing w:before="0" w:after="0" w:line="264" w:lineRule="auto"/>'
            for style_id, name, bold in ((f"TableText{key}", f"Table Text {size}", False),
                                         (f"TableHead{key}", f"Table Heading {size}", True)):
                self.word.styles.element.append(parse_xml(_style(style_id, name, tight, SANS, size, bold=bold)))
        return f"TableText{key}", f"TableHead{key}"

    def table(self, table: Table) -> None:
        text_style, head_style = self.cell_style(table.font_size)
        if table.caption:
            self.buffer.append(f'<w:p>{self.ppr("BookCaption")}{_run_text(table.caption)}</w:p>')
        elif self.page_break:
            self.buffer.append(f'<w:p>{self.ppr("BookSmall")}</w:p>')
        width = round(_text_width_cm(self.orientation) * TWIPS_PER_CM)
        total = sum(table.widths) or 1
        cols = [round(width * w / total) for w in table.widths]
        border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
        grid = "".join(f'<w:gridCol w:w="{c}"/>' for c in cols)
        out = [(f'<w:tbl><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/>'
               f'<w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/>'
               f'<w:insideH {border}/><w:insideV {border}/></w:tblBorders><w:tblLayout w:type="fixed"/>'
               f'<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
               f'<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
               f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>')]
        jc = {"left": "left", "center": "center", "right": "right"}
        # a table kept on one page: every row keeps with the next (Word's way), and no row splits
        keep = "<w:keepNext/>" if table.keep_together else ""

        def rows(source, header: bool) -> None:
            grid = table.grid(source)
            for r, row in enumerate(grid):
                row_keep = "" if not header and r == len(grid) - 1 else keep  # not with what follows the table
                trpr = ("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else
                        "<w:trPr><w:cantSplit/></w:trPr>" if table.keep_together else "")
                cells = []
                c = 0
                while c < table.columns:
                    slot = row[c]
                    if slot is None:
                        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{cols[c]}" w:type="dxa"/></w:tcPr>'
                                     f'<w:p><w:pPr><w:pStyle w:val="{text_style}"/></w:pPr></w:p></w:tc>')
                        c += 1
                        continue
                    cell, origin = slot
                    span = cell.colspan
                    # the grid column where this cell starts: covered slots to the right of a span are skipped
                    cell_width = sum(cols[c:c + span])
                    tcpr = f'<w:tcW w:w="{cell_width}" w:type="dxa"/>'
                    if span > 1:
                        tcpr += f'<w:gridSpan w:val="{span}"/>'
                    if cell.rowspan > 1:
                        tcpr += '<w:vMerge w:val="restart"/>' if origin else "<w:vMerge/>"
                    if header:
                        tcpr += '<w:shd w:val="clear" w:color="auto" w:fill="E8E8E8"/><w:vAlign w:val="center"/>'
                    if origin:
                        align = "center" if header else jc.get(cell.align, "left")
                        rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if cell.bold and not header else ""
                        content = (f'<w:p><w:pPr><w:pStyle w:val="{head_style if header else text_style}"/>'
                                   f'{row_keep}<w:jc w:val="{align}"/></w:pPr>{_run_text(cell.text, rpr)}</w:p>')
                    else:
                        content = f'<w:p><w:pPr><w:pStyle w:val="{text_style}"/></w:pPr></w:p>'
                    cells.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{content}</w:tc>")
                    c += span
                out.append(f"<w:tr>{trpr}{''.join(cells)}</w:tr>")

        rows(table.header, True)
        rows(table.body, False)
        out.append("</w:tbl>")
        self.buffer.append("".join(out))

    def image(self, image: Image) -> None:
        self.flush()
        paragraph = self.word.add_paragraph(style="Book Figure")
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        if image.mime == "image/svg+xml":
            raise ValueError("DOCX images: give a PNG (python-docx does not embed SVG)")
        paragraph.add_run().add_picture(io.BytesIO(image.data), width=Cm(image.width_cm))
        # add_paragraph appends before the sentinel section properties, like flush(): the order is kept
        if image.caption:
            self.buffer.append(f'<w:p>{self.ppr("BookCenter")}{_run_text(image.caption)}</w:p>')

    def contents(self, contents: Contents) -> None:
        entries = self.document.toc_entries()
        self.buffer.append(f'<w:p>{self.ppr("TOCHeading")}{_run_text(contents.title)}</w:p>')
        field = (f'<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText '
                 f'xml:space="preserve"> TOC \\f \\l "1-{contents.depth}" \\h \\z </w:instrText></w:r>'
                 f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if not entries:
            self.buffer.append(f"<w:p>{field}{end}</w:p>")
            return
        for n, heading in enumerate(entries):
            name = f"_Toc_{heading.anchor}"
            page = (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
                    f'PAGEREF {name} \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    f'<w:r><w:t>?</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
            self.buffer.append(
                f'<w:p><w:pPr><w:pStyle w:val="TOC{min(heading.level, 4)}"/></w:pPr>{field if n == 0 else ""}'
                f'<w:hyperlink w:anchor="{name}" w:history="1">{_run_text(heading.contents_text)}'
                f'<w:r><w:tab/></w:r>{page}</w:hyperlink>{end if n == len(entries) - 1 else ""}</w:p>')


def _field_text(text: str) -> str:
    """A field argument in quotes (quotes inside doubled as Word reads them)."""
    return '"' + text.replace('"', '\\"') + '"'


def write_docx(document: Document) -> bytes:
    return _Writer(document).write()
