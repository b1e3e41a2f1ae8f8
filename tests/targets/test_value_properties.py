"""Properties of parse_value / format_value over any text and over generated target-like text."""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from civicplan.targets.units import KNOWN_UNITS
from civicplan.targets.values import KINDS, format_value, parse_value

PIECES = list("0123456789,.%萬千億十百一二兩三四五年月日底前後/-()（）≧≦≥≤<>= 件次人每至少以上下累積完成未AB℃㎡﹪％　")
years = st.none() | st.integers(min_value=-5, max_value=1200)

numbers = st.one_of(
    st.integers(min_value=0, max_value=10**7).map(str),
    st.integers(min_value=1000, max_value=10**9).map(lambda n: f"{n:,}"),
    st.decimals(min_value=0, max_value=10**5, places=3, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["一", "二", "兩", "十", "十二", "一百", "三千", "一萬", "〇"]),
)
target_like = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(["", "每年", "一年", "每季", "累計", "每年至少", "至少", "不超過"]),
    st.sampled_from(["", "≧", "≦", "<", ">", "=", ">=", "-", "+"]),
    numbers,
    st.sampled_from(["", "萬", " 萬", "千", "億", "萬6千", "萬5,000"]),
    st.sampled_from(["", " "]) ,
    st.sampled_from(sorted(KNOWN_UNITS) + ["", "ABC", "m2", "°C", "人 次", "一般"]),
    st.sampled_from(["", "以上", "以下", "/年", "/月"]),
    st.sampled_from(["", "(累積)", "(因疫情影響)", " (因疫情停辦)", "(累積)(註)", "(a)(b)", "("]),
)
dates = st.builds(
    lambda y, m, d, style, tail: {
        0: f"{m}/{d}", 1: f"{y}/{m:02d}/{d:02d}", 2: f"{y}年{m}月{d}日", 3: f"{m}月底", 4: f"{y}年底"}[style] + tail,
    st.integers(min_value=0, max_value=3000), st.integers(min_value=0, max_value=13),
    st.integers(min_value=0, max_value=32), st.integers(min_value=0, max_value=4),
    st.sampled_from(["", "前", "以前", "前完成", "完成", "前公告實施", "(延後)", "前 1"]),
)
anything = st.one_of(st.text(), st.text(alphabet=st.sampled_from(PIECES), max_size=14), target_like, dates,
                     st.lists(target_like, min_size=2, max_size=3).map(" ".join),
                     st.sampled_from(["依限完成", "未完成", "完成(x)", "-館", "- %", "6A 84B 45C", "美術館籌備中"]))


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(anything, years)
@example("≥\u0338", None)  # NFKC composes ≥ with a combining mark once the comparator is folded
@example("2/29", 110)  # a date that does not exist in the year given
def test_parsing_never_raises_and_gives_a_known_kind(raw, year):
    parsed = parse_value(raw, year=year)
    assert parsed.kind in KINDS and parsed.kind != "milestone"
    assert parsed.raw == raw
    assert (parsed.number is None) == (parsed.kind not in ("quantity", "percent"))


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(anything, years)
@example("一千零五件", None)
@example("1萬 千", None)
@example("3月底前前", None)
def test_format_then_parse_gives_the_same_value(raw, year):
    parsed = parse_value(raw, year=year)
    text = format_value(parsed)
    assert parse_value(text) == parsed, text
    assert format_value(parse_value(text)) == text, "the canonical text is stable"
