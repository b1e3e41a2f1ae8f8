"""Chiayi layout family: text helpers shared by the body tables and the revision appendix.

Cleaning follows the house rule "text as a reader would write it": compatibility ideographs mapped,
spaces the PDF conversion left between characters removed (kept only between two Latin/digit words such
as `ISO 27001`), lines of a cell joined. A target's `raw` keeps its printed symbols (％, ﹪, ≧); only the
line breaks and the conversion's spaces go.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from civicplan.importing.normalise import compatibility_to_unified, join_pieces, strip_markup

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_IDEOGRAPH = re.compile(rf"[{CJK}]")
_SPACES = re.compile(r"\s+")
_KEEP_SPACE = re.compile(r"[A-Za-z0-9.]")
# Punctuation that never starts a cell: a piece beginning with one continues the previous piece.
CONTINUES_CELL = tuple("，、。：；）)」』〕﹞］】%％﹪？！")

# Page furniture printed by the conversion: page numbers, the appendix page counter, cover lines, TOC.
_FURNITURE = [
    re.compile(r"^\d{1,2}-\d{1,2}$"),  # page number 16-1
    re.compile(r"^附錄$"),
    re.compile(r"^目錄$"),
    re.compile(r"^\(滾動修正\)$|^（滾動修正）$"),
    re.compile(r"^中程\(\d+\s*至\s*\d+\s*年度\)施政計畫$"),  # cover line (also the orphan one)
    re.compile(r"…{3,}\s*\d{1,2}-\d{1,2}$"),  # table-of-contents entry with dotted leader
]
COVER_AGENCY = re.compile(r"^(?P<city>\S{1,3}[市縣])政府\S{1,6}[處局所會]$")
TITLE = re.compile(
    r"^(?P<city>\S{1,4}?[市縣])政府(?P<agency>\S+?)中程\((?P<start>\d{2,3})\s*至\s*(?P<end>\d{2,3})\s*年度\)施政計畫$"
)
APPENDIX_TITLE = re.compile(r"滾動修正項目彙總表")
YEARS_HEADER = re.compile(r"^(?:\d{2,3}年\s*){2,}$")
PAGE_REF = re.compile(r"^P\d{1,2}-\d{1,2}$")


_PAGE_COUNTER = re.compile(r"^\d{1,2}/\d{1,2}$")  # the appendix's page counter 5/12 (a date in the body)


_ANY_FURNITURE = re.compile("|".join(f"(?:{p.pattern})" for p in _FURNITURE))


def is_furniture(stripped: str, appendix: bool = False) -> bool:
    return bool(_ANY_FURNITURE.search(stripped)) or bool(appendix and _PAGE_COUNTER.match(stripped))


def width(text: str) -> int:
    """Display width as printed: East Asian wide characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def is_ideograph(ch: str) -> bool:
    return bool(_IDEOGRAPH.match(ch))


def _despace(text: str) -> str:
    """Remove the conversion's spaces; keep one space only between two Latin/digit words."""
    parts = _SPACES.split(text.strip())
    if len(parts) >= 3 and sum(len(p) == 1 for p in parts) * 5 >= len(parts) * 3:
        return "".join(parts)  # a justified (spaced-out) line: 量 ) x 1 0 0 ﹪
    out = parts[0] if parts else ""
    for part in parts[1:]:
        if not part:
            continue
        if out and _KEEP_SPACE.match(out[-1]) and _KEEP_SPACE.match(part[0]) and not (
            out[-1].isdigit() and part[0].isdigit()
        ):
            out += " "
        out += part
    return out


# Debris of Word EQ fields (circled numbers): `○1E A` / `A○2E A` → ①, ②; and the lone `A` marker such a field
# leaves between two ideographs (`本府配合A提供`).
_EQ_CIRCLED = re.compile(r"A?\s*○\s*(\d{1,2})\s*E\s*A?")
_EQ_MARKER = re.compile(rf"(?<=[{CJK}])A(?=[{CJK}])")


def debris(text: str) -> list[str]:
    """The conversion debris in a printed line (see remove_debris)."""
    return [m.group() for m in _EQ_CIRCLED.finditer(text)] + [m.group() for m in _EQ_MARKER.finditer(text)]


def remove_debris(text: str) -> str:
    if "○" in text:
        text = _EQ_CIRCLED.sub(lambda m: chr(0x245F + int(m.group(1))) if 0 < int(m.group(1)) <= 20 else m.group(),
                               text)
    if "A" in text:
        text = _EQ_MARKER.sub("", text)
    return text


def clean_text(pieces: list[str]) -> str:
    """A text cell (name, standard, goal, reason) from its printed line pieces."""
    joined = join_pieces(*(_despace(remove_debris(compatibility_to_unified(p))) for p in pieces))
    joined = strip_markup(joined).replace("％", "%").replace("﹪", "%")
    return joined.strip()


def clean_raw(pieces: list[str]) -> str:
    """A target's raw text from its printed line pieces (printed symbols kept)."""
    return join_pieces(*(_despace(compatibility_to_unified(p)) for p in pieces)).strip()


def similarity(a: str, b: str) -> float:
    """0..1 likeness of two texts after `comparable`; cheap bounds first (this runs for every pair compared)."""
    a, b = comparable(a), comparable(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    common = len(set(a) & set(b)) * 2 / (len(set(a)) + len(set(b)))
    if common < 0.5:  # few characters in common: not worth aligning
        return common
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@lru_cache(maxsize=4096)
def comparable(text: str) -> str:
    """A matching key: unified characters, no spaces or punctuation differences that carry no meaning."""
    text = compatibility_to_unified(text or "")
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s「」『』\"'“”，,。、：:；;()（）\[\]［］〔〕﹝﹞]", "", text)
