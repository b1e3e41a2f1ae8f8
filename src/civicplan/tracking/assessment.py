"""Assessing a measurement: what was expected by this period, the achievement rate, the light.

The rule the light was computed with (thresholds and formula, with a version) is stored with every
assessment, so that changing a city's thresholds never rewrites earlier lights silently.
Formulas: docs/targets.md (civicplan.targets does the arithmetic).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from civicplan.targets.values import parse_value

RULE_VERSION = 1
PRO_RATA_KINDS = {"quantity"}


@lru_cache(maxsize=8192)
def parsed(raw: str, year: int):
    """parse_value, remembered: a grid of 40 KPIs, or the demo's thousands of rows, parse each target once."""
    return parse_value(raw, year=year)


def expected_for_period(target_raw: str, kind: str, number, period, cumulative: bool,
                        profile: list | None = None) -> tuple[str, Decimal | None]:
    """What the year's target asks by the end of this period: counts pro rata (cumulative within the year) or
    by the agency's profile of cumulative shares; rates, deadlines and milestones as they are (a deadline is
    judged when due, a rate every period)."""
    if number is None or kind not in PRO_RATA_KINDS or period.count == 1 or cumulative:
        return target_raw, number
    if profile and len(profile) == period.count:
        share = Decimal(str(profile[period.seq - 1])) / 100
        how = f"{profile[period.seq - 1]:g}%"
    else:
        share = Decimal(period.seq) / Decimal(period.count)
        how = f"{period.seq}/{period.count}"
    expected = (Decimal(number) * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{format(expected.normalize(), 'f')}（{target_raw} × {how}）", expected


def assess(measurement, *, period) -> None:
    """Set expected_raw, achievement_rate, light, light_rule and raise_candidate on `measurement` (not saved)."""
    indicator = measurement.indicator
    city = indicator.goal.chapter.cycle.city
    thresholds = dict(city.light_thresholds)
    target = next((t for t in indicator.targets.all() if t.year == period.year), None)
    measurement.light_rule = {"version": RULE_VERSION, "thresholds": thresholds, "direction": indicator.direction}
    measurement.achievement_rate = None
    measurement.raise_candidate = False
    actual = parsed(measurement.actual_raw or "", period.year)
    measurement.actual_value, measurement.actual_unit = actual.number, actual.unit
    measurement.actual_kind, measurement.actual_date = actual.kind, getattr(actual, "deadline", None)
    if target is None or not target.raw:
        measurement.expected_raw, measurement.light = "", "white"
        return
    parsed_target = parsed(target.raw, period.year)
    expected_raw, expected_number = expected_for_period(target.raw, parsed_target.kind, parsed_target.number,
                                                        period, target.cumulative, indicator.period_profile)
    measurement.expected_raw = expected_raw
    from civicplan.targets import achievement

    result = achievement.assess(parsed_target, actual, indicator.direction, year=period.year, expected=expected_number,
                                period_end=period.ends_on, is_last_period=period.is_last, thresholds=thresholds)
    measurement.achievement_rate = result.rate
    measurement.light = result.light
    measurement.raise_candidate = result.raise_candidate
    measurement.light_rule["formula"] = result.formula
