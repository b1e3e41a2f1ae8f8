"""parse_value(): a printed target or actual → a structured value; format_value(): the canonical text back.

Forms read (seeds-keelung.md §4.3, seeds-chiayi.md §4; docs/targets.md lists them with their readings):
`350件`, `5 件`, `13,000筆`, `99.7%`, `１５０％`, `100﹪`, `28 萬` (280000), `1.5千` (1500), `1萬6千件`,
`≧1200`, `≦5%`, `<10分鐘`, `10件以上`, `每年至少3項`, `每年一次`, `一年二次`, `3次/年`, `5MW(累積)`,
`45,000人次(因疫情影響)` (value + note), `7/31`, `110/07/20`, `109年4月30日前`, `3月底`, `依限完成`,
`-`, `--`, `-%`, blank (no target), `6A 84B 45C` (composite), anything else (text, assessed by hand).
The raw text is always kept (`raw`, not part of equality: `parse_value(format_value(p)) == p`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from civicplan.targets.dates import DateParts, format_date, read_date, to_date
from civicplan.targets.numerals import format_number, normalise, read_number, tidy
from civicplan.targets.units import KNOWN_UNITS, is_unit

KINDS = ("quantity", "percent", "deadline", "milestone", "done", "composite", "text", "none")
COMPARATORS = ("≥", "≤", "=", "<", ">")
MAX_INTEGER_DIGITS = 16  # Target.value is DecimalField(max_digits=20, decimal_places=4)
MAX_DECIMAL_PLACES = 4

NO_TARGET = {"", "無", "N/A", "n/a", "NA", "不適用", "免填", "免", "/"}
DONE = {"完成", "已完成", "依限完成", "如期完成", "準時完成", "按時完成", "辦理完成", "已辦理", "達成", "已達成",
        "通過", "已通過", "是", "依限辦理", "如期辦理", "如期如質完成", "依限辦結"}
NOT_DONE = {"未完成", "未達成", "未通過", "否", "未辦理", "尚未完成"}
CUMULATIVE_MARKS = {"累積", "累計", "累積值", "累計值"}
PERIODS = {"年": "年", "年度": "年", "半年": "半年", "季": "季", "月": "月", "週": "週", "周": "週", "日": "日",
           "天": "日"}

_SYMBOLS = {">=": "≥", "≥": "≥", "<=": "≤", "≤": "≤", "=": "=", "<": "<", ">": ">"}
_WORDS = {"至少": "≥", "不少於": "≥", "不低於": "≥", "不小於": "≥", "大於等於": "≥", "最少": "≥",
          "至多": "≤", "最多": "≤", "不超過": "≤", "不多於": "≤", "不高於": "≤", "不大於": "≤", "小於等於": "≤",
          "大於": ">", "超過": ">", "多於": ">", "高於": ">", "小於": "<", "少於": "<", "低於": "<", "未滿": "<"}
_SUFFIX_WORDS = {"以上": "≥", "以下": "≤", "以內": "≤", "之內": "≤"}
_COMPARATOR = re.compile(r"(>=|<=|[≥≤=<>]|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r") ?")
_PERIOD = "|".join(sorted(PERIODS, key=len, reverse=True))
_PER_PREFIX = re.compile(rf"(?:每|一)(?:一)?(?P<per>{_PERIOD}) ?")
_PER_SUFFIX = re.compile(rf"/(?P<per>{_PERIOD})$")
_PAREN_TAIL = re.compile(r"\(([^()]*)\)$")
_DASHES = re.compile(r"-+ ?")
_INCLUSIVE = re.compile(r"\(含\)(以上|以下)")


@dataclass(frozen=True)
class ParsedValue:
    """A target or actual as understood. kind is one of KINDS; the raw text is kept beside it."""

    kind: str
    number: Decimal | None = None
    unit: str = ""
    comparator: str = ""  # ≥ ≤ = < > ("≤" for a deadline: on or before)
    multiplier: int = 1  # 萬 → 10000 (number is already multiplied: 28萬 → 280000)
    per: str = ""  # a frequency: 每年 → "年"
    cumulative: bool = False  # (累積) / 累計
    year: int | None = None  # deadlines: ROC year (from the text or the caller)
    month: int | None = None
    day: int | None = None  # None with a month: the end of the month (月底)
    done: bool | None = None  # kind "done": 完成 True, 未完成 False
    parts: tuple[ParsedValue, ...] = ()  # kind "composite": `6A 84B 45C`
    note: str = ""  # words beside the value (因疫情影響); for kind "text" the whole cell
    raw: str = field(default="", compare=False)

    @property
    def deadline(self) -> date | None:
        """The deadline as a date (needs the year), else None."""
        return to_date(self.year, self.month, self.day) if self.kind == "deadline" and self.month else None

    @property
    def needs_judgement(self) -> bool:
        """Composite and text values (and values with a note) are assessed by a person."""
        return self.kind in ("composite", "text") or bool(self.note)

    def __str__(self) -> str:
        return format_value(self)


def parse_value(raw: str | None, *, year: int | None = None) -> ParsedValue:
    """A printed target or actual → ParsedValue. Never raises; what cannot be read is kind "text".

    year (ROC) completes dates printed without one: `7/31` with year=110 → 2021-07-31."""
    text = normalise(raw)
    parsed = _parse(text, year)
    return _with_raw(parsed, raw if isinstance(raw, str) else "")


def _with_raw(parsed: ParsedValue, raw: str) -> ParsedValue:
    return replace(parsed, raw=raw)


def _parse(text: str, year: int | None) -> ParsedValue:
    none = _no_target(text)
    if none is not None:
        return none
    core, note, cumulative, ok = _split_tail(text)
    if ok and core:
        for reader in (_deadline, _done, _value):
            parsed = reader(core, year, note, cumulative)
            if parsed is not None:
                return parsed
    return _composite(text) or ParsedValue("text", note=text)


def _no_target(text: str) -> ParsedValue | None:
    if text in NO_TARGET:
        return ParsedValue("none")
    if set(text) <= {"-", " "}:
        return ParsedValue("none")
    dashes = _DASHES.match(text)
    if dashes and (dashes.end() == len(text) or is_unit(text[dashes.end():])):
        return ParsedValue("none", unit=text[dashes.end():])
    return None


def _split_tail(text: str) -> tuple[str, str, bool, bool]:
    """`45,000人次(因疫情影響)` → ("45,000人次", "因疫情影響", cumulative, ok); two notes are not ok."""
    core, note, cumulative = text, "", False
    for _ in range(3):
        match = _PAREN_TAIL.search(core)
        if not match:
            break
        inner = match[1].strip()
        core = core[:match.start()].rstrip()
        if inner in CUMULATIVE_MARKS:
            cumulative = True
        elif inner:
            if note:
                return text, "", False, False
            note = inner
    if "(" in core or ")" in core:
        core = _INCLUSIVE.sub(r"\1", core)
        if "(" in core or ")" in core:
            return text, "", False, False
    for mark in CUMULATIVE_MARKS:
        if core.startswith(mark) and len(core) > len(mark):
            core, cumulative = core[len(mark):].lstrip(), True
            break
    return core, note, cumulative, True


def _deadline(core: str, year: int | None, note: str, cumulative: bool) -> ParsedValue | None:
    parts: DateParts | None = read_date(core, year)
    if parts is None:
        return None
    rest = core[parts.end:].strip()
    if rest:
        if note or len(rest) > 40 or re.search(r"[0-9]", rest):
            return None
        note = rest
    return ParsedValue("deadline", comparator="≤", year=parts.year, month=parts.month, day=parts.day,
                       cumulative=cumulative, note=note)


def _done(core: str, year: int | None, note: str, cumulative: bool) -> ParsedValue | None:
    if core in DONE or core in NOT_DONE:
        return ParsedValue("done", done=core in DONE, cumulative=cumulative, note=note)
    return None


def _value(core: str, year: int | None, note: str, cumulative: bool) -> ParsedValue | None:
    per = ""
    match = _PER_PREFIX.match(core)
    if match and match.end() < len(core):
        inner = _number(core[match.end():])
        if inner is not None:
            per = PERIODS[match["per"]]
            core = core[match.end():]
    value = _number(core)
    if value is None:
        return None
    if value.per:
        if per:
            return None
        per = value.per
    return ParsedValue(value.kind, value.number, value.unit, value.comparator, value.multiplier, per,
                       cumulative, note=note)


def _number(core: str) -> ParsedValue | None:
    """`≥ 1,200 件以上`-style core: comparator, sign, numeral, unit, suffix words; else None."""
    comparator, pos = "", 0
    match = _COMPARATOR.match(core)
    if match:
        comparator, pos = _SYMBOLS.get(match[1]) or _WORDS[match[1]], match.end()
    sign = 1
    if pos < len(core) and core[pos] in "+-":
        sign, pos = (-1 if core[pos] == "-" else 1), pos + 1
    read = read_number(core, pos)
    if read is None:
        return None
    number, multiplier, end, chinese = read
    unit = core[end:].replace(" ", "")
    per = ""
    per_match = _PER_SUFFIX.search(unit)
    if per_match:
        per, unit = PERIODS[per_match["per"]], unit[:per_match.start()]
    if not comparator:
        for word, symbol in _SUFFIX_WORDS.items():
            if unit.endswith(word):
                unit, comparator = unit[: -len(word)], symbol
                break
    if unit and not is_unit(unit):
        return None
    if chinese and unit not in KNOWN_UNITS:
        return None
    number = tidy(number * sign)
    if not _fits(number):
        return None
    kind = "percent" if unit == "%" else "quantity"
    return ParsedValue(kind, number, unit, comparator, multiplier, per)


def _fits(number: Decimal) -> bool:
    sign, digits, exponent = number.as_tuple()
    places = max(0, -exponent)
    return places <= MAX_DECIMAL_PLACES and len(digits) - places <= MAX_INTEGER_DIGITS


def _composite(text: str) -> ParsedValue | None:
    """Two or more values side by side (`6A 84B 45C`, `<10分鐘、50%`) → kind composite."""
    pieces = [p for p in re.split(r"[ 、;]", text) if p]
    if len(pieces) < 2 or len(pieces) > 12:
        return None
    parts = []
    for piece in pieces:
        value = _number(piece)
        if value is None or value.per:
            return None
        parts.append(value)
    return ParsedValue("composite", parts=tuple(parts))


def format_value(parsed: ParsedValue) -> str:
    """The canonical text of a parsed value; parse_value(format_value(p)) == p."""
    kind = parsed.kind
    if kind == "none":
        return "-" + parsed.unit
    if kind == "text":
        return parsed.note
    if kind == "composite":
        return " ".join(_format_number(part) for part in parsed.parts)
    if kind == "deadline":
        body = format_date(parsed.year, parsed.month, parsed.day)
    elif kind == "done":
        body = "完成" if parsed.done else "未完成"
    else:
        body = ("每" + parsed.per if parsed.per else "") + _format_number(parsed)
    return body + ("(累積)" if parsed.cumulative else "") + (f"({parsed.note})" if parsed.note else "")


def _format_number(parsed: ParsedValue) -> str:
    if parsed.number is None:
        return ""
    return parsed.comparator + format_number(parsed.number, parsed.multiplier) + parsed.unit


def classify_series(raws: list[str]) -> str:
    """The kind of an indicator from its yearly targets: "milestone" when percentages climb to 100%
    (`10% 40% 70% 100%`, `- 25% 70% 100%`), otherwise the most common kind of the set targets."""
    parsed = [parse_value(raw) for raw in raws]
    present = [p for p in parsed if p.kind != "none"]
    if not present:
        return "none"
    numbers = [p.number for p in present]
    if (len(present) >= 2 and all(p.kind == "percent" and not p.comparator for p in present)
            and numbers == sorted(numbers) and numbers[-1] == 100 and numbers[0] < 100 and numbers[0] >= 0):
        return "milestone"
    counts = Counter(p.kind for p in present)
    return max(counts, key=lambda kind: (counts[kind], -KINDS.index(kind)))
