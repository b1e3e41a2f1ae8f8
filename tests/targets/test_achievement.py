from datetime import date
from decimal import Decimal

import pytest

from civicplan.targets.achievement import achievement_rate, assess, light, raise_candidate
from civicplan.targets.values import parse_value


def test_count_below_target():
    assert achievement_rate("350件", "300件", "higher") == Decimal("85.7")


def test_days_taken_lower_is_better():
    """公文結案天數: target 2 days, 2.5 days taken → 2 ÷ 2.5 = 80 %."""
    assert achievement_rate("2天", "2.5天", "lower") == Decimal("80.0")
    assert achievement_rate("2天", "1.6天", "lower") == Decimal("125.0")


def test_cumulative_progress_against_the_years_target():
    assert achievement_rate("40%", "30%", "milestone", cumulative=True) == Decimal("75.0")
    assert achievement_rate("40%", ["10%", "20%", "30%"], "milestone", cumulative=True) == Decimal("75.0"), \
        "period reports of a cumulative progress: the latest counts"


def test_progress_measured_from_a_baseline():
    assert achievement_rate("40%", "30%", "milestone", baseline=10) == Decimal("66.7")


def test_deadline_met_early_or_late():
    assert achievement_rate("7/31", "110/07/20", "deadline", year=110) == Decimal(100)
    assert achievement_rate("7/31", "110/07/31", "deadline", year=110) == Decimal(100)
    assert achievement_rate("7/31", "110/08/15", "deadline", year=110) == Decimal(0)
    assert achievement_rate("7/31", date(2021, 7, 1), "deadline", year=110) == Decimal(100)
    assert achievement_rate("7/31", "7/20", "deadline", year=110) == Decimal(100), "the actual takes the year"


def test_deadline_not_done_is_white_until_due_then_red():
    target = parse_value("7/31", year=110)
    before = assess(target, None, "deadline", period_end=date(2021, 6, 30), is_last_period=False)
    assert (before.rate, before.light, before.formula) == (None, "white", "not-due")
    after = assess(target, "未完成", "deadline", period_end=date(2021, 8, 31))
    assert (after.rate, after.light, after.met) == (Decimal(0), "red", False)
    done = assess(target, "完成", "deadline", period_end=date(2021, 6, 30))
    assert (done.rate, done.light) == (Decimal(100), "green")


def test_at_least_three_items_a_year():
    assert achievement_rate("每年至少3項", "3項", "higher") == Decimal(100)
    assert achievement_rate("每年至少3項", 2, "higher") == Decimal("66.7")


def test_zero_targets():
    """0 % growth, zero deaths: 0 → 100 %, anything above → 0 %."""
    assert achievement_rate("0人", "0人", "lower") == Decimal(100)
    assert achievement_rate("0人", "1人", "lower") == Decimal(0)
    assert achievement_rate("0%", "0%", "lower") == Decimal(100)
    assert achievement_rate("0%", "-2%", "lower") == Decimal(100)
    assert achievement_rate("0%", "3%", "lower") == Decimal(0)
    assert achievement_rate("0件", "4件", "higher") == Decimal(100), "higher is better: any actual ≥ 0 meets 0"
    assert assess("0人", "0人", "lower").raise_candidate is False


def test_lower_is_better_with_an_actual_of_zero():
    result = assess("7日", "0日", "lower")
    assert (result.rate, result.raise_candidate, result.formula) == (Decimal(200), True, "lower-zero-actual")


def test_exact_values():
    assert achievement_rate("100", "100", "exact") == Decimal(100)
    assert achievement_rate("100", "90", "exact") == Decimal(90)
    assert achievement_rate("100", "110", "exact") == Decimal(90)
    assert achievement_rate("100", "300", "exact") == Decimal(0)
    assert achievement_rate("=0", "0", "higher") == Decimal(100), "a printed = makes it exact"


def test_printed_comparators_decide_the_direction():
    assert achievement_rate("≦5%", "4%", "higher") == Decimal(125)
    assert achievement_rate("≧1200", "1300", "lower") == Decimal("108.3")
    assert assess("<10分鐘", "10分鐘").met is False
    assert assess("<10分鐘", "9分鐘").met is True


def test_over_achievement_keeps_the_real_rate_and_flags_it():
    result = assess("20件", "197件", "higher")
    assert result.rate == Decimal(985) and result.raise_candidate and result.light == "green"
    assert not assess("20件", "23件").raise_candidate
    assert raise_candidate(Decimal(120)) and not raise_candidate(Decimal("119.9"))
    assert not raise_candidate(None)


def test_multipliers_and_unit_variants_compare():
    assert achievement_rate("28萬", "280,000", "higher") == Decimal(100)
    assert achievement_rate("≧30臺", "30台") == Decimal(100)
    assert achievement_rate("7日", "7天", "lower") == Decimal(100)
    assert assess("350件", "300人").formula == "unit-mismatch"


def test_period_counts_are_summed_unless_cumulative():
    assert achievement_rate("350件", ["100件", "80件", "120件"]) == Decimal("85.7")
    assert achievement_rate("350件", ["100件", "180件", "300件"], cumulative=True) == Decimal("85.7")


def test_expected_by_this_period_replaces_the_years_target():
    assert achievement_rate(parse_value("350件"), parse_value("175件"), "higher", expected=Decimal(175)) == 100


def test_done_targets():
    assert achievement_rate("依限完成", "完成") == Decimal(100)
    assert achievement_rate("依限完成", True) == Decimal(100)
    assert achievement_rate("依限完成", "未完成") == Decimal(0)
    assert assess("依限完成", "未完成", is_last_period=False).light == "white"
    assert achievement_rate("100%", "完成") == Decimal(100), "a 100 % completion target is met by 完成"


@pytest.mark.parametrize("target, actual, formula", [
    ("-", "3件", "no-target"), ("", "", "no-target"), ("350件", "", "no-data"), ("350件", None, "no-data"),
    ("6A 84B 45C", "6A 80B 40C", "by-hand"), ("美術館籌備中", "開館", "by-hand"), ("7/31", "110/07/20", "no-year"),
])
def test_nothing_to_compute_is_white(target, actual, formula):
    result = assess(target, actual)
    assert (result.rate, result.light, result.formula) == (None, "white", formula)
    assert result.explanation


@pytest.mark.parametrize("rate, expected", [
    (Decimal(100), "green"), (Decimal(985), "green"), (Decimal("99.9"), "yellow"), (Decimal(80), "yellow"),
    (Decimal("79.9"), "red"), (Decimal(0), "red"), (None, "white"),
])
def test_light_with_the_default_thresholds(rate, expected):
    assert light(rate, {"green": 100, "yellow": 80}) == expected


def test_light_thresholds_are_data():
    assert light(Decimal(85), {"green": 90, "yellow": 70}) == "yellow"
    assert light(Decimal(85), {"green": 80, "yellow": 60}) == "green"
    assert light(Decimal(85), {"green": 100, "yellow": 80}, due=False) == "white"
    assert light(85.0, {"green": "100", "yellow": "80"}) == "yellow"


def test_the_result_carries_light_and_formula_for_the_tracking_record():
    result = assess(parse_value("350件"), parse_value("300件"), "higher",
                    thresholds={"green": 100, "yellow": 80},
                    period_end=date(2021, 12, 31), is_last_period=True)
    assert (result.rate, result.light, result.raise_candidate, result.formula) == (
        Decimal("85.7"), "yellow", False, "higher")
