from datetime import date
from decimal import Decimal

import pytest

from civicplan.targets.values import ParsedValue, classify_series, format_value, parse_value


def _read(raw, **kw):
    p = parse_value(raw, **kw)
    return p.kind, p.comparator, p.number, p.unit


@pytest.mark.parametrize("raw, expected", [
    ("350件", ("quantity", "", Decimal(350), "件")),
    (" 350 件 ", ("quantity", "", Decimal(350), "件")),
    ("1800 人次", ("quantity", "", Decimal(1800), "人次")),
    ("1000人 次", ("quantity", "", Decimal(1000), "人次")),  # a line break inside the unit
    ("13,000筆", ("quantity", "", Decimal(13000), "筆")),
    ("50,000 筆", ("quantity", "", Decimal(50000), "筆")),
    ("4.15次", ("quantity", "", Decimal("4.15"), "次")),
    ("0.812", ("quantity", "", Decimal("0.812"), "")),
    ("11個子系統", ("quantity", "", Decimal(11), "個子系統")),
    ("70000平方公尺", ("quantity", "", Decimal(70000), "平方公尺")),
    ("99.7%", ("percent", "", Decimal("99.7"), "%")),
    ("１５０％", ("percent", "", Decimal(150), "%")),
    ("100﹪", ("percent", "", Decimal(100), "%")),
    ("0%", ("percent", "", Decimal(0), "%")),
    ("-5%", ("percent", "", Decimal(-5), "%")),
    ("≧1200", ("quantity", "≥", Decimal(1200), "")),
    ("≧1,200", ("quantity", "≥", Decimal(1200), "")),
    ("≦5%", ("percent", "≤", Decimal(5), "%")),
    ("≦8.5", ("quantity", "≤", Decimal("8.5"), "")),
    ("≧76%", ("percent", "≥", Decimal(76), "%")),
    ("≧30臺", ("quantity", "≥", Decimal(30), "臺")),
    ("<10分鐘", ("quantity", "<", Decimal(10), "分鐘")),
    ("10件以上", ("quantity", "≥", Decimal(10), "件")),
    ("4場以上", ("quantity", "≥", Decimal(4), "場")),
    ("每年至少3項", ("quantity", "≥", Decimal(3), "項")),
    ("每年一次", ("quantity", "", Decimal(1), "次")),
    ("一年二次", ("quantity", "", Decimal(2), "次")),
    ("3次/年", ("quantity", "", Decimal(3), "次")),
    ("十二場", ("quantity", "", Decimal(12), "場")),
])
def test_numbers_with_units_comparators_and_frequencies(raw, expected):
    assert _read(raw) == expected


@pytest.mark.parametrize("raw, number, multiplier, unit", [
    ("28萬", 280000, 10000, ""),
    ("28 萬", 280000, 10000, ""),
    ("1.5千", 1500, 1000, ""),
    ("2700 萬元", 27000000, 10000, "元"),
    ("8.5 萬人次", 85000, 10000, "人次"),
    ("1萬6千件", 16000, 10000, "件"),
    ("2萬8千件", 28000, 10000, "件"),
    ("4萬5,000人次", 45000, 10000, "人次"),
    ("≧2,000萬筆", 20000000, 10000, "筆"),
    ("150萬", 1500000, 10000, ""),
])
def test_multipliers_are_applied_and_remembered(raw, number, multiplier, unit):
    parsed = parse_value(raw)
    assert (parsed.number, parsed.multiplier, parsed.unit) == (Decimal(number), multiplier, unit)


def test_frequencies_say_per_what():
    assert parse_value("每年至少3項").per == "年"
    assert parse_value("一年二次").per == "年"
    assert parse_value("每季1次").per == "季"
    assert parse_value("350件").per == ""


@pytest.mark.parametrize("raw, year, expected", [
    ("7/31", 110, date(2021, 7, 31)),
    ("7/28", 111, date(2022, 7, 28)),
    ("109年4月30日前", None, date(2020, 4, 30)),
    ("109年4月30日前", 111, date(2020, 4, 30)),  # the printed year wins
    ("3月底", 110, date(2021, 3, 31)),
    ("2月底", 109, date(2020, 2, 29)),
    ("每年12月底前完成", 112, date(2023, 12, 31)),
    ("110/07/20", None, date(2021, 7, 20)),
    ("110年7月20日完成", None, date(2021, 7, 20)),
    ("110年底", None, date(2021, 12, 31)),
    ("十二月底前", 110, date(2021, 12, 31)),
])
def test_deadlines_in_roc_years(raw, year, expected):
    parsed = parse_value(raw, year=year)
    assert (parsed.kind, parsed.comparator, parsed.deadline) == ("deadline", "≤", expected)


def test_a_deadline_without_a_year_keeps_month_and_day():
    parsed = parse_value("7/31")
    assert (parsed.kind, parsed.deadline, parsed.month, parsed.day) == ("deadline", None, 7, 31)
    assert parse_value("3月底").day is None, "底: the last day of the month, known once the year is"


def test_a_deadline_keeps_what_is_to_be_done_as_a_note():
    parsed = parse_value("109年4月30日前公告實施")
    assert (parsed.deadline, parsed.note) == (date(2020, 4, 30), "公告實施")


@pytest.mark.parametrize("raw", ["", "-", "--", "---", "- -", "N/A", "無", None])
def test_no_target(raw):
    assert parse_value(raw).kind == "none"


def test_not_applicable_keeps_its_unit():
    assert (parse_value("-%").kind, parse_value("-%").unit) == ("none", "%")
    assert (parse_value("-館").kind, parse_value("-館").unit) == ("none", "館")


def test_done_or_not():
    assert (parse_value("依限完成").kind, parse_value("依限完成").done) == ("done", True)
    assert (parse_value("未完成").kind, parse_value("未完成").done) == ("done", False)


def test_composites_and_notes_are_kept_for_a_person():
    composite = parse_value("6A 84B 45C")
    assert composite.kind == "composite" and composite.needs_judgement
    assert [(p.number, p.unit) for p in composite.parts] == [(6, "A"), (84, "B"), (45, "C")]
    noted = parse_value("45,000人次(因疫情影響)")
    assert (noted.kind, noted.number, noted.unit, noted.note) == ("quantity", 45000, "人次", "因疫情影響")
    assert noted.needs_judgement
    status = parse_value("美術館籌備中")
    assert (status.kind, status.note, status.raw) == ("text", "美術館籌備中", "美術館籌備中")


def test_cumulative_marks():
    assert parse_value("5MW(累積)").cumulative and parse_value("5MW(累積)").unit == "MW"
    assert parse_value("累計100件").cumulative


@pytest.mark.parametrize("raw", ["一般民眾", "美術館籌備中", "萬", "7/31 7/30", "1,00件", "abc"])
def test_words_that_only_look_like_numbers_stay_text(raw):
    assert parse_value(raw).kind == "text"


def test_values_the_database_cannot_hold_stay_text():
    assert parse_value("0.123456").kind == "text"  # Target.value keeps 4 decimal places
    assert parse_value("1" * 17).kind == "text"


def test_the_raw_text_is_kept_but_not_compared():
    assert parse_value(" 350 件 ").raw == " 350 件 "
    assert parse_value(" 350 件 ") == parse_value("350件")


@pytest.mark.parametrize("raw, canonical", [
    ("28 萬", "28萬"), ("每年至少3項", "每年≥3項"), ("一年二次", "每年2次"), ("10件以上", "≥10件"),
    ("-", "-"), ("-%", "-%"), ("依限完成", "完成"), ("6A 84B 45C", "6A 84B 45C"), ("3月底", "3月底前"),
    ("5MW(累積)", "5MW(累積)"), ("45,000人次(因疫情影響)", "45000人次(因疫情影響)"),
])
def test_canonical_text(raw, canonical):
    assert format_value(parse_value(raw)) == canonical
    assert str(parse_value(raw)) == canonical


def test_canonical_text_carries_the_year_of_a_deadline():
    assert format_value(parse_value("7/31", year=110)) == "110年7月31日前"


def test_the_fields_plans_services_reads_are_kept():
    parsed = parse_value("≧1,200件")
    assert isinstance(parsed, ParsedValue)
    assert (parsed.kind, parsed.number, parsed.unit, parsed.comparator) == ("quantity", 1200, "件", "≥")


@pytest.mark.parametrize("raws, kind", [
    (["10%", "40%", "70%", "100%"], "milestone"),
    (["-", "25%", "70%", "100%"], "milestone"),
    (["60%", "80%", "100%", "100%"], "milestone"),
    (["100%", "100%", "100%", "100%"], "percent"),
    (["100%", "0%", "0%", "0%"], "percent"),
    (["0%", "1%", "36.5%", "95%"], "percent"),  # progress that does not reach 100% in the plan
    (["500", "550", "600", "650"], "quantity"),
    (["7/31", "7/30", "7/29", "7/28"], "deadline"),
    (["-", "-", "-", "-"], "none"),
    ([], "none"),
])
def test_classify_series(raws, kind):
    assert classify_series(raws) == kind
