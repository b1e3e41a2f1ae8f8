"""Normalising printed text the way a reader would write it, keeping the raw text available to callers.

- CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–) → their unified forms (the Chiayi book has 104);
- full-width percent signs ％ and ﹪ → %; full-width digits, letters and brackets → half-width where safe;
- HTML tags and entities (PM<sub>2.5</sub> → PM2.5) and LaTeX debris ($\\geq$ → ≥, \\% → %);
- spaces that a PDF conversion put between Chinese characters removed; runs of spaces collapsed.

NFKC is not applied wholesale: it would also turn ≧ into ≥ and full-width punctuation （，、：） that the
books print on purpose into ASCII. Only the mappings above are applied.
"""

from __future__ import annotations

import html
import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \u3000]+(?=[{_CJK}{_CJK_PUNCT}])")
# PM <sub>2.5</sub> → PM2.5; a space after the tag goes only before punctuation: (PM <sub>2.5</sub> ) → (PM2.5)
_SCRIPT_TAG = re.compile(r"\s*<(sub|sup)>\s*([^<]*?)\s*</\1>(?:[ ]+(?=[)）\]】,，。、;；:：]))?", re.IGNORECASE)
# Before closing or pausing punctuation (，。、；：？！）」』】》〉) and after opening ones, a space is debris;
# after a closing bracket it may separate a note (…薪資） ※決算數…) and stays.
_SPACE_AT_CJK_PUNCT = re.compile(r"[ \u3000]+(?=[，。、；：？！）」』】》〉])|(?<=[（「『【《〈])[ \u3000]+")
_TAG = re.compile(r"</?(?:sub|sup|span|b|i|em|strong|u|font|br|p|div|td|th|tr)\b[^>]*>", re.IGNORECASE)
_LATEX = [
    (re.compile(r"\\geq?\b\s*"), "≥"),  # \geq renders as ≥ (U+2265), the glyph the converted page shows
    (re.compile(r"\\leq?\b\s*"), "≤"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\$\^\{?([^$}]*)\}?\$"), r"\1"),
    (re.compile(r"\$_\{?([^$}]*)\}?\$"), r"\1"),
    # $≥97%$ → ≥97% once the commands are gone; math opens with a non-space after $ and closes before one
    (re.compile(r"\$(?=\S)([^$\\\n]{1,40}?)(?<=\S)\$"), r"\1"),
]
_WIDTH = str.maketrans({"％": "%", "﹪": "%"})


_COMPATIBILITY = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")


def compatibility_to_unified(text: str) -> str:
    """Map CJK compatibility ideographs to unified ideographs (NFKC of just those characters)."""
    if not _COMPATIBILITY.search(text):
        return text
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\uf900" <= ch <= "\ufaff" or "\U0002f800" <= ch <= "\U0002fa1f" else ch
        for ch in text
    )


def strip_markup(text: str) -> str:
    if "<" in text:
        text = _SCRIPT_TAG.sub(r"\2", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if "\\" in text or "$" in text:
        for pattern, replacement in _LATEX:
            text = pattern.sub(replacement, text)
    return text


_SPACE_AT_COMPARATOR = re.compile(rf"(?<=[{_CJK}])[ ]+(?=[≥≤≧≦])|(?<=[≥≤≧≦])[ ]+(?=\d)")


def remove_cjk_spaces(text: str) -> str:
    """Spaces between Chinese characters, beside full-width punctuation and around a comparator (率 ≥ 90% →
    率≥90%, as the books print it) are conversion debris."""
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_AT_CJK_PUNCT.sub("", text)
    if "≥" in text or "≤" in text or "≧" in text or "≦" in text:
        text = _SPACE_AT_COMPARATOR.sub("", text)
    return text


def normalise(text: str) -> str:
    """The normalised form of one line or cell (no line breaks are added or removed)."""
    text = compatibility_to_unified(text).translate(_WIDTH)
    text = strip_markup(text)
    text = remove_cjk_spaces(text)
    return re.sub(r"[ \u00a0]{2,}", " ", text).strip()


def join_pieces(*pieces: str) -> str:
    """Join pieces of one cell broken across lines or pages: no space between CJK, one space between words."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and re.match(r"[A-Za-z0-9]", piece[0]) and re.search(r"[A-Za-z]$", out):
            out += " "
        out += piece
    return out
