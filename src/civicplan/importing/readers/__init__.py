"""Readers: bytes of a plan book → SourceText (numbered lines with pages; real tables kept).

`read_file(path)` picks the reader by content (magic bytes) and extension: `%PDF` → pdf.py; a zip (`PK`) →
office.py (DOCX or ODT, told apart by the zip's content); else text.py (txt, md; html.py for .html/.htm),
with the encoding detected. Every failure is a ReadError that says what is wrong with which file (and where,
when a line or page is known); nothing is imported from a file that cannot be read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from civicplan.importing.document import ReadError, SourceText
from civicplan.importing.readers.text import read_text_bytes

MAX_BYTES = 200 * 1024 * 1024


def read_bytes(data: bytes, name: str) -> SourceText:
    if not data:
        raise ReadError(name, "the file is empty")
    sha256 = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix.lower()
    if data[:4] == b"%PDF":
        from civicplan.importing.readers.pdf import read_pdf

        return read_pdf(data, name, sha256)
    if data[:2] == b"PK":
        from civicplan.importing.readers.office import read_office

        return read_office(data, name, sha256)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError(name, "an old binary Office file (.doc/.xls): save it as .docx or .odt first")
    if data[:5] == b"{\\rtf":
        raise ReadError(name, "an RTF file: save it as .docx, .odt or plain text first")
    if suffix in (".pdf", ".docx", ".odt"):
        raise ReadError(name, f"this is not a {suffix[1:].upper()} file (its first bytes are {data[:8]!r})")
    kind = "html" if suffix in (".html", ".htm") else "md" if suffix in (".md", ".markdown") else "txt"
    return read_text_bytes(data, name, sha256, kind)


def read_file(path) -> SourceText:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ReadError(str(path), f"cannot open the file ({error.strerror})") from None
    if size > MAX_BYTES:
        raise ReadError(path.name, f"the file is larger than {MAX_BYTES // 1024 // 1024} MB")
    return read_bytes(path.read_bytes(), path.name)
