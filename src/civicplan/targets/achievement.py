"""Achievement rates (達成率), lights and the raise-the-target flag. Formulas: docs/targets.md.

    assess(target, actual, direction) → Achievement(rate, light, raise_candidate, formula, met)
    achievement_rate(...) → Decimal | None          (the rate alone, in %, one decimal)
    light(rate, {"green": 100, "yellow": 80}) → "green" | "yellow" | "red" | "white"
    raise_candidate(rate) → True at ≥ 120 %          (嘉義市: over-achievement → consider raising the target)

Targets and actuals may be ParsedValues, printed text (`350件`, `110/07/20`, `完成`), numbers, dates,
booleans (done or not) or a list of period actuals (summed, or the latest when cumulative or a rate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from civicplan.targets.dates import ROC_OFFSET, as_date, to_date
from civicplan.targets.numerals import EXACT, to_decimal
from civicplan.targets.units import same_unit
from civicplan.targets.values import ParsedValue, parse_value

DEFAULT_THRESHOLDS = {"green": 100, "yellow": 80}
RAISE_AT = Decimal(120)
LOWER_ZERO_ACTUAL = Decimal(200)  # lower is better, actual 0 against a positive ceiling
HUNDRED = Decimal(100)
DIRECTIONS = ("higher", "lower", "exact", "deadline", "milestone")

FORMULAS = {
    "higher": "actual ÷ target × 100",
    "lower": "target ÷ actual × 100 (lower is better)",
    "exact": "100 − |actual − target| ÷ |target| × 100, at least 0",
    "baseline": "(actual − baseline) ÷ (target − baseline) × 100",
    "zero-higher": "target 0, higher is better: actual ≥ 0 → 100, else 0",
    "zero-lower": "target 0, lower is better: actual ≤ 0 → 100, else 0",
    "zero-exact": "target 0, exact: actual 0 → 100, else 0",
    "negative-target": "target below 0: met → 100, else 0",
    "lower-zero-actual": "lower is better, actual 0 → 200 (the ratio has no bound)",
    "deadline": "done on or before the deadline → 100, after it or not done when due → 0",
    "done": "done → 100, not done when due → 0",
    "not-due": "not due yet and not done: no rate",
    "no-data": "no actual: no rate",
    "no-target": "no target this year: no rate",
    "by-hand": "composite or text target: assessed by a person",
    "unit-mismatch": "target and actual in different units: assessed by a person",
    "no-year": "a deadline without a year: no rate",
    "no-date": "reported done after the deadline without the date it was done: assessed by a person",
}


@dataclass(frozen=True)
class Achievement:
    rate: Decimal | None  # in %, one decimal; None: not assessable (white)
    light: str
    raise_candidate: bool
    formula: str  # a key of FORMULAS
    met: bool | None = None

    @property
    def explanation(self) -> str:
        return FORMULAS[self.formula]


def raise_candidate(rate, at=RAISE_AT) -> bool:
    """A real rate of at least 120 % suggests the target is too low (嘉義市's committee reviews these)."""
    rate = to_decimal(rate)
    return rate is not None and rate >= to_decimal(at)


def light(rate, thresholds: dict | None = None, *, due: bool = True) -> str:
    """The light for a rate: the colour with the highest threshold the rate reaches, else red;
    white when not due or without a rate. thresholds: {"green": 100, "yellow": 80} (a city's data)."""
    rate = to_decimal(rate)
    if rate is None or not due:
        return "white"
    levels = sorted(((to_decimal(v), colour) for colour, v in (thresholds or DEFAULT_THRESHOLDS).items()
                     if to_decimal(v) is not None), reverse=True)
    for minimum, colour in levels:
        if rate >= minimum:
            return colour
    return "red"


def achievement_rate(target, actual, direction: str = "higher", **options) -> Decimal | None:
    """The achievement rate in % (one decimal), or None when it cannot be computed; see assess()."""
    return assess(target, actual, direction, **options).rate


def assess(target, actual, direction: str = "higher", *, year: int | None = None, cumulative: bool = False,
           baseline=None, expected=None, period_end: date | None = None, is_last_period: bool = True,
           thresholds: dict | None = None, raise_at=RAISE_AT) -> Achievement:
    """Rate, light and flag for one target and its actual.

    year: ROC year for dates printed without one. expected: the number due by this period (pro rata),
    used instead of the target's number. period_end / is_last_period: whether a deadline or a done-or-not
    target is due. cumulative: a list of period actuals is read as running totals (the latest counts).
    baseline: for progress, rate = (actual − baseline) ÷ (target − baseline)."""
    t = _value(target, year)
    if year is None and t.kind == "deadline":
        year = t.year
    a = _combine(actual, year, cumulative or t.cumulative or t.kind == "percent")

    def result(rate, formula, met=None, flag=False):
        rate = None if rate is None else _round(rate)
        flagged = flag and raise_candidate(rate, raise_at)
        return Achievement(rate, light(rate, thresholds), flagged, formula, met)

    if t.kind == "none":
        return result(None, "no-target")
    if t.kind in ("text", "composite"):
        return result(None, "by-hand")
    if t.kind == "deadline":
        return _assess_deadline(t, a, year, period_end, is_last_period, result)
    if t.kind == "done":
        done = _done(a, None)
        if done is None:
            return result(None, "no-data" if a is None else "by-hand")
        if not done and not is_last_period:
            return result(None, "not-due", False)
        return result(HUNDRED if done else Decimal(0), "done", done)
    return _assess_number(t, a, direction, expected, baseline, result)


def _assess_deadline(t, a, year, period_end, is_last_period, result) -> Achievement:
    deadline = t.deadline or (to_date(year, t.month, t.day) if t.month else None)
    if deadline is None:
        return result(None, "no-year")
    finished = as_date(a, deadline.year - ROC_OFFSET) if a is not None and a.kind == "deadline" else None
    if finished is not None:
        met = finished <= deadline
        return result(HUNDRED if met else Decimal(0), "deadline", met)
    done = _done(a, HUNDRED)
    if a is not None and done is None:
        return result(None, "by-hand")
    if done and (period_end is None or period_end <= deadline):
        return result(HUNDRED, "deadline", True)
    if done:  # reported done after the deadline passed, without the date it was done
        return result(None, "no-date")
    due = (period_end is not None and period_end > deadline) or (period_end is None and is_last_period
                                                                  and done is False)
    if due:
        return result(Decimal(0), "deadline", False)
    return result(None, "no-data" if a is None and period_end is None else "not-due")


def _assess_number(t, a, direction, expected, baseline, result) -> Achievement:
    target = to_decimal(expected) if expected is not None else t.number
    if target is None:
        return result(None, "by-hand")
    if a is None:
        return result(None, "no-data")
    if a.kind in ("quantity", "percent"):
        if not same_unit(t.unit, a.unit):
            return result(None, "unit-mismatch")
        actual = a.number
    else:
        done = _done(a, t.number if t.kind == "percent" else None)
        if done is None:
            return result(None, "by-hand")
        actual = HUNDRED if done else Decimal(0)
    way = _direction(direction, t.comparator)
    strict = t.comparator in ("<", ">")
    if way == "lower":
        met = actual < target if strict else actual <= target
    elif way == "exact":
        met = actual == target
    else:
        met = actual > target if strict else actual >= target
    base = to_decimal(baseline)
    if base is not None and way == "higher" and target != base:
        return result(max(Decimal(0), _ratio(actual - base, target - base)), "baseline", met, True)
    if target < 0:
        return result(HUNDRED if met else Decimal(0), "negative-target", met)
    if target == 0:
        return result(HUNDRED if met else Decimal(0), f"zero-{way}", met)
    if way == "lower":
        if actual <= 0:
            return result(LOWER_ZERO_ACTUAL, "lower-zero-actual", met, True)
        return result(_ratio(target, actual), "lower", met, True)
    if way == "exact":
        return result(max(Decimal(0), HUNDRED - _ratio(abs(actual - target), target)), "exact", met)
    return result(max(Decimal(0), _ratio(actual, target)), "higher", met, True)


def _direction(direction: str, comparator: str) -> str:
    """The printed comparator is the stronger evidence: ≥ > → higher, ≤ < → lower, = → exact.
    Deadline and milestone directions with a number as target read as higher is better."""
    by_comparator = {"≥": "higher", ">": "higher", "≤": "lower", "<": "lower", "=": "exact"}
    if comparator in by_comparator:
        return by_comparator[comparator]
    direction = str(direction or "higher")
    return direction if direction in ("higher", "lower", "exact") else "higher"


def _ratio(a: Decimal, b: Decimal) -> Decimal:
    return EXACT.divide(EXACT.multiply(a, HUNDRED), b)


def _round(rate: Decimal) -> Decimal:
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=EXACT)


def _value(value, year) -> ParsedValue:
    if isinstance(value, ParsedValue):
        return value
    if isinstance(value, bool):
        return ParsedValue("done", done=value)
    if isinstance(value, date):
        return ParsedValue("deadline", comparator="≤", year=value.year - ROC_OFFSET, month=value.month,
                           day=value.day)
    number = to_decimal(value) if not isinstance(value, str) else None
    if number is not None:
        return ParsedValue("quantity", number)
    return parse_value(value if isinstance(value, str) else "", year=year)


def _combine(actual, year, latest: bool) -> ParsedValue | None:
    """One actual from a value or from period actuals: counts summed; rates and running totals: the latest."""
    if isinstance(actual, (list, tuple)):
        values = [v for v in (_value(x, year) for x in actual if x is not None) if v.kind != "none"]
        if not values:
            return None
        numbers = [v for v in values if v.kind == "quantity"]
        if latest or len(numbers) != len(values) or len({v.unit for v in numbers}) > 1:
            return values[-1]
        return ParsedValue("quantity", sum((v.number for v in numbers), Decimal(0)), numbers[0].unit)
    if actual is None:
        return None
    value = _value(actual, year)
    return None if value.kind == "none" else value


def _done(a: ParsedValue | None, full) -> bool | None:
    """Done or not from an actual: 完成 / 未完成, True / False, a completion date, or 100 % of a % target."""
    if a is None:
        return None
    if a.kind == "done":
        return a.done
    if a.kind == "deadline":
        return True
    if a.kind == "percent" and full is not None:
        return a.number >= full
    return None
