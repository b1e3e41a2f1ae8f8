"""A `reports.document.Document` as an OpenDocument text (ODT), with odfdo.

* Pages: A4 portrait (master page `Book_Portrait`) or landscape (`Book_Landscape`) as the document's page breaks
  say, the page number centred in the footer; the cover and contents use `Book_Front` (no footer) and the page
  numbers start at 1 at the document's `BodyStart`.
* Contents: a real `text:table-of-content` built from index marks (`text:toc-mark`, one in each listed heading,
  carrying the text the contents show). Its entries, as written, link to their headings and show the page
  through a page-reference field (`text:bookmark-ref text:reference-format="page"` to a bookmark around the
  heading), which LibreOffice computes as it lays out the pages; Tools ▸ Update ▸ Update All (or updating the
  index) rebuilds it from the marks, with the same texts.
* Tables: the header rows are `table:table-header-rows`, repeated by the office suite on every page the table
  spans; merged cells are `number-rows-spanned` / `number-columns-spanned` with covered cells.
* Fonts: "Noto Serif CJK TC" (text) and "Noto Sans CJK TC" (headings, tables) for Western and Asian scripts,
  language zh-TW. (ODF names the fonts; it does not embed them.)
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape, quoteattr

from odfdo import TOC, Element
from odfdo import Document as OdfDocument
from odfdo.toc import TocEntryTemplate

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

BASE_PT = 11.5  # body text size; indents are counted in it (1 em)
TEXT_WIDTH_CM = {"portrait": 21.0 - 2.2 - 2.0, "landscape": 29.7 - 1.8 - 1.8}
_LANG, _COUNTRY = LANG.split("-")


def _font(family: str, size: float, bold: bool = False) -> str:
    weight = ' fo:font-weight="bold" style:font-weight-asian="bold"' if bold else ""
    return (f'<style:text-properties style:font-name={quoteattr(family)} style:font-name-asian={quoteattr(family)} '
            f'fo:font-size="{size}pt" style:font-size-asian="{size}pt" fo:language="{_LANG}" fo:country="{_COUNTRY}" '
            f'style:language-asian="{_LANG}" style:country-asian="{_COUNTRY}"{weight}/>')


def _pstyle(name: str, display: str, font: str, size: float, paragraph: str = "", bold: bool = False,
            parent: str = "Standard", extra: str = "") -> str:
    shown = f" style:display-name={quoteattr(display)}" if display else ""
    inherit = f' style:parent-style-name="{parent}"' if parent else ""
    return (f'<style:style style:name="{name}"{shown} style:family="paragraph"{inherit} {extra}>'
            f'<style:paragraph-properties {paragraph}/>{_font(font, size, bold)}</style:style>')


def _item_style(name: str, display: str, size: float, left_em: float, hang_em: float, marker: bool,
                extra: str = "") -> str:
    left, hang = left_em * size, hang_em * size
    indent = f'fo:margin-left="{left:.1f}pt" fo:text-indent="{-hang if marker else 0:.1f}pt"'
    tabs = '<style:tab-stops><style:tab-stop style:position="0cm"/></style:tab-stops>' if marker else ""
    return (f'<style:style style:name="{name}" style:display-name={quoteattr(display)} style:family="paragraph" '
            f'style:parent-style-name="Standard" {extra}>'
            f'<style:paragraph-properties {indent} fo:margin-bottom="3pt" fo:text-align="justify">{tabs}'
            f'</style:paragraph-properties>{_font(SERIF, size)}</style:style>')


def _styles() -> list[str]:
    body_p = 'fo:margin-top="0pt" fo:margin-bottom="4pt" fo:line-height="150%" fo:text-align="justify"'
    styles = [
        _pstyle("Standard", "Standard", SERIF, BASE_PT, parent="", extra=""),
        _pstyle("Book_Body", "本文", SERIF, BASE_PT, body_p + f' fo:text-indent="{2 * BASE_PT}pt"'),
        _pstyle("Book_Title", "封面標題", SANS, 24, 'fo:text-align="center" fo:margin-top="7cm" '
                'fo:margin-bottom="0.5cm"', bold=True),
        _pstyle("Book_Subtitle", "封面副標", SANS, 16, 'fo:text-align="center" fo:margin-top="0.3cm" '
                'fo:margin-bottom="0.3cm"'),
        _pstyle("Book_Center", "置中", SERIF, BASE_PT, 'fo:text-align="center" fo:margin-bottom="4pt"'),
        _pstyle("Book_Small", "小字", SERIF, 9, 'fo:margin-bottom="3pt"'),
        _pstyle("Book_Note", "註", SERIF, 10, 'fo:margin-bottom="2pt"'),
        _pstyle("Book_Caption", "表名", SANS, 11, 'fo:text-align="center" fo:keep-with-next="always" '
                'fo:margin-bottom="3pt"', bold=True),
        _pstyle("Book_Break", "分頁", SERIF, 2, 'fo:line-height="100%" fo:margin-top="0pt" fo:margin-bottom="0pt"'),
        _pstyle("Footer", "Footer", SANS, 9, 'fo:text-align="center"'),
        _pstyle("Contents_20_Heading", "Contents Heading", SANS, 18, 'fo:text-align="center" '
                'fo:margin-bottom="0.6cm"', bold=True),
        ('<style:style style:name="Index_20_Link" style:display-name="Index Link" style:family="text">'
         '<style:text-properties style:text-underline-style="none" fo:color="#000000"/></style:style>'),
        _pstyle("Book_Figure", "圖", SERIF, BASE_PT, 'fo:text-align="center" fo:keep-with-next="always"'),
    ]
    for level, (size, bold) in {1: (16, True), 2: (14, True), 3: (12.5, True), 4: (12, True), 5: (12, True),
                                6: (12, True)}.items():
        align = 'fo:text-align="center" fo:margin-bottom="0.5cm"' if level == 1 else 'fo:margin-bottom="4pt"'
        styles.append(_pstyle(f"Heading_20_{level}", f"Heading {level}", SANS, size,
                              f'{align} fo:margin-top="10pt" fo:keep-with-next="always"', bold=bold,
                              extra=f'style:default-outline-level="{level}" style:next-style-name="Book_Body"'))
    for level, (left, hang) in ITEM_INDENTS.items():
        styles.append(_item_style(f"Book_Item_{level}", f"項目 {level}", BASE_PT, left, hang, marker=True))
        styles.append(_item_style(f"Book_Text_{level}", f"項目內文 {level}", BASE_PT, left, hang, marker=False))
    styles.append(_item_style("Book_Note_Item", "註項目", 10, *NOTE_INDENT, marker=True))
    for level, left in {1: 0, 2: 0.8, 3: 1.6, 4: 2.4}.items():
        width = TEXT_WIDTH_CM["portrait"]
        styles.append(
            f'<style:style style:name="Contents_20_{level}" style:display-name="Contents {level}" '
            f'style:family="paragraph" style:parent-style-name="Standard" style:class="index">'
            f'<style:paragraph-properties fo:margin-left="{left}cm" fo:margin-bottom="4pt">'
            f'<style:tab-stops><style:tab-stop style:position="{width - left:.2f}cm" style:type="right" '
            f'style:leader-style="dotted" style:leader-text="."/></style:tab-stops></style:paragraph-properties>'
            f'{_font(SERIF, BASE_PT if level < 3 else 10.5)}</style:style>')
    return styles


def _page_layout(name: str, orientation: str) -> str:
    width, height = ("21cm", "29.7cm") if orientation == "portrait" else ("29.7cm", "21cm")
    margins = ('fo:margin-top="2.2cm" fo:margin-bottom="1.2cm" fo:margin-left="2.2cm" fo:margin-right="2cm"'
               if orientation == "portrait" else
               'fo:margin-top="1.8cm" fo:margin-bottom="0.8cm" fo:margin-left="1.8cm" fo:margin-right="1.8cm"')
    return (f'<style:page-layout style:name="{name}"><style:page-layout-properties fo:page-width="{width}" '
            f'fo:page-height="{height}" style:print-orientation="{orientation}" {margins}/>'
            f'<style:footer-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.3cm"/>'
            f'</style:footer-style></style:page-layout>')


def _master(name: str, display: str, layout: str, footer: bool) -> str:
    foot = ('<style:footer><text:p text:style-name="Footer"><text:page-number text:select-page="current">1'
            '</text:page-number></text:p></style:footer>') if footer else ""
    return (f'<style:master-page style:name="{name}" style:display-name="{display}" '
            f'style:page-layout-name="{layout}">{foot}</style:master-page>')


def _font_face(family: str, generic: str) -> str:
    return (f'<style:font-face style:name={quoteattr(family)} svg:font-family={quoteattr(repr(family))} '
            f'style:font-family-generic="{generic}" style:font-pitch="variable"/>')


def _text(text: str) -> str:
    """Text for an ODF paragraph: escaped, line breaks kept, runs of spaces kept."""
    lines = []
    for line in (text or "").split("\n"):
        line = escape(line)
        while "  " in line:
            line = line.replace("  ", ' <text:s/>')
        lines.append(line)
    return "<text:line-break/>".join(lines)


class _Writer:
    def __init__(self, document: Document):
        self.document = document
        self.odf = OdfDocument("text")
        self.body = self.odf.body
        self.body.clear()
        self.auto: dict[tuple, str] = {}
        self.auto_styles: list[str] = []
        self.orientation = "portrait"
        self.pending: tuple[str | None, bool, bool] | None = ("Book_Front", False, False)  # master, restart, break
        self.tables = 0
        self.toc_depth = 0
        self.toc_anchors: set[str] = set()
        contents = document.contents()
        if contents is not None:
            self.toc_depth = contents.depth
            self.toc_anchors = {h.anchor for h in document.toc_entries()}
        self.parts: list = []

    # styles ------------------------------------------------------------------------------------------------
    def install_styles(self) -> None:
        odf = self.odf
        for part in (odf.styles, odf.content):
            decls = part.get_element("//office:font-face-decls")
            for family, generic in ((SERIF, "roman"), (SANS, "swiss")):
                decls.append(Element.from_tag(_font_face(family, generic)))
        default = odf.styles.get_element("//office:styles/style:default-style[@style:family='paragraph']")
        if default is not None:
            default.delete()
        odf.insert_style(f'<style:default-style style:family="paragraph">{_font(SERIF, BASE_PT)}'
                         f'</style:default-style>', default=True)
        for xml in _styles():
            odf.insert_style(xml)
        # the headings print their own numbering (壹、 一、): no outline numbering in front of it
        outline = odf.styles.get_element("//text:outline-style")
        if outline is not None:
            outline.delete()
        levels = "".join(f'<text:outline-level-style text:level="{n}" style:num-format="">'
                         f'<style:list-level-properties/></text:outline-level-style>' for n in range(1, 11))
        odf.styles.get_element("//office:styles").append(
            Element.from_tag(f'<text:outline-style style:name="Outline">{levels}</text:outline-style>'))
        odf.insert_style(_page_layout("PL_Portrait", "portrait"))
        odf.insert_style(_page_layout("PL_Landscape", "landscape"))
        odf.insert_style(_master("Book_Front", "封面", "PL_Portrait", footer=False))
        odf.insert_style(_master("Book_Portrait", "直式", "PL_Portrait", footer=True))
        odf.insert_style(_master("Book_Landscape", "橫式", "PL_Landscape", footer=True))
        odf.insert_style(_master("Standard", "Default Page Style", "PL_Portrait", footer=True))

    def start_style(self, base: str) -> str:
        """`base`, or an automatic paragraph style derived from it when a page starts here (a master page, a page
        number restart, a page break)."""
        if self.pending is None:
            return base
        key = (base, *self.pending)
        if key not in self.auto:
            name = f"Pstart{len(self.auto) + 1}"
            self.auto[key] = name
            attrs, props = self.take_start()
            self.auto_styles.append(f'<style:style style:name="{name}" style:family="paragraph" '
                                    f'style:parent-style-name="{base}"{attrs}><style:paragraph-properties{props}/>'
                                    f'</style:style>')
        self.pending = None
        return self.auto[key]

    def take_start(self) -> tuple[str, str]:
        """The attributes of a style that starts a page (master page; break before; page number 1), and no page
        start pending any more."""
        if self.pending is None:
            return "", ""
        master, restart, page_break = self.pending
        self.pending = None
        attrs = f' style:master-page-name="{master}"' if master else ""
        props = (' fo:break-before="page"' if page_break and not master else "") + (
            ' style:page-number="1"' if restart else "")
        return attrs, props

    # blocks ------------------------------------------------------------------------------------------------
    def write(self) -> bytes:
        self.install_styles()
        for block in self.document.blocks:
            self.block(block)
        for xml in self.auto_styles:
            self.odf.insert_style(xml, automatic=True)
        for part in self.parts:
            self.body.append(part)
        self.meta()
        out = io.BytesIO()
        self.odf.save(out)
        return out.getvalue()

    def meta(self) -> None:
        meta = self.odf.meta
        meta.set_title(self.document.title)
        if self.document.subject:
            meta.set_subject(self.document.subject)
        if self.document.author:
            meta.set_initial_creator(self.document.author)
        meta.set_language(self.document.lang)
        meta.set_generator("civicplan")

    def add(self, xml: str) -> None:
        self.parts.append(Element.from_tag(xml))

    def block(self, block) -> None:
        if isinstance(block, PageBreak):
            if block.orientation and block.orientation != self.orientation:
                self.orientation = block.orientation
                self.pending = (f"Book_{block.orientation.title()}", False, True)
            elif self.pending is None or self.pending[0] is None:
                self.pending = (None, False, True)
            return
        if isinstance(block, BodyStart):
            self.pending = (f"Book_{self.orientation.title()}", True, True)
            return
        if isinstance(block, Heading):
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
            raise TypeError(f"cannot write {type(block).__name__} to ODT")

    def heading(self, heading: Heading) -> None:
        level = min(heading.level, 6)
        style = self.start_style(f"Heading_20_{level}")
        mark = ""
        if heading.anchor in self.toc_anchors:
            mark = (f'<text:toc-mark text:string-value={quoteattr(heading.contents_text)} '
                    f'text:outline-level="{heading.level}"/>')
        self.add(f'<text:h text:style-name="{style}" text:outline-level="{level}">{mark}'
                 f'<text:bookmark-start text:name="{heading.anchor}"/>{_text(heading.full_text)}'
                 f'<text:bookmark-end text:name="{heading.anchor}"/></text:h>')

    def paragraph(self, p: Paragraph) -> None:
        level = min(p.level, 5)
        if p.style == "note":
            base = "Book_Note_Item" if p.marker else "Book_Note"
        elif p.marker:
            base = f"Book_Item_{max(1, level)}"
        elif level > 0:
            base = f"Book_Text_{level}"
        else:
            base = {"title": "Book_Title", "subtitle": "Book_Subtitle", "center": "Book_Center",
                    "small": "Book_Small"}.get(p.style, "Book_Body")
        if p.marker:
            size = 10 if p.style == "note" else BASE_PT
            left, hang = item_indent(level, p.marker, note=p.style == "note")
            default = NOTE_INDENT if p.style == "note" else ITEM_INDENTS[max(1, level)]
            if (left, hang) != default:
                base = self.derived(base, f'fo:margin-left="{left * size:.1f}pt" fo:text-indent="{-hang * size:.1f}pt"')
        if p.keep_with_next:
            base = self.derived(base, 'fo:keep-with-next="always"')
        style = self.start_style(base)
        text = _text(p.text)
        if p.bold:
            text = f'<text:span text:style-name="{self.bold_style()}">{text}</text:span>'
        marker = f"{escape(p.marker)}<text:tab/>" if p.marker else ""
        self.add(f'<text:p text:style-name="{style}">{marker}{text}</text:p>')

    def derived(self, base: str, properties: str) -> str:
        """An automatic paragraph style: `base` with some paragraph properties changed."""
        key = ("derived", base, properties)
        if key not in self.auto:
            name = f"Pd{len(self.auto) + 1}"
            self.auto[key] = name
            self.auto_styles.append(f'<style:style style:name="{name}" style:family="paragraph" '
                                    f'style:parent-style-name="{base}"><style:paragraph-properties {properties}/>'
                                    f'</style:style>')
        return self.auto[key]

    def bold_style(self) -> str:
        if ("bold",) not in self.auto:
            self.auto[("bold",)] = "Tbold"
            self.auto_styles.append('<style:style style:name="Tbold" style:family="text"><style:text-properties '
                                    'fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>')
        return "Tbold"

    def cell_styles(self, size: float) -> tuple[str, str, str, str, str, str]:
        """(header cell, body cell, header paragraph, body paragraphs left, centre, right) for a font size."""
        key = ("cells", size)
        if key not in self.auto:
            n = str(size).replace(".", "_")
            border = 'fo:border="0.6pt solid #000000" fo:padding="0.06cm"'
            self.auto_styles.append(f'<style:style style:name="CellHead{n}" style:family="table-cell">'
                                    f'<style:table-cell-properties {border} fo:background-color="#e8e8e8" '
                                    f'style:vertical-align="middle"/></style:style>')
            self.auto_styles.append(f'<style:style style:name="Cell{n}" style:family="table-cell">'
                                    f'<style:table-cell-properties {border} style:vertical-align="top"/>'
                                    f'</style:style>')
            tight = 'fo:margin-top="0pt" fo:margin-bottom="0pt" fo:line-height="125%"'
            for name, align, bold in ((f"TH{n}", "center", True), (f"TL{n}", "start", False),
                                      (f"TC{n}", "center", False), (f"TR{n}", "end", False)):
                self.auto_styles.append(_pstyle(name, "", SANS, size, f'{tight} fo:text-align="{align}"', bold=bold))
            self.auto[key] = n
        n = self.auto[key]
        return f"CellHead{n}", f"Cell{n}", f"TH{n}", f"TL{n}", f"TC{n}", f"TR{n}"

    def table(self, table: Table) -> None:
        self.tables += 1
        head_cell, body_cell, head_p, left_p, centre_p, right_p = self.cell_styles(table.font_size)
        if table.caption:
            self.add(f'<text:p text:style-name="{self.start_style("Book_Caption")}">{_text(table.caption)}</text:p>')
        name = f"T{self.tables}"
        width_cm = TEXT_WIDTH_CM[self.orientation]
        total = sum(table.widths) or 1
        table_style = name
        attrs, props = self.take_start()
        keep = ' style:may-break-between-rows="false"' if table.keep_together else ""
        self.auto_styles.append(
            f'<style:style style:name="{table_style}" style:family="table"{attrs}><style:table-properties '
            f'style:width="{width_cm:.2f}cm" table:align="margins" fo:margin-top="0.1cm" fo:margin-bottom="0.2cm"'
            f'{keep}{props}/></style:style>')
        columns = []
        for c, width in enumerate(table.widths, start=1):
            col = f"{name}.C{c}"
            self.auto_styles.append(f'<style:style style:name="{col}" style:family="table-column">'
                                    f'<style:table-column-properties style:column-width='
                                    f'"{width_cm * width / total:.3f}cm" style:rel-column-width='
                                    f'"{round(65535 * width / total)}*"/></style:style>')
            columns.append(f'<table:table-column table:style-name="{col}"/>')
        aligns = {"left": left_p, "center": centre_p, "right": right_p}

        def rows(grid, header: bool) -> str:
            out = []
            for row in grid:
                cells = []
                for slot in row:
                    if slot is None:
                        cells.append(f'<table:table-cell table:style-name="{body_cell}"><text:p/></table:table-cell>')
                        continue
                    cell, origin = slot
                    if not origin:
                        cells.append("<table:covered-table-cell/>")
                        continue
                    span = ""
                    if cell.rowspan > 1:
                        span += f' table:number-rows-spanned="{cell.rowspan}"'
                    if cell.colspan > 1:
                        span += f' table:number-columns-spanned="{cell.colspan}"'
                    para = head_p if header else aligns.get(cell.align, left_p)
                    text = _text(cell.text)
                    if cell.bold and not header:
                        text = f'<text:span text:style-name="{self.bold_style()}">{text}</text:span>'
                    cells.append(f'<table:table-cell table:style-name="{head_cell if header else body_cell}" '
                                 f'office:value-type="string"{span}><text:p text:style-name="{para}">{text}'
                                 f'</text:p></table:table-cell>')
                out.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
            return "".join(out)

        head = f"<table:table-header-rows>{rows(table.grid(table.header), True)}</table:table-header-rows>"
        self.add(f'<table:table table:name={quoteattr(table.name or name)} table:style-name="{table_style}">'
                 f'{"".join(columns)}{head if table.header else ""}{rows(table.grid(table.body), False)}'
                 f'</table:table>')

    def image(self, image: Image) -> None:
        ext = "svg" if image.mime == "image/svg+xml" else "png"
        path = self.odf.add_file(io.BytesIO(image.data))
        # odfdo names the part by its hash; give the manifest the right media type
        self.odf.manifest.set_media_type(path, image.mime)
        style = self.start_style("Book_Figure")
        self.add(f'<text:p text:style-name="{style}"><draw:frame draw:name="image{len(self.parts)}.{ext}" '
                 f'text:anchor-type="as-char" svg:width="{image.width_cm}cm" svg:height="{image.height_cm}cm">'
                 f'<draw:image xlink:href="{path}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
                 f'</draw:frame></text:p>')
        if image.caption:
            self.add(f'<text:p text:style-name="Book_Center">{_text(image.caption)}</text:p>')

    def contents(self, contents: Contents) -> None:
        if self.pending is not None:
            self.add(f'<text:p text:style-name="{self.start_style("Book_Break")}"/>')
        toc = TOC(title="", outline_level=contents.depth, protected=True, entry_style="Contents_20_%d")
        toc.name = "Contents1"
        source = toc.get_element("text:table-of-content-source")
        source.insert(Element.from_tag(f'<text:index-title-template text:style-name="Contents_20_Heading">'
                                       f'{escape(contents.title)}</text:index-title-template>'), position=0)
        source.set_attribute("text:use-outline-level", "false")
        source.set_attribute("text:use-index-marks", "true")
        source.set_attribute("text:index-scope", "document")
        for template in source.get_elements("text:table-of-content-entry-template"):
            if template.outline_level and template.outline_level > contents.depth:
                template.delete()
                continue
            _entry_template(template)
        toc.body = None
        body = toc.body
        body.append(Element.from_tag(
            f'<text:index-title text:name="Contents1_Head"><text:p text:style-name="Contents_20_Heading">'
            f'{escape(contents.title)}</text:p></text:index-title>'))
        for heading in self.document.toc_entries():
            level = min(heading.level, 4)
            body.append(Element.from_tag(
                f'<text:p text:style-name="Contents_20_{level}"><text:a xlink:type="simple" '
                f'xlink:href="#{heading.anchor}" text:style-name="Index_20_Link" '
                f'text:visited-style-name="Index_20_Link">{_text(heading.contents_text)}<text:tab/>'
                f'<text:bookmark-ref text:reference-format="page" text:ref-name="{heading.anchor}">?'
                f'</text:bookmark-ref></text:a></text:p>'))
        self.parts.append(toc)


def _entry_template(template: TocEntryTemplate) -> None:
    for child in list(template.children):
        template.delete(child)
    for xml in ('<text:index-entry-link-start text:style-name="Index_20_Link"/>', '<text:index-entry-text/>',
                '<text:index-entry-tab-stop style:type="right" style:leader-char="."/>',
                '<text:index-entry-page-number/>', '<text:index-entry-link-end/>'):
        template.append(Element.from_tag(xml))


def write_odt(document: Document) -> bytes:
    return _Writer(document).write()
