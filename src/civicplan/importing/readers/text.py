"""Plain text and markdown (and, via html.py, HTML): the encoding is detected, not assumed."""

from __future__ import annotations

from civicplan.importing.document import Line, ReadError, SourceText


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding): a BOM decides; else UTF-8 if it decodes; UTF-16 if NULs say so; else CP950/Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ReadError(name, f"broken UTF-16 at byte {error.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        pass
    sample = data[:4000]
    if sample.count(b"\x00") > len(sample) // 4:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, codec
    for codec in ("cp950", "big5hkscs"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, codec
    line = data[: utf8_error.start].count(b"\n") + 1
    raise ReadError(f"{name}, line {line}",
                    f"not text in UTF-8, UTF-16 or Big5 (undecodable byte at offset {utf8_error.start}); "
                    "is this a binary file?")


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    control = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n\f")
    return control <= len(text[:20000]) // 200


def read_text_bytes(data: bytes, name: str, sha256: str, kind: str) -> SourceText:
    text, encoding = decode(data, name)
    if "\x00" in text:
        raise ReadError(name, "the file contains NUL characters: it is binary, not text")
    if kind == "html":
        from civicplan.importing.readers.html import html_lines

        lines = html_lines(text)
    else:
        lines = [Line(number=i, text=t.rstrip("\r"), page=None) for i, t in enumerate(text.split("\n"), start=1)]
    if not any(line.text.strip() for line in lines):
        raise ReadError(name, "the file has no text")
    _assign_pages(lines)
    return SourceText(name=name, sha256=sha256, kind=kind, encoding=encoding, lines=lines)


def _assign_pages(lines: list[Line]) -> None:
    """Form feeds (\\f) separate pages in text converted from PDF: count them."""
    page = 1
    seen = False
    for line in lines:
        if "\f" in line.text:
            page += line.text.count("\f")
            line.text = line.text.replace("\f", "")
            seen = True
        line.page = page if seen else line.page
