"""The Chiayi cell rebuilding on small invented tables (no seed text): the cues one at a time."""

from civicplan.importing.document import Line
from civicplan.importing.tables.chiayi_cells import Piece
from civicplan.importing.tables.chiayi_runs import group
from civicplan.importing.tables.chiayi_checks import value_key
from civicplan.importing.tables.chiayi_revisions import _unit_matcher
from civicplan.importing.tables.chiayi_table import read_kpi_table
from civicplan.importing.tables.chiayi_text import clean_raw, clean_text

YEARS = [108, 109, 110, 111]


def lines(*texts, start=1):
    """Printed lines, each followed by a blank line as in the converted books; `texts` keep their trailing spaces."""
    out = []
    number = start
    for text in texts:
        out.append(Line(number=number, text=text))
        out.append(Line(number=number + 1, text=""))
        number += 2
    return out


def table(*texts):
    goals, anomalies = read_kpi_table(lines(*texts), YEARS, "t.txt", "測試處")
    return goals, anomalies


def test_soft_wraps_join_and_trailing_spaces_close_cells():
    goals, anomalies = table("一 ", "推動甲乙", "丙丁計畫 ", "提升甲乙丙", "丁之比率 ", "完成件數/預定", "件數×100% ",
                             "80% 85% 90% 95% ")
    assert not anomalies
    [g] = goals
    assert g.name == "推動甲乙丙丁計畫" and g.source.lines == [1, 5]
    [kpi] = g.indicators
    assert (kpi.name, kpi.standard) == ("提升甲乙丙丁之比率", "完成件數/預定件數×100%")
    assert [t.raw for t in kpi.targets] == ["80%", "85%", "90%", "95%"]
    assert kpi.source.lines == [7, 15]


def test_a_row_on_one_line_is_split_at_spaces_between_words():
    goals, _ = table("一 ", "推動甲乙計畫 ", "1 辦理甲乙活動 參加人數 10 20 30 40 ", "2 辦理丙丁講座 場次 1 1 2 2 ")
    assert [(i.label, i.name, i.standard, [t.raw for t in i.targets]) for i in goals[0].indicators] == [
        ("1", "辦理甲乙活動", "參加人數", ["10", "20", "30", "40"]),
        ("2", "辦理丙丁講座", "場次", ["1", "1", "2", "2"]),
    ]


def test_values_wrapped_over_lines_and_split_numbers():
    goals, _ = table("一 ", "推動甲乙計畫 ", "提升甲乙 ", "累計件數 ", "≧", "12,00", "0件 ", "≧", "15,000", "件 ",
                     "2萬", "件 ", "1570 ", "公里 ")
    assert [t.raw for t in goals[0].indicators[0].targets] == ["≧12,000件", "≧15,000件", "2萬件", "1570公里"]


def test_repeated_short_text_is_a_target_per_year():
    goals, _ = table("一 ", "推動甲乙計畫 ", "1 ", "辦理甲乙 ", "依期程辦理 ", "依限 ", "完成 ", "依限 ", "完成 ",
                     "依限 ", "完成 ", "依限 ", "完成 ", "2 ", "辦理丙丁 ", "完成率 ", "90% 90% 90% 90% ")
    first, second = goals[0].indicators
    assert [t.raw for t in first.targets] == ["依限完成"] * 4
    assert (second.label, second.name) == ("2", "辦理丙丁")


def test_a_number_glued_to_text_is_not_a_kpi_number_or_a_value():
    goals, _ = table("一 ", "推動甲乙計畫 ", "1 ", "辦理甲乙 ", "1 個工作天完成", "修護率 90% 90% 90% 90% ")
    [kpi] = goals[0].indicators
    assert (kpi.label, kpi.standard) == ("1", "1個工作天完成修護率")


def test_goal_text_after_a_kpi_row_continues_the_goal():
    goals, _ = table("一 ", "推動甲乙", "1 ", "辦理甲乙 ", "件數 ", "1 1 1 1 ", " 計畫 ", "2 ", "辦理丙丁 ", "件數 ",
                     "2 2 2 2 ")
    assert goals[0].name == "推動甲乙計畫" and "continued" in goals[0].flags
    assert [i.label for i in goals[0].indicators] == ["1", "2"]


def test_a_single_cell_without_number_is_a_second_measure_of_the_kpi_above():
    goals, _ = table("一 ", "推動甲乙計畫 ", "提升甲乙普及 ", "建置長度(公尺) ", "100 200 300 400 ",
                     "普及率 1% 2% 3% 4% ")
    first, second = goals[0].indicators
    assert first.name == second.name == "提升甲乙普及"
    assert (second.standard, second.flags) == ("普及率", ["second-measure"])


def test_blank_leading_cells_are_reported():
    goals, anomalies = table("一 ", "推動甲乙計畫 ", "提升甲乙 ", "則數   20 20 ")
    [kpi] = goals[0].indicators
    assert [(t.year, t.raw) for t in kpi.targets] == [(110, "20"), (111, "20")]
    assert [a.kind for a in anomalies] == ["blank-cells"]


def test_group_merges_where_the_line_above_fills_the_column():
    full = Piece([(1, "甲乙丙丁戊己")])
    rest = Piece([(3, "庚辛壬癸子丑"), (5, "寅卯")])
    kpi = Piece([(7, "辰巳午未")])
    measure = Piece([(9, "申酉戌亥甲乙丙丁"), (11, "戊己")])
    merged, cost = group([full, rest, kpi, measure], 3)
    assert [m.text() for m in merged] == ["甲乙丙丁戊己庚辛壬癸子丑寅卯", "辰巳午未", "申酉戌亥甲乙丙丁戊己"]
    assert cost == 0


def test_group_never_ends_a_cell_inside_an_open_bracket():
    opened = Piece([(1, "加強宣導「甲")])
    closed = Piece([(3, "乙規範」等"), (5, "規定")])
    kpi = Piece([(7, "督同所屬加強宣導甲乙丙丁"), (9, "戊己庚辛壬癸子丑寅卯")])
    measure = Piece([(11, "年度辦理次數")])
    merged, _ = group([opened, closed, kpi, measure], 3)
    assert merged[0].text() == "加強宣導「甲乙規範」等規定"


def test_text_cleaning():
    assert clean_text(["色 宗 教 節 慶", "活動 "]) == "色宗教節慶活動"
    assert clean_text(["資訊安全 ISO 27001", "國際認證"]) == "資訊安全ISO 27001國際認證"
    assert clean_text(["量 ) x 1 0 0 ﹪"]) == "量)x100%"
    assert clean_text(["\ufa08政"]) == "行政"  # a compatibility ideograph
    assert clean_text(["本府配合A提供"]) == "本府配合提供"  # the marker of a lost EQ field
    assert clean_raw(["10 場 以", "上"]) == "10場以上"
    assert clean_raw(["90％"]) == "90％"  # a raw target keeps its printed sign


def test_agency_cells_and_their_abbreviations():
    match = _unit_matcher(["民政處", "智慧科技處", "財政稅務局"])
    assert match("民") == (None, True)
    assert match("民政處") == ("民政處", True)
    assert match("智科處") == ("智慧科技處", True)
    assert match("科") == (None, False)


def test_target_values_compare_by_meaning_not_notation():
    assert value_key("4萬5,000人次") == value_key("45,000人次(因疫情影響)")
    assert value_key("2萬8千件") == value_key("28,000件")
    assert value_key("30") == value_key("30%")
    assert value_key("--") == value_key("---")
    assert value_key("≧1200") != value_key("1200")
    assert value_key("36.5%") != value_key("35.5%")
