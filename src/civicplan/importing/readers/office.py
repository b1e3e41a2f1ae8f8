"""Office documents (zip containers): DOCX (Word) and ODT (OpenDocument Text), told apart by their content.

A DOCX has `[Content_Types].xml` and `word/document.xml`; an ODT has a `mimetype` member reading
`application/vnd.oasis.opendocument.text`. The file name's extension is not trusted. Spreadsheets and
presentations (xlsx, ods, pptx, odp) and any other zip are refused with a ReadError naming what they are.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from civicplan.importing.document import ReadError, SourceText

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"


def container_kind(archive: zipfile.ZipFile, name: str) -> str:
    """'docx' or 'odt' for a zip's content, or a ReadError saying what else it is."""
    names = set(archive.namelist())
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise ReadError(name, f"the ODF container is damaged ({error})") from None
        if mimetype == ODT_MIMETYPE:
            return "odt"
        if mimetype.startswith("application/vnd.oasis.opendocument."):
            kind = mimetype.rsplit(".", 1)[-1]
            raise ReadError(name, f"an OpenDocument {kind}, not a text document (.odt): save the plan as .odt")
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names or any(n.startswith("word/") and n.endswith(".xml") for n in names):
            return "docx"
        what = "an Excel workbook" if any(n.startswith("xl/") for n in names) else (
            "a PowerPoint presentation" if any(n.startswith("ppt/") for n in names) else "an Office file")
        raise ReadError(name, f"{what}, not a Word document (.docx)")
    raise ReadError(name, "a zip archive that is neither a .docx nor an .odt document")


def read_office(data: bytes, name: str, sha256: str) -> SourceText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ReadError(name, f"the zip container is damaged or truncated ({error}); is the file complete?") \
            from None
    with archive:
        kind = container_kind(archive, name)
        try:
            damaged = archive.testzip()
        except (OSError, EOFError, zlib.error, ValueError) as error:
            raise ReadError(name, f"the zip container is damaged or truncated ({error})") from None
        if damaged is not None:
            raise ReadError(f"{name}, {damaged}", "a damaged member in the zip container (bad checksum)")
    if kind == "docx":
        from civicplan.importing.readers.docx_reader import read_docx

        return read_docx(data, name, sha256)
    from civicplan.importing.readers.odt_reader import read_odt

    return read_odt(data, name, sha256)
