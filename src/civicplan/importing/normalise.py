"""Normalising printed text the way a reader would write it, keeping the raw text available to callers.

- CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–) → their unified forms (the Chiayi book has 104);
- full-width percent signs ％ and ﹪ → %; full-width digits, letters and brackets → half-width where safe;
- HTML tags and entities (PM<sub>2.5</sub> → PM2.5) and LaTeX debris ($\\geq$ → ≧, \\% → %);
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
_SCRIPT_TAG = re.compile(r"\s*<(sub|sup)>\s*([^<]*?)\s*</\1>\s*", re.IGNORECASE)  # PM <sub>2.5</sub> → PM2.5
_TAG = re.compile(r"</?(?:sub|sup|span|b|i|em|strong|u|font|br|p|div|td|th|tr)\b[^>]*>", re.IGNORECASE)
_LATEX = [
    (re.compile(r"\$\\geq?\$|\\geq?\b"), "≧"),
    (re.compile(r"\$\\leq?\$|\\leq?\b"), "≦"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\$\^\{?([^$}]*)\}?\$"), r"\1"),
    (re.compile(r"\$_\{?([^$}]*)\}?\$"), r"\1"),
]
_WIDTH = str.maketrans({"％": "%", "﹪": "%"})


def compatibility_to_unified(text: str) -> str:
    """Map CJK compatibility ideographs to unified ideographs (NFKC of just those characters)."""
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


def remove_cjk_spaces(text: str) -> str:
    return _SPACE_BETWEEN_CJK.sub("", text)


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
