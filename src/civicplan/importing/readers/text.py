"""Plain text and markdown (and, via html.py, HTML): the encoding is detected, not assumed.

Order of the guesses: a byte-order mark decides; else UTF-8 if the bytes decode; else UTF-16 when NUL bytes
say so; else Big5 (CP950, then Big5-HKSCS). A Big5 reading is only accepted when it looks like Traditional
Chinese: text in another legacy encoding (GBK, Shift-JIS, Latin-1 …) often "decodes" as Big5 into rare
characters, and that is refused with a ReadError rather than imported as nonsense.
"""

from __future__ import annotations

from civicplan.importing.document import Line, ReadError, SourceText

# Big5 puts the 5401 frequent characters (level 1) before the 7652 less frequent ones (level 2, from C940).
# Real plan books in Big5 have well under 1 % level-2 characters; mis-decoded GBK or Latin-1 has many.
_BIG5_LEVEL2 = b"\xc9\x40"
_MAX_LEVEL2_SHARE = 0.2
_MIN_CJK_FOR_CHECK = 5


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of the bytes of a text file, or a ReadError saying why they are not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise ReadError(_where(name, data, error.start + 3),
                            "broken UTF-8 after a UTF-8 byte-order mark") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ReadError(name, f"broken UTF-16 at byte {error.start + 2} (a truncated file?)") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        bad_offset = error.start
    codec = _utf16_by_nuls(data[:4000])
    if codec:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as error:
            if error.start >= len(data) - 2:
                raise ReadError(name, f"{codec.upper()} text cut off in its last character: is the file "
                                "complete?") from None
            text = ""  # a guess from the NULs only: not UTF-16 after all
        if text and _looks_like_text(text) and _mostly_printable(text):
            return text, codec
    if data[:4000].count(b"\x00") > 8:
        raise ReadError(name, "binary data, not text (NUL bytes, and not UTF-16 either)")
    for codec in ("cp950", "big5hkscs"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _looks_like_text(text):
            break
        share = _level2_share(text)
        if share > _MAX_LEVEL2_SHARE:
            raise ReadError(_where(name, data, bad_offset),
                            f"not UTF-8, and read as Big5 it gives {share:.0%} rare characters: the file is in "
                            "another encoding (GBK? Shift-JIS? Latin-1?); save it as UTF-8 or Big5")
        return text, codec
    raise ReadError(_where(name, data, bad_offset),
                    f"not text in UTF-8, UTF-16 or Big5 (undecodable byte {data[bad_offset]:#04x} at offset "
                    f"{bad_offset}); is this a binary file or another encoding?")


def _where(name: str, data: bytes, offset: int) -> str:
    line = data[:offset].count(b"\n") + 1
    return f"{name}, line {line}"


def _utf16_by_nuls(sample: bytes) -> str | None:
    """UTF-16 without a byte-order mark: its ASCII characters (newlines at least) put NULs on one side only."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if even + odd < 2:
        return None
    if odd >= 0.9 * (even + odd):
        return "utf-16-le"
    if even >= 0.9 * (even + odd):
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    head = text[:20000]
    control = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\r\n\f")
    return control <= len(head) // 200


def _mostly_printable(text: str) -> bool:
    head = text[:20000]
    odd = sum(1 for ch in head if not (ch.isprintable() or ch in "\t\r\n\f"))
    return odd <= len(head) // 50


def _level2_share(text: str) -> float:
    cjk = level2 = 0
    for ch in text[:50000]:
        if "\u4e00" <= ch <= "\u9fff":
            cjk += 1
            try:
                if ch.encode("cp950") >= _BIG5_LEVEL2:
                    level2 += 1
            except UnicodeEncodeError:  # HKSCS-only character
                level2 += 1
    return level2 / cjk if cjk >= _MIN_CJK_FOR_CHECK else 0.0


def read_text_bytes(data: bytes, name: str, sha256: str, kind: str) -> SourceText:
    text, encoding = decode(data, name)
    if "\x00" in text:
        raise ReadError(name, "the file contains NUL characters: it is binary, not text")
    tables = []
    if kind == "html":
        from civicplan.importing.readers.html import read_html

        lines, tables = read_html(text)
    else:
        lines = [Line(number=i, text=t.rstrip("\r"), page=None) for i, t in enumerate(text.split("\n"), start=1)]
        _assign_pages(lines)
    if not any(line.text.strip() for line in lines):
        raise ReadError(name, "the file has no text")
    return SourceText(name=name, sha256=sha256, kind=kind, encoding=encoding, lines=lines, tables=tables)


def _assign_pages(lines: list[Line]) -> None:
    """Form feeds (\\f) separate pages in text converted from PDF: count them; without any, pages stay unknown.

    A form feed before a line's text starts a new page with that line; one after the text ends the page.
    """
    if not any("\f" in line.text for line in lines):
        return
    page = 1
    for line in lines:
        text = line.text
        if "\f" in text:
            stripped = text.lstrip("\f")
            page += len(text) - len(stripped)
            line.page = page
            page += stripped.count("\f")
            line.text = stripped.replace("\f", "")
        else:
            line.page = page
