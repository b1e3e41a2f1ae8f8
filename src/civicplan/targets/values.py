"""parse_value(): a printed target such as `350件`, `≧1200`, `95%`, `2 天` or `-` → a structured value.

This first version recognises numbers with a unit, percentages, comparators and "no target" marks;
anything else is kept as text to be assessed by hand. The raw text is always kept by the caller.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

COMPARATORS = {"≧": "≥", "≥": "≥", ">=": "≥", "≦": "≤", "≤": "≤", "<=": "≤", "<": "<", ">": ">", "=": "="}
MULTIPLIERS = {"萬": Decimal(10000), "千": Decimal(1000), "億": Decimal(100000000)}
NO_TARGET = {"", "-", "--", "－", "—", "–", "無", "N/A", "n/a"}

_NUMBER = re.compile(
    r"^(?P<cmp>>=|<=|[≧≥≦≤<>=])?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<mult>[萬千億])?\s*(?P<unit>.*)$"
)


@dataclass(frozen=True)
class ParsedValue:
    kind: str  # quantity | percent | text | none
    number: Decimal | None = None
    unit: str = ""
    comparator: str = ""


def parse_value(raw: str) -> ParsedValue:
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if text in NO_TARGET:
        return ParsedValue("none")
    match = _NUMBER.match(text)
    if not match:
        return ParsedValue("text")
    unit = match["unit"].strip()
    if len(unit) > 12 or re.search(r"\d", unit):
        return ParsedValue("text")
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return ParsedValue("text")
    if match["mult"]:
        number *= MULTIPLIERS[match["mult"]]
    comparator = COMPARATORS.get(match["cmp"] or "", "")
    if unit == "%":
        return ParsedValue("percent", number, "%", comparator)
    return ParsedValue("quantity", number, unit, comparator)
