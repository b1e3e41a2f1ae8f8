"""Text helpers of the Keelung layout family: cleaning cells, joining fragments, 構面 tags, list markers.

The Keelung books (基隆市政府中程施政計畫) were converted from PDF to text with every table row written as
one line of 11 TAB-separated cells. A cell that overflowed a page continues, cell by cell, on a row after the
repeated table header; the pieces are joined here without a separator (the break fell inside a word).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from civicplan.importing.normalise import normalise

# The 構面 (perspective) tags a goal name ends with: key goals use the first three, common goals the last two.
PERSPECTIVES = ("業務成果", "行政效率", "服務效能", "財務管理", "組織學習")
# The 評估方式 vocabulary of the table (a value split across pages is joined back against it).
EVAL_METHODS = ("統計數據", "進度控管", "實地查證")

_OPEN = "(（"
_CLOSE = ")）"
_TAG_STRICT = re.compile(r"\s*[(（]\s*(" + "|".join(PERSPECTIVES) + r")\s*[)）]\s*$")
# Tolerant form: a stray closing parenthesis or space inside the tag, left by a page break that split it
# ("（業務成" + "果)", "(業務)" + "成果)").
_TAG_TOLERANT = re.compile(
    r"\s*[(（]\s*("
    + "|".join(r"[\s)）]*".join(map(re.escape, p)) for p in PERSPECTIVES)
    + r")\s*[)）]\s*$"
)
_ANY_SPACE = re.compile(r"[\s)）]")

# LaTeX left by the converter (環境保護局 only): $\mu\text{g}/\text{m}^3$, PM_{2.5}, $<5\%$ …
_LATEX_COMMAND = [
    (re.compile(r"\\div(?![A-Za-z])\s*"), "÷"),
    (re.compile(r"\\times(?![A-Za-z])\s*"), "×"),
    (re.compile(r"\\cdot(?![A-Za-z])\s*"), "·"),
    (re.compile(r"\\mu(?![A-Za-z])\s*"), "μ"),
    (re.compile(r"\\pm(?![A-Za-z])\s*"), "±"),
    (re.compile(r"\\(?:text|mathrm|mathit|textrm|operatorname)\s*\{([^{}]*)\}"), r"\1"),
    (re.compile(r"(?<=[A-Za-z0-9)）])[_^]\{([^{}]*)\}"), r"\1"),
    (re.compile(r"(?<=[A-Za-z0-9)）])[_^]([A-Za-z0-9])"), r"\1"),
]
_DOLLAR = re.compile(r"\$\s*([^$]*?)\s*\$")
_DIGIT_SPACE_DIGIT = re.compile(r"(?<=\d) (?=\d)")
_SPACE_PERCENT = re.compile(r"(?<=\d) +(?=%)")  # a wrap-space before the percent sign: `86.07 %`
_LIST_PREFIX = re.compile(r"^\s*-\s+")
_SPACED_NUMBER = re.compile(r"^(\d) (\d)(?=\s*、)")  # `1 4、` (letter-spaced two-digit list number) → `14、`

# Heading and list markers (the marker decides the level; the "- " prefix and indentation do not).
L1_HEADING = re.compile(r"^(壹|貳|參|肆|伍|陸|柒|捌|玖)、\s*(\S.{0,40})$")
L2_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})、\s*([^。：:]{1,40})$")
L3_MARKER = re.compile(r"^[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*")
L4_MARKER = re.compile(r"^(\d(?: ?\d)*)\s*、\s*")
L5_MARKER = re.compile(r"^[(（]\s*(\d{1,2})\s*[)）]\s*")
ANY_MARKER = re.compile(
    r"^(?:[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]|[(（]\s*\d{1,2}\s*[)）]|\d(?: ?\d)*\s*、|"
    r"[一二三四五六七八九十]{1,3}、|[A-Z]、|[IVX]{1,4}\.|\d{1,2}\.\s|註：)"
)
SENTENCE_END = tuple("。：:；;！!？?")

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23 (the ordinals of the books' headings)."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def cn_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (the label of a goal: 參、一's (一), (二) …)."""
    digits = "一二三四五六七八九"
    if number < 10:
        return digits[number - 1] if number > 0 else str(number)
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else digits[tens - 1]) + "十" + (digits[ones - 1] if ones else "")


def strip_latex(text: str) -> str:
    if "\\" not in text and "$" not in text and "_" not in text and "^" not in text:
        return text
    for pattern, replacement in _LATEX_COMMAND:
        text = pattern.sub(replacement, text)
    return _DOLLAR.sub(r"\1", text)


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """A cell or a prose line as a reader would write it (normalise() plus the converter's LaTeX and the
    wrap-space a narrow column left before a percent sign)."""
    text = normalise(text)
    if " %" in text:
        text = _SPACE_PERCENT.sub("", text)
    if "\\" in text or "$" in text or "_{" in text or "^" in text:
        text = re.sub(r" {2,}", " ", strip_latex(text)).strip()
    return text


def clean_target(text: str) -> str:
    """A target cell: as printed, with the wrap-spaces a narrow column put inside numbers removed
    (`53000 0人 次` → `530000人次`; the space between number and unit is kept where printed)."""
    return _DIGIT_SPACE_DIGIT.sub("", clean(text))


def join_fragments(pieces: list[str]) -> str:
    """Join the pieces of one cell split across pages: no separator (the break fell inside a word or
    number: `60,` + `250 件`), except a space between two Latin words."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
            out += " "
        out += piece
    return out


def strip_list_prefix(text: str) -> str:
    """`- (一) …` / ` - 1、…` → the text from its marker on (a letter-spaced `1 4、` read as `14、`)."""
    return _SPACED_NUMBER.sub(r"\1\2", _LIST_PREFIX.sub("", text))


def has_complete_tag(name: str) -> bool:
    return bool(_TAG_STRICT.search(name))


def split_perspective(name: str) -> tuple[str, str | None, bool]:
    """(name without its 構面 tag, the perspective or None, True if the tag had to be read tolerantly)."""
    match = _TAG_STRICT.search(name)
    if match:
        return name[: match.start()].rstrip(), match.group(1), False
    match = _TAG_TOLERANT.search(name)
    if match:
        return name[: match.start()].rstrip(), _ANY_SPACE.sub("", match.group(1)), True
    return name.strip(), None, False


def comparable(text: str) -> str:
    """A key for comparing two printings of one name: width (（，→(,), spaces and dash variants ignored."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s", "", text)
    return re.sub(r"[—–－‐-]", "-", text)
