"""Text folding and numbers as printed in plan books: `1,200`, `28 萬`, `1萬6千`, `4萬5,000`, `一年二次`, `十二`.

`normalise()` is what every parser here sees first; it is idempotent (a fixpoint), so that the canonical text
of a parsed value reads back to the same value. `read_number()` reads Arabic and Chinese numerals with the
multipliers 千 萬 億 (`1.5千` → 1500); `format_number()` writes a number back with its multiplier.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Context, Decimal, InvalidOperation

# Wide enough for any number a cell may print, so that arithmetic here never rounds.
EXACT = Context(prec=80)

# Folded after NFKC (which already folds full-width digits, ％ ﹪ （ ） and full-width comparators).
_FOLD = str.maketrans({
    "≧": "≥", "≦": "≤", "−": "-", "–": "-", "—": "-", "―": "-", "‒": "-", "﹣": "-", "ー": "-",
    "〜": "~", "～": "~", "﹝": "(", "﹞": ")", "〔": "(", "〕": ")", "【": "(", "】": ")",
})
_SPACE = re.compile(r"\s+")


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _SPACE.sub(" ", text).strip()


def normalise(raw: str | None) -> str:
    """NFKC, comparators and dashes folded, white space runs → one space, trimmed (stable when repeated)."""
    text = raw if isinstance(raw, str) else ""
    for _ in range(8):
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
    return text


CHINESE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"萬": 10000, "億": 100000000}
MULTIPLIER_SYMBOLS = {1000: "千", 10000: "萬", 100000000: "億"}
NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

_ARABIC = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_GAP = re.compile(r" ?")


def _token(text: str, pos: int, after_arabic: bool):
    """The next numeral token at pos → (kind, value, end, arabic) with kind "n" | "small" | "big", or None."""
    if after_arabic:  # `28 萬`: a space may stand between the digits and their multiplier
        gap = _GAP.match(text, pos).end()
        if gap < len(text) and text[gap] in "千萬億":
            pos = gap
    if pos >= len(text):
        return None
    match = _ARABIC.match(text, pos)
    if match:
        return ("n", Decimal(match[0].replace(",", "")), match.end(), True)
    char = text[pos]
    if char in CHINESE_DIGITS:
        return ("n", Decimal(CHINESE_DIGITS[char]), pos + 1, False)
    if char in SMALL_UNITS and not text.startswith("百分", pos):
        return ("small", SMALL_UNITS[char], pos + 1, False)
    if char in BIG_UNITS:
        return ("big", BIG_UNITS[char], pos + 1, False)
    return None


def read_number(text: str, pos: int = 0) -> tuple[Decimal, int, int, bool] | None:
    """Read a numeral at text[pos:] → (value, multiplier, end, chinese) or None.

    multiplier is the largest of 千/萬/億 written after Arabic digits (1 when none): `28萬` → (280000, 10000),
    `1萬6千` → (16000, 10000), `1.5千` → (1500, 1000), `十二` → (12, 1). chinese tells that Chinese digits,
    十/百 or a bare 千/萬 were used (the caller accepts those only before a known unit: `一般` is no number)."""
    total = section = Decimal(0)
    current: Decimal | None = None
    multiplier, chinese, seen, since_big, any_arabic = 1, False, False, False, False
    last_small, last_big = 10**6, 10**12
    end, after_arabic = pos, False
    while True:
        token = _token(text, end, after_arabic)
        if token is None:
            break
        kind, value, stop, arabic = token
        if kind == "n":
            if current is not None:  # two numbers in a row (`二〇二一`, `1 2`): the numeral ends before
                break
            if value == 0 and not arabic and (section or total):  # 一千零五: 零 only holds a place
                end = stop
                continue
            current, chinese, any_arabic = value, chinese or not arabic, any_arabic or arabic
        elif kind == "small":
            if value >= last_small:
                break
            chinese = chinese or value < 1000 or current is None
            section += (current if current is not None else 1) * value
            current, last_small = None, value
        else:
            if value >= last_big:
                break
            chinese = chinese or (current is None and section == 0)
            amount = section + (current if current is not None else 0) if since_big else Decimal(1)
            total += EXACT.multiply(amount, value)
            section, current, last_small, last_big = Decimal(0), None, 10**6, value
        if kind != "n" and value >= 1000:
            multiplier = max(multiplier, value)
        seen, since_big, end, after_arabic = True, kind != "big", stop, kind == "n" and arabic
    if not seen:
        return None
    value = total + section + (current if current is not None else 0)
    # A multiplier is kept only after Arabic digits (`28萬`); 一千零五 is simply 1005.
    return tidy(value), multiplier if any_arabic else 1, end, chinese


def tidy(number: Decimal) -> Decimal:
    """The number without trailing zeros and never in exponent form (`1500.0` → 1500, `-0` → 0)."""
    if number == 0:
        return Decimal(0)
    number = number.normalize(EXACT)
    if number.as_tuple().exponent > 0:
        number = number.quantize(Decimal(1), context=EXACT)
    return number


def plain(number: Decimal) -> str:
    """`Decimal` → digits without exponent or trailing zeros: 280000, 1.5, -3."""
    return format(tidy(number), "f")


def format_number(number: Decimal, multiplier: int = 1) -> str:
    """The number written with its multiplier: (280000, 10000) → `28萬`, (1500, 1000) → `1.5千`."""
    if multiplier in MULTIPLIER_SYMBOLS:
        return plain(EXACT.divide(number, Decimal(multiplier))) + MULTIPLIER_SYMBOLS[multiplier]
    return plain(number)


def chinese_int(text: str) -> int | None:
    """A small whole number in Arabic or Chinese digits (`12`, `十二`, `七`), else None."""
    if text.isascii() and text.isdigit():
        return int(text)
    read = read_number(text)
    if read is None or read[2] != len(text) or read[0] != read[0].to_integral_value():
        return None
    return int(read[0])


def to_decimal(value) -> Decimal | None:
    """int, float, str or Decimal → Decimal (floats through their shortest repr), None when not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None
