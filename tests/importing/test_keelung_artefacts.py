"""Every conversion artefact listed in /work/shared/docs/seeds-keelung.md (§1.1, §1.4, §2.3, §3.2, §7) is either
read correctly or reported as an anomaly naming its lines. Line numbers below are the doc's, per file."""

import pytest

from civicplan.importing.readers import read_file
from civicplan.importing.tables import keelung
from civicplan.importing.tables.keelung_text import clean

BOOK = "000_f42f77be8cbf6647.txt"
URBAN = "001_995202fc11adf421.txt"
PLANNING = "002_f2147262ea2e9bf5.txt"
_CACHE: dict = {}


def parse(seeds_dir, name):
    if name not in _CACHE:
        source = read_file(seeds_dir / name)
        _CACHE[name] = (source, keelung.parse(source))
    return _CACHE[name]


def cells(seeds_dir, name, number):
    return parse(seeds_dir, name)[0].lines[number - 1].text.split("\t")


def indicator_ending_at(document, number):
    """(chapter, goal, indicator) whose source lines end at `number`."""
    found = [(c, g, i) for c in document.chapters for g in c.goals for i in g.indicators
             if i.source.lines[1] == number]
    assert len(found) == 1, f"line {number}: {len(found)} indicators end there"
    return found[0]


def indicator_starting_at(document, number):
    found = [(c, g, i) for c in document.chapters for g in c.goals for i in g.indicators
             if i.source.lines[0] == number]
    assert len(found) == 1, f"line {number}: {len(found)} indicators start there"
    return found[0]


def indicator_at(document, agency, kind, goal_seq, seq):
    chapter = next(c for c in document.chapters if c.agency == agency)
    goal = next(g for g in chapter.goals if g.kind == kind and g.seq == goal_seq)
    return goal, goal.indicators[seq - 1]


def anomalies(document, kind, line):
    return [a for a in document.anomalies if a.kind == kind and a.source.lines[0] <= line <= a.source.lines[1]]


# §2.3-1: cell text continued on the next page, cell-wise, joined without a separator.
STANDARD_CONTINUED = [(BOOK, n) for n in (196, 1027, 1035, 1044, 1052, 1587, 1830, 2521, 3081, 3433, 4511, 4722, 4728,
                                          4734, 4771, 4794, 4803, 237, 794, 1082, 1288, 1866, 2338, 2941, 3105, 3286,
                                          3701, 4534, 5104)] + [(URBAN, 268), (PLANNING, 197)]
NAME_CONTINUED = [(BOOK, n) for n in (732, 1000, 5062)]
NAME_AND_STANDARD_CONTINUED = [(BOOK, n) for n in (205, 755, 1017, 2916, 4743, 4751)]


@pytest.mark.parametrize("name,number", STANDARD_CONTINUED + NAME_AND_STANDARD_CONTINUED)
def test_standard_fragment_is_joined_to_the_indicator_above(seeds_dir, name, number):
    document = parse(seeds_dir, name)[1]
    _, _, indicator = indicator_ending_at(document, number)
    fragment = clean(cells(seeds_dir, name, number)[6])
    assert fragment and indicator.standard.endswith(fragment.replace(" %", "%"))
    assert indicator.source.lines[0] < number
    assert "continued" in indicator.flags


@pytest.mark.parametrize("name,number", NAME_CONTINUED + NAME_AND_STANDARD_CONTINUED + [(BOOK, 3417), (BOOK, 4044)])
def test_name_fragment_is_joined_to_the_indicator_above(seeds_dir, name, number):
    document = parse(seeds_dir, name)[1]
    _, _, indicator = indicator_ending_at(document, number)
    assert indicator.name.endswith(clean(cells(seeds_dir, name, number)[3]))


@pytest.mark.parametrize("name,first,second", [(BOOK, a, b) for a, b in (
    (404, 408), (740, 744), (764, 768), (1057, 1061), (1839, 1843), (2258, 2262), (2277, 2281), (2294, 2298),
    (2510, 2514), (2732, 2736), (3672, 3676), (4008, 4012), (4780, 4784), (4809, 4813), (5074, 5078))] + [
    (URBAN, 218, 222)])
def test_eval_method_split_across_pages_is_joined(seeds_dir, name, first, second):
    document = parse(seeds_dir, name)[1]
    _, _, indicator = indicator_ending_at(document, second)
    assert indicator.source.lines == [first, second]
    assert indicator.eval_method == clean(cells(seeds_dir, name, first)[5]) + clean(cells(seeds_dir, name, second)[5])
    assert indicator.eval_method in ("統計數據", "進度控管")


# §2.3-2: goal names split across pages, including the 構面 tag itself.
@pytest.mark.parametrize("name,agency,kind,seq,goal_name,perspective", [
    (BOOK, "財政處", "key", 4, "加強轄內菸酒業管理，依法執行稽查及取締私劣菸酒", "業務成果"),
    (BOOK, "產業發展處", "key", 5, "增進市容綠美化及辦理農業天然災害防治業務", "業務成果"),
    (BOOK, "社會處", "key", 2, "辦理社會救助相關業務，保障弱勢族群基本生活品質", "業務成果"),
    (BOOK, "社會處", "key", 11, "加強「勞動基準法」管理，督促事業單位改善勞動條件，保障勞工權益", "業務成果"),
    (BOOK, "警察局", "key", 5, "保護關懷弱勢，建構社區安全環境", "行政效率"),
    (BOOK, "環境保護局", "key", 6, "基隆市水環境污染防治暨海底(漂)垃圾清除、海洋環境教育宣導計畫", "業務成果"),
    (BOOK, "環境保護局", "key", 9, "辦理職業安全衛生管理", "業務成果"),
    (BOOK, "稅務局", "common", 3, "提升人力資源培訓，落實公務人員終身學習", "組織學習"),
    (BOOK, "稅務局", "key", 2, "積極推動稅務自動化作業，提高稽徵績效", "業務成果"),
    (BOOK, "政風處", "key", 2, "促進公開透明，防止利益衝突", "業務成果"),
    (URBAN, "都市發展處", "key", 1, "市港再生", "業務成果"),
    (BOOK, "民政處", "key", 4, "普及原住民族教育、培育原住民專業人才、提升原住民職場競爭力暨促進生活及經濟條件改善",
     "業務成果"),
    (BOOK, "觀光及城市行銷處", "key", 6, "推動國際城市交流，加強宣傳本市城市交流成果", "業務成果"),
    (BOOK, "衛生局", "key", 8, "加強食品業者源頭之管理，落實食品衛生安全及加強食品衛生管理工作", "業務成果"),
    (BOOK, "消防局", "key", 8, "新建或整修維護消防廳舍，提升救災效能", "行政效率"),
])
def test_goal_name_split_across_pages_is_joined(seeds_dir, name, agency, kind, seq, goal_name, perspective):
    goal, _ = indicator_at(parse(seeds_dir, name)[1], agency, kind, seq, 1)
    assert (goal.name, goal.perspective) == (goal_name, perspective)


# §2.3-3: a goal-name continuation and a brand-new KPI on the same row.
@pytest.mark.parametrize("number,agency,goal_seq", [(182, "民政處", 4), (1427, "觀光及城市行銷處", 6),
                                                    (3261, "政風處", 2), (4499, "衛生局", 8), (2316, "社會處", 11)])
def test_goal_continuation_row_also_starts_the_next_kpi(seeds_dir, number, agency, goal_seq):
    document = parse(seeds_dir, BOOK)[1]
    chapter, goal, indicator = indicator_starting_at(document, number)
    assert (chapter.agency, goal.seq, indicator.seq) == (agency, goal_seq, 2)
    assert indicator.source.lines == [number, number]


# §2.3-4: the unit of a target lands on the next page.
@pytest.mark.parametrize("agency,goal_seq,seq,targets", [
    ("產業發展處", 5, 1, ["1萬株"] * 4),
    ("產業發展處", 12, 3, ["15 家次"] * 4),
    ("社會處", 2, 1, ["120人次"] * 4),
    ("社會處", 4, 2, ["12000人次"] * 4),
    ("社會處", 6, 2, ["2000件", "2200件", "2300件", "2400件"]),
    ("社會處", 11, 1, ["900家次"] * 4),
    ("環境保護局", 9, 1, ["15 人次", "100人次", "10 人次", "10 人次"]),
])
def test_target_unit_from_the_next_page_is_joined(seeds_dir, agency, goal_seq, seq, targets):
    _, indicator = indicator_at(parse(seeds_dir, BOOK)[1], agency, "key", goal_seq, seq)
    assert [t.raw for t in indicator.targets] == targets


def test_repeated_kpi_number_on_a_continuation_row(seeds_dir):
    """§2.3-5: 財政 L408 repeats 編號 1 but has no 評估體制: it continues KPI 4.1."""
    goal, indicator = indicator_at(parse(seeds_dir, BOOK)[1], "財政處", "key", 4, 1)
    assert indicator.source.lines == [404, 408]
    assert indicator.name == "檢查轄內菸酒製造業及已登記酒精販賣業者"
    assert [i.seq for i in goal.indicators] == [1, 2, 3]


def test_two_rows_merged_into_one_line_are_split_and_reported(seeds_dir):
    """§2.3-6: 社會 L2316 holds the end of KPI 11.1 and all of KPI 11.2."""
    document = parse(seeds_dir, BOOK)[1]
    goal, first = indicator_at(document, "社會處", "key", 11, 1)
    second = goal.indicators[1]
    assert (first.name, first.eval_method, first.standard) == (
        "針對本市事業單位實施勞動條件檢查", "統計數據", "執行勞動條件檢查家次")
    assert (second.seq, second.name, second.eval_system, second.eval_method, second.standard) == (
        2, "受理勞動法令諮詢服務", "1", "統計數據", "面洽或電話受理勞動法令諮詢或勞資爭議、勞動檢查申請案件")
    assert [t.raw for t in second.targets] == ["1300件"] * 4
    assert (first.source.lines, second.source.lines) == ([2312, 2316], [2316, 2316])
    assert anomalies(document, "merged-row", 2316)


def test_shifted_rows_are_read_back_and_their_lost_targets_reported(seeds_dir):
    """§2.3-7: 衛生 L4502 and L4507 are shifted right by two cells; 111/112 are lost."""
    document = parse(seeds_dir, BOOK)[1]
    chapter = next(c for c in document.chapters if c.agency == "衛生局")
    assert len([g for g in chapter.goals if g.kind == "key"]) == 12
    for number, goal_seq, goal_name in ((4502, 9, "加強藥政業務管理工作"),
                                        (4507, 10, "強化對個案追蹤輔導處遇，提供各項轉介服務")):
        goal, indicator = indicator_at(document, "衛生局", "key", goal_seq, 1)
        assert (goal.name, goal.perspective, goal.source.lines[0]) == (goal_name, "業務成果", number)
        assert (indicator.eval_system, indicator.eval_method) == ("1", "統計數據")
        reported = anomalies(document, "shifted-row", number)
        assert len(reported) == 1 and "111、112" in reported[0].message
    assert not [a for a in document.anomalies if a.kind == "goal-list-mismatch"]


def test_duplicated_and_stray_fragments_are_not_appended(seeds_dir):
    """§2.3-8: 人事 L3070 repeats 「數據」; 消防 L4044 adds a stray 「率)」 after a complete goal name."""
    document = parse(seeds_dir, BOOK)[1]
    _, indicator = indicator_at(document, "人事處", "key", 2, 4)
    assert indicator.eval_method == "統計數據" and indicator.source.lines == [3066, 3070]
    assert anomalies(document, "duplicated-fragment", 3070)
    goal, indicator = indicator_at(document, "消防局", "key", 8, 1)
    assert goal.name == "新建或整修維護消防廳舍，提升救災效能"
    assert indicator.name == "興建暖暖消防分隊廳舍及消防車輛停車空間新建工程"
    assert anomalies(document, "stray-fragment", 4044)


@pytest.mark.parametrize("agency,goal_seq,seq,target", [
    ("社會處", 3, 1, "530000人次"), ("社會處", 4, 1, "6500000人次"), ("社會處", 4, 4, "700000 人次"),
    ("社會處", 5, 5, "190000 人次"), ("環境保護局", 12, 4, "1500000 平方公尺"),
])
def test_wrap_spaces_inside_target_numbers_are_removed(seeds_dir, agency, goal_seq, seq, target):
    """§2.3-9: 20 target cells broken by narrow-column wraps (`53000 0人 次`)."""
    _, indicator = indicator_at(parse(seeds_dir, BOOK)[1], agency, "key", goal_seq, seq)
    assert indicator.targets[0].raw == target
    assert all(" 0" not in t.raw and "人 次" not in t.raw for t in indicator.targets)


def test_wrap_spaces_inside_text_and_numbers_split_by_a_page_break(seeds_dir):
    """§2.3-9/10: wrap-spaces in text cells; a number split across the page break (002 L193 `60,` + `250`)."""
    _, indicator = indicator_at(parse(seeds_dir, BOOK)[1], "稅務局", "common", 3, 1)
    assert indicator.standard == ("本單位內公務人員完成行政院人事行政總處所訂定公務人員學習時數之人數÷"
                                  "本單位現有公務人員人數×100%")
    _, indicator = indicator_at(parse(seeds_dir, URBAN)[1], "都市發展處", "common", 2, 1)
    assert indicator.standard.endswith("僱用之約聘僱員額總數×100%")
    _, indicator = indicator_at(parse(seeds_dir, PLANNING)[1], "綜合發展處", "key", 9, 1)
    assert indicator.standard.endswith("電子發文 60,250 件，佔 86.07%。")


def test_truncated_source_cells_are_kept_as_printed(seeds_dir):
    """§2.3-11: cells incomplete in the source itself are not completed or invented."""
    document = parse(seeds_dir, BOOK)[1]
    assert indicator_at(document, "綜合發展處", "key", 2, 4)[1].standard == "將既有實體主機"
    assert indicator_at(document, "稅務局", "key", 2, 1)[1].name == "資訊設備更新：汰換（或擴充及更新）上電腦及主機等"
    standard = indicator_at(document, "環境保護局", "key", 10, 2)[1].standard
    assert standard.endswith("戴奧辛<0.1 ng-TEQ÷Nm3、鉛 <0.2mg÷Nm3 3、鎘 <0.02mg÷Nm3 3、汞 <0.05mg÷Nm3 3")


def test_empty_sequence_cell_after_a_page_break_continues_the_goal(seeds_dir):
    """§2.3-12: L215 (empty 序號 after the header repeat) is KPI 10.4 of 民政."""
    chapter, goal, indicator = indicator_ending_at(parse(seeds_dir, BOOK)[1], 215)
    assert (chapter.agency, goal.seq, indicator.seq) == ("民政處", 10, 4)


@pytest.mark.parametrize("agency", ["觀光及城市行銷處", "交通處", "環境保護局"])
def test_footnote_split_by_a_page_break_does_not_disturb_the_tables(seeds_dir, agency):
    """§2.3-13: a blank line inside the 評估體制 legend (L1446, L1605, L1607, L4825)."""
    document = parse(seeds_dir, BOOK)[1]
    chapter = next(c for c in document.chapters if c.agency == agency)
    assert [g.seq for g in chapter.goals if g.kind == "common"] == [1, 2, 3]
    assert not any("指實際評估作業" in s.text for s in chapter.sections)


def test_paren_dash_and_comma_widths_do_not_cause_goal_list_mismatches(seeds_dir):
    """§2.3-14 and §3.2: 參、一 and the KPI table agree in all 22 chapters once widths are ignored."""
    for name in (BOOK, URBAN, PLANNING):
        document = parse(seeds_dir, name)[1]
        assert not [a for a in document.anomalies if a.kind == "goal-list-mismatch"]
        for chapter in document.chapters:
            assert len(chapter.listed_goals) == len([g for g in chapter.goals if g.kind == "key"])
    goal, _ = indicator_at(parse(seeds_dir, BOOK)[1], "綜合發展處", "key", 8, 1)
    assert goal.name == "有效節約能源, 宣導環保減碳觀念"  # the table's printing is kept


def test_latex_debris_is_removed(seeds_dir):
    """§1.1: LaTeX from the converter in the 環境保護局 chapter, in prose and in cells."""
    document = parse(seeds_dir, BOOK)[1]
    chapter = next(c for c in document.chapters if c.agency == "環境保護局")
    texts = [s.text for s in chapter.sections] + [i.standard for g in chapter.goals for i in g.indicators]
    assert not [t for t in texts if "$" in t or "\\" in t or "_{" in t]
    prose = "\n".join(s.text for s in chapter.sections)
    assert "PM2.5" in prose and "μg/m3" in prose
    assert indicator_at(document, "環境保護局", "key", 5, 6)[1].standard.endswith("複查改善率≥90%。")
    assert indicator_at(document, "環境保護局", "key", 10, 3)[1].standard == (
        "1. 灼熱減量 <5% 2. 底渣妥善處理率達 100% = (年度歷次底渣檢測符合法規值濃度次數÷年度應檢測次數)×100%")


def test_letter_spaced_list_numbers_are_read_as_numbers(seeds_dir):
    """§1.4: `- 1 4、` (L1695–1696, L1712–1722, L4254, L4296–4297; 001 L111–117)."""
    for name, agency in ((BOOK, "都市發展處"), (BOOK, "衛生局"), (URBAN, "都市發展處")):
        chapter = next(c for c in parse(seeds_dir, name)[1].chapters if c.agency == agency)
        lines = [line for s in chapter.sections for line in s.text.split("\n")]
        assert any(line.startswith("14、") for line in lines)
        assert not [line for line in lines if line[:3] in ("1 0", "1 1", "1 2", "1 3", "1 4", "1 5")]


def test_page_break_inside_prose_is_joined(seeds_dir):
    """§7: stray `- ` marker on a page-break continuation (社會 L2024 continues L2022); 產業 願景 L460."""
    chapters = {c.agency: c for c in parse(seeds_dir, BOOK)[1].chapters}
    section = next(s for s in chapters["社會處"].sections if s.label == "貳、二")
    assert "目前已於本市5區設置完成，並於中正區成立基隆祖孫館" in section.text
    assert "本市商業秩序。" in chapters["產業發展處"].vision


def test_documented_data_problems_are_reported(seeds_dir):
    """§7: 教育 KPI 4.4 repeats 4.2, 4.3 copies 4.1's measure; 民政 7.3 copies 7.1's 衡量標準."""
    document = parse(seeds_dir, BOOK)[1]
    for line in (1020, 1021, 197):
        assert anomalies(document, "duplicate-indicator", line), line


def test_table_of_contents_against_the_chapters(seeds_dir):
    """§1.2: 001 lists 20 agencies but holds only 都市發展處; 000's document title line (L11) is no chapter."""
    document = parse(seeds_dir, URBAN)[1]
    reported = anomalies(document, "count-mismatch", 15)
    assert len(reported) == 1 and "20" in reported[0].message and reported[0].source.lines == [15, 34]
    book = parse(seeds_dir, BOOK)[1]
    assert not [a for a in book.anomalies if a.kind == "count-mismatch"]
    assert book.chapters[0].source.lines[0] == 36 and book.chapters[0].source.page == 1


def test_no_unexplained_anomalies(seeds_dir):
    """Only the documented artefacts and data problems are reported for the three seeds."""
    kinds = {}
    for name in (BOOK, URBAN, PLANNING):
        for anomaly in parse(seeds_dir, name)[1].anomalies:
            kinds.setdefault(name, []).append((anomaly.kind, anomaly.source.lines[0]))
    assert sorted(kinds[BOOK]) == sorted([
        ("duplicate-indicator", 197), ("duplicate-indicator", 1020), ("duplicate-indicator", 1021),
        ("merged-row", 2316), ("duplicated-fragment", 3070), ("stray-fragment", 4044),
        ("shifted-row", 4502), ("shifted-row", 4507),
    ])
    assert kinds[URBAN] == [("count-mismatch", 15)]
    assert PLANNING not in kinds
