from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from civicplan.targets.values import parse_value


def test_printed_forms():
    assert parse_value("350件") == parse_value(" 350 件 ")
    assert (parse_value("350件").kind, parse_value("350件").number, parse_value("350件").unit) == (
        "quantity", Decimal(350), "件")
    assert parse_value("≧1,200").comparator == "≥" and parse_value("≧1,200").number == Decimal(1200)
    assert parse_value("99.7%").kind == "percent" and parse_value("99.7%").number == Decimal("99.7")
    assert parse_value("28萬").number == Decimal(280000)
    assert parse_value("１５０％").kind == "percent", "full-width digits and ％ are folded (NFKC)"
    for blank in ("", "-", "--", None):
        assert parse_value(blank).kind == "none"
    assert parse_value("6A 84B 45C").kind == "text"
    assert parse_value("109年4月30日前").kind == "text"


@given(st.text())
def test_parsing_never_raises(raw):
    assert parse_value(raw).kind in {"quantity", "percent", "text", "none"}
