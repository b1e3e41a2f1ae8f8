"""Every quirk and conversion artefact of the Taipei 107 strategy map (seeds-taipei.md §1.5, §1.6, §6) is read
correctly, or reported as an anomaly naming its lines. One test per quirk (Q-number of the seed analysis)."""

from collections import Counter

import pytest

from civicplan.importing.readers import read_file
from civicplan.importing.tables import taipei

SEED = "003_f78f01ac8dc70682.txt"


@pytest.fixture(scope="module")
def document(seeds_dir):
    return taipei.parse(read_file(seeds_dir / SEED))


@pytest.fixture(scope="module")
def kpi(document):
    """kpi(code, n=0) → the n-th KPI printed with that code (codes are not unique)."""
    table = {}
    for chapter in document.chapters:
        for goal in chapter.goals:
            for indicator in goal.indicators:
                table.setdefault(indicator.code, []).append((goal, indicator))
    return lambda code, n=0: table[code][n]


@pytest.fixture(scope="module")
def goal(document):
    table = {g.code: g for c in document.chapters for g in c.goals}
    return table.__getitem__


def anomalies(document, kind):
    return {tuple(a.source.lines): a.message for a in document.anomalies if a.kind == kind}


def theme(document, code):
    return next(c for c in document.chapters if c.theme.code == code)


def test_anomalies_found_by_kind(document):
    assert Counter(a.kind for a in document.anomalies) == {
        "code-mismatch": 5, "duplicate-indicator": 2, "broken-cell": 3, "shifted-row": 1, "broken-item": 2,
        "unterminated-item": 1, "suspect-space": 1, "count-basis": 1,
    }
    assert all(a.source.file == SEED and a.source.lines for a in document.anomalies)


def test_q1_last_line_without_newline_is_read(kpi):
    goal, indicator = kpi("TF6.1")
    assert (goal.code, indicator.name, indicator.source.lines) == ("TF5", "補助金額增長率", [628, 628])


def test_q2_headings_of_any_level_start_themes(document):
    assert theme(document, "C").source.lines[0] == 184 and theme(document, "D").source.lines[0] == 274


def test_q3_q33_common_chapter_without_ordinal_letter_count_or_priorities(document):
    common = theme(document, "T")
    assert common.theme.name == "共通性參考指標" and common.source.lines == [595, 628]
    assert common.stated_counts == {} and common.theme.priorities == []
    assert "內部流程" not in {g.perspective for g in common.goals}


def test_q4_count_sentences_are_read(document):
    stated = [theme(document, c).stated_counts.get("indicators") for c in "ABCDEFGH"]
    assert stated == [33, 46, 51, 25, 35, 35, 41, 40]
    assert not anomalies(document, "count-mismatch")


def test_q5_priorities_heading_with_extra_space(document):
    assert len(theme(document, "F").theme.priorities) == 14


def test_q6_q7_perspective_rows_without_tags_or_with_new(goal):
    found = [goal(c).perspective for c in ("FL1", "FL3", "FF1", "FF3", "HF1", "HF4")]
    assert found == ["學習成長"] * 2 + ["財務"] * 4
    assert all(goal(c).perspective == "學習成長" and "marked-new" in goal(c).flags for c in ("HL1", "HL4"))
    assert "marked-new" not in goal("HF1").flags


def test_q8_blank_lines_inside_tables_do_not_end_them(kpi, goal):
    assert kpi("BP6.9")[0].code == "BP6" and kpi("GP5.2")[0].code == "GP5"
    assert goal("HL4").source.lines == [566, 566] and kpi("FL1.1")[0].perspective == "學習成長"


def test_q9_objective_code_glued_to_name(goal):
    assert [goal(c).name for c in ("AC1", "AC3", "AP5")] == ["提升市民對環境滿意度", "建構低碳城市", "打造海綿城市"]


def test_q10_objective_name_broken_by_a_page_break(document, goal):
    assert (goal("AF1").name, goal("AF1").source.lines) == ("覈實編列年度預算", [69, 71])
    assert "AF1" in anomalies(document, "broken-cell")[(69, 71)]
    assert len(theme(document, "A").goals) == 15


def test_q11_kpi_name_broken_by_a_page_break(document, kpi):
    _, indicator = kpi("CP5.4")
    assert (indicator.name, indicator.source.lines) == ("台北市參與國際城市展演活動場次", [218, 220])
    assert "CP5.4" in anomalies(document, "broken-cell")[(218, 220)]


def test_q12_shifted_kpi_row_with_its_tail_in_another_column(document, kpi):
    goal, indicator = kpi("EP5.3")
    assert (goal.code, indicator.name, [o.agency for o in indicator.owners]) == (
        "EP5", "無障礙交通設施與人本通行環境之推動", ["交通局"])
    assert "shifted" in indicator.flags and indicator.source.lines == [353, 355]
    assert "EP5.3" in anomalies(document, "shifted-row")[(353, 353)]
    assert "EP5.3" in anomalies(document, "broken-cell")[(353, 355)]
    assert [g.code for g in theme(document, "E").goals].count("EP5") == 1


@pytest.mark.parametrize("code, owners, lines", [
    ("BC4.1", ["交通局", "捷運公司"], [107, 108]),
    ("BC4.2", ["交通局", "捷運公司"], [109, 110]),
    ("CC1.1", ["民政局", "文化局", "客委會", "原民會", "捷運公司"], [190, 194]),
    ("CP6.1", ["民政局", "原民會", "客委會"], [221, 223]),
    ("EP5.1", ["交通局", "社會局"], [350, 351]),
    ("FP8.1", ["民政局", "原民會", "客委會"], [407, 408]),  # Q13 + Q14 mixed
    ("EP1.3", ["民政局", "社會局"], [339, 339]),  # Q14: spaces in one cell
    ("EP5.2", ["交通局", "社會局"], [352, 352]),
    ("EL3.1", ["社會局", "都發局", "衛生局", "勞動局", "交通局"], [360, 360]),
    ("EF1.1", ["社會局", "都發局", "衛生局", "勞動局"], [362, 362]),
    ("HL4.1", ["研考會", "公訓處"], [566, 566]),
    ("GP5.1", ["衛生局", "社會局"], [481, 481]),  # Q15: 衛生局(社會局)
])
def test_q13_q14_q15_several_owners(kpi, code, owners, lines):
    _, indicator = kpi(code)
    assert [o.agency for o in indicator.owners] == owners and indicator.source.lines == lines
    assert [o.role for o in indicator.owners] == ["lead"] + ["co"] * (len(owners) - 1)


def test_q16_wccd_marker_is_a_kpi_flag_on_its_lines(document):
    lines = sorted(i.source.lines[0] for i in document.indicators() if i.wccd)
    assert lines == [44, 53, 125, 127, 132, 133, 134, 135, 136, 393, 455, 456, 459, 488, 555]


def test_q17_q18_owners_kept_as_printed(kpi):
    assert [o.agency for o in kpi("BF4.1")[1].owners] == ["本組成員機關"]
    assert "placeholder-owner" in kpi("FL1.1")[1].flags and kpi("HF4.2")[1].owners[0].agency == "分組各機關"
    assert kpi("AP4.1")[1].owners[0].agency == "翡翠局" and kpi("BC1.3")[1].owners[0].agency == "翡管局"


@pytest.mark.parametrize("line, code, parent, expected", [
    (143, "TL2.1", "BL3", "BL3.1"), (414, "FL3.1", "FL1", "FL1.3"), (626, "TF5.1", "TF4", "TF4.1"),
    (627, "TF5.2", "TF4", "TF4.2"), (628, "TF6.1", "TF5", "TF5.1"),
])
def test_q19_kpi_codes_not_matching_their_parent(document, kpi, line, code, parent, expected):
    goal, indicator = kpi(code)
    assert goal.code == parent and "code-mismatch" in indicator.flags
    message = anomalies(document, "code-mismatch")[(line, line)]
    assert code in message and parent in message and expected in message


def test_q19_only_tl21_names_another_theme(document):
    other = [m for m in anomalies(document, "code-mismatch").values() if "another theme" in m]
    assert len(other) == 1 and "TL2.1" in other[0]


def test_q20_duplicate_kpi_codes(document, kpi):
    found = anomalies(document, "duplicate-indicator")
    assert set(found) == {(143, 611), (414, 416)}
    assert "TL2.1" in found[(143, 611)] and "FL3.1" in found[(414, 416)]
    assert kpi("FL3.1", 1)[0].code == "FL3" and kpi("TL2.1", 1)[1].name == "政策行銷班期執行率"


def test_q21_q22_markup_removed(document, kpi):
    assert kpi("AC2.1")[1].name == "細懸浮微粒(PM2.5)年平均濃度"
    assert kpi("AC2.2")[1].name == "臭氧(O3年平均濃度)"  # the misplaced parenthesis is the book's
    texts = [i.name for c in document.chapters for g in c.goals for i in g.indicators]
    texts += [p for c in document.chapters for p in c.theme.priorities] + [g.name for c in document.chapters
                                                                          for g in c.goals]
    assert not [t for t in texts if "<" in t or "\\" in t]


@pytest.mark.parametrize("code, name", [
    ("CP8.2", "本市參加全國運動會金牌數佔總金牌數百分比"), ("CP8.3", "設置運動傷害防護站數(含防護室及物理治療所)"),
    ("CP8.4", "運動中心及運動傷害防護站服務人次"), ("CL1.2", "專業職能訓練完成率(多元文化敏感度研習課程)"),
    ("CL1.3", "專業職能訓練完成率(宗教團體會計研習課程)"), ("CL1.4", "專業職能訓練完成率(香枝紙錢減量及集中燒研習課程)"),
    ("CL1.5", "生態博物園區文史知識及發展共識相關教育訓練"), ("CL1.7", "臺北城內外文史知識之業務相關教育訓練"),
    ("CL1.8", "專業職能訓練完成率(新移民生活適應等相關課程)"),
    ("CL3.1", "提升創新學習效能／凱達格蘭文化館研習空間使用次數"),
    ("CL3.2", "提升創新學習效能／非原住民民眾文化參與人數比率"), ("CL4.2", "達成行政院規定必須完成課程學習時數比率"),
    ("CL4.3", "定期檢視客家文化主題公園整體滿意度調查"), ("CF3.2", "本市 3 大生態博物園區相關預算執行率"),
    # legitimate spaces next to Latin letters or digits stay
    ("BC1.1", "2050 願景計畫進度"), ("HL3.1", "SOP 定期檢視完成度"), ("CL1.1", "員工訓練 20 小時以上比率"),
    ("EP6.1", "運用 TIPVDA 量表對家暴個案進行危險評估之填答率"), ("FC3.1", "臺北 e 大會員人數成長"),
    ("GP2.5", "預防接種涵蓋率：68-74 歲長者肺炎鏈球菌疫苗接種率"), ("HP4.1", "i-Voting 民眾提案完成附議件數"),
    ("HP4.2", "提升單一陳情系統「HELLO TAIPEI」知曉度"),
])
def test_q23_pdf_spaces_between_chinese_characters_removed(kpi, code, name):
    assert kpi(code)[1].name == name


def test_q24_notes_in_names_kept_and_printed_target_read(document, kpi):
    _, indicator = kpi("CP8.1")
    assert indicator.name.endswith("預計 107 年起選手將仍以 7,800 人為目標值)")
    assert [(t.year, t.raw) for t in indicator.targets] == [(107, "7,800 人")]
    assert "target-in-name" in indicator.flags
    assert kpi("DP3.1")[1].name == "科技園區廠商家數成長率(兩年一次)" and not kpi("DP3.1")[1].targets
    assert sum(len(i.targets) for i in document.indicators()) == 1


def test_q25_q26_names_with_enumeration_comma_are_one_kpi(kpi):
    assert kpi("CC4.1")[1].name == "舉辦國際運動賽事、城市盃國際運動賽事次數"
    assert kpi("CP3.1")[0].code == "CP3" and kpi("CF1.1")[1].name == kpi("CF1.1")[0].name == "致力開闢財源"


def test_q27_last_priority_without_bullet(document):
    for code, count, start in (("A", 14, "強化防洪減淤"), ("C", 14, "強化競技運動實力"), ("G", 20, "強化社區生命之鏈")):
        points = theme(document, code).theme.priorities
        assert len(points) == count and points[-1].startswith(start)


def test_q28_priorities_broken_by_a_page_break(document):
    assert "作為都市變遷與自然環境監測之利器" in theme(document, "B").theme.priorities[11]
    assert "小田園教育、禁用一次性" in theme(document, "F").theme.priorities[4]
    assert set(anomalies(document, "broken-item")) == {(169, 171), (430, 432)}


def test_q29_whitespace_only_lines_are_blank(document):
    assert theme(document, "F").theme.priorities[12].startswith("優化運動場館")
    assert theme(document, "F").theme.priorities[13].startswith("由公務人員訓練處")


def test_q30_priority_text_quirks_reported(document):
    assert set(anomalies(document, "unterminated-item")) == {(370, 370)}
    assert set(anomalies(document, "suspect-space")) == {(371, 371)}


def test_q31_table_1_counts_per_theme(document):
    stated = [theme(document, c).stated_counts["table_goals"] for c in "ABCDEFGH"]
    assert stated == [15, 18, 19, 16, 16, 18, 17, 20]
    assert not anomalies(document, "table-mismatch")


def test_q32_preface_totals_counted_on_two_bases(document):
    message = anomalies(document, "count-basis")[(9, 9)]
    assert "139" in message and "334" in message


def test_q34_variant_characters_kept_as_printed(kpi):
    assert kpi("BC2.3")[1].name == "台北卡服務達成率" and kpi("BP1.3")[1].name == "大數據資料分析平臺應用數"


def test_q35_plan_year_from_the_prose(document):
    assert document.period == {"start": 107, "end": 107} and document.title == ""
