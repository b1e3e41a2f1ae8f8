"""Every conversion artefact listed in docs/seeds-chiayi.md is read correctly or reported as an anomaly naming
its lines. Each case names the section of the seed description and the seed lines it is about."""

import re

import pytest

from civicplan.importing.readers import read_file
from civicplan.importing.tables import chiayi

SEED = "004_518a493018a85667.txt"


@pytest.fixture(scope="module")
def document(seeds_dir):
    return chiayi.parse(read_file(seeds_dir / SEED))


def row(document, line):
    """(chapter, goal, indicator) of the KPI row whose source lines cover `line`."""
    for chapter in document.chapters:
        for goal in chapter.goals:
            for indicator in goal.indicators:
                first, last = indicator.source.lines
                if first <= line <= last:
                    return chapter, goal, indicator
    raise AssertionError(f"no KPI row covers line {line}")


def goal(document, line):
    for chapter in document.chapters:
        for g in chapter.goals:
            if g.source.lines[0] <= line <= g.source.lines[1]:
                return g
    raise AssertionError(f"no goal covers line {line}")


def revision(document, line):
    return next(r for r in document.revisions if r.source.lines[0] <= line <= r.source.lines[1])


def targets(indicator_or_revision):
    return [t.raw for t in indicator_or_revision.targets]


def anomalies(document, kind, line):
    return [a for a in document.anomalies if a.kind == kind and a.source.lines[0] <= line <= a.source.lines[1]]


# §1.5.3: a trailing space that does not close the cell (manual line break inside a cell)
@pytest.mark.parametrize("line, field, expected", [
    (5295, "name", "推動本府陳情話務中心營運，整合各局處服務，回應市民市政諮詢、陳情與派工需求"),
    (6319, "name", "依據行政院暨所屬各級行政機關公務人員平時考核要點，每年四月、八月考核屬員之平時成績。"),
    (10081, "name", "交通事故現場圖雲端數位化"),
    (10107, "name", "碰撞構圖運用於本市道安會報、跨局處道路會勘改善交通環境"),
    (2001, "name", "公共工程施工品質查核"),
    (2020, "name", "市民中心（北棟大樓）興建"),
    (1029, "standard", "經審查通過件數"),
    (1538, "standard", "1.108年學年度:國小27人、國中29人編班。2.109年學年度:國小26人、國中28人編班。"
                       "3.110年學年度:國小25人、國中27人編班。"),
    (4116, "standard", "［Σ(各鄉鎮市區公告土地現值總額)／Σ(各鄉鎮市區一般正常交易價格總額)］×100%"),
])
def test_false_cell_ends_are_joined(document, line, field, expected):
    assert getattr(row(document, line)[2], field) == expected


@pytest.mark.parametrize("line, expected", [
    (2732, "營造蘭潭風景區文化、生態及健康旅遊環境"),  # `營造蘭潭風景 ` then the rest of the goal
    (6920, "加強宣導「公務員廉政倫理規範」等相關規定，提升機關廉潔形象"),  # a cell never ends inside 「
    (6258, "調整機關組織架構及員額配置，健全組織功能，強化職務歸系與管理，提昇為民服務品質。"),
])
def test_false_cell_ends_in_goals_are_joined(document, line, expected):
    assert goal(document, line).name == expected


# §1.5.4: spaced-out (justified) CJK
@pytest.mark.parametrize("line, field, expected", [
    (309, "standard", "每年至少3項活動，營造本市特色宗教節慶活動，帶動觀光，行銷本市"),
    (4402, "standard", "實際發行期數/12(預定發行期數)×100%"),
    (8212, "standard", "(電匯作業量/總支付作業量)x100%"),
    (10038, "standard", "〔有效採證數/通知刑案到場件數（含死亡案件）〕*100%"),
    (2277, "name", "願景館規劃與策展，民眾參與情形"),
])
def test_spaced_out_text_is_rejoined(document, line, field, expected):
    assert getattr(row(document, line)[2], field) == expected


def test_spaced_out_goal_text_is_rejoined(document):
    assert goal(document, 926).name == "加強現有各公園、綠地及植栽區之設施維護、植栽養護，以提升民眾休憩品質及安全"
    assert goal(document, 3445).name == "健全社區組織，改善社區生活環境"
    assert goal(document, 8034).name == "提升財務效能，靈活庫款調度，健全本市財政"  # numeral + spaced goal on one line


# §1.5.5: compatibility ideographs (104 in the file) → unified characters everywhere
def test_no_compatibility_ideograph_survives(document):
    texts = [c.mission + c.vision + "".join(c.priorities) + "".join(s.text for s in c.sections)
             for c in document.chapters]
    texts += [g.name + i.name + i.standard + "".join(t.raw for t in i.targets)
              for c in document.chapters for g in c.goals for i in g.indicators]
    texts += [r.goal + r.indicator + r.standard + r.reason for r in document.revisions]
    assert not [t for t in texts if re.search("[\uf900-\ufaff]", t)]
    assert row(document, 404)[2].name == "執行新住民相關措施及活動"  # 行 was U+FA08
    assert row(document, 6854)[2].standard == "年度內完成件數"
    assert row(document, 9967)[2].name == "偵辦刑事案件進行數位鑑識"
    assert goal(document, 10000).name == "建構智能維安系統，落實警政智慧治理"


# §1.5.6: percent variants — raw targets keep the printed sign, text fields read %
def test_percent_variants(document):
    land = row(document, 4124)[2]
    assert targets(land) == ["-", "-", "-", "90％"] and land.standard.endswith("×100%")
    integrity = row(document, 6832)[2]
    assert targets(integrity) == ["100﹪"] * 4 and integrity.standard == "依限完成申報人數/應申報人數×100%"


# §1.5.7: Word EQ debris
def test_eq_circled_numbers_become_circled_digits_and_are_reported(document):
    social = next(c for c in document.chapters if c.agency == "社會處")
    text = "".join(social.priorities)
    assert "①立案之社會團體" in text and "⑤村（里）辦公處。" in text and "○" not in text
    for line in (3287, 3289, 3293, 3295, 3297):
        assert anomalies(document, "conversion-debris", line), line


def test_stray_a_is_removed_and_reported(document):
    assert row(document, 4810)[2].name == "本府配合提供交通部鐵道局執行設計與工程之地方分擔款經費"
    assert anomalies(document, "conversion-debris", 4810)


# §1.3: page numbers, cover pages, table of contents
def test_page_numbers_are_dropped_before_paragraphs_are_rejoined(document):
    personnel = next(c for c in document.chapters if c.agency == "人事處")
    assert "本府配合中央改革方案" in personnel.vision  # L5904 / 13-3 at L5908 / L5912
    all_text = "\n".join(s.text for c in document.chapters for s in c.sections)
    for number in ("2-5", "10-2", "13-3", "16-1", "17-6"):
        assert not re.search(rf"(^|\n){number}($|\n)", all_text)


def test_cover_pages_and_the_table_of_contents_are_not_content(document):
    chapters = {c.agency: c for c in document.chapters}
    assert chapters["財政稅務局"].source.lines[0] == 7813  # the title after the TOC (L7751–7770)
    assert chapters["社會處"].source.lines[0] == 2791  # after the cover L2787–2790
    assert row(document, 5753)[2].standard == "當年作業執行完成數÷當年預定作業執行數×100%"  # orphan cover L5754 after it
    assert not any("施政計畫" in s.heading or re.search(r"…{3,}\s*\d+-\d+", s.text)
                   for c in document.chapters for s in c.sections)


# §2.2 B1/B2: long goal, KPI and measure cells
def test_long_cells(document):
    assert goal(document, 8786).name == "落實食品藥物安全衛生源頭管理與市場監測，強化食藥安全教育宣導，打造食安城市"
    assert row(document, 3458)[2].standard.startswith("輔輔導社區辦理多元弱勢福利服務計畫")  # the typo is printed
    assert row(document, 6386)[2].standard.endswith("多元族群文化及公民參與合計4小時)。")
    assert row(document, 6427)[2].standard.endswith("每人次扣0.5分。")
    assert row(document, 10696)[2].standard.startswith("本局119執勤同仁受理火災案件時，於60秒內")


# B3/B4/B13: values wrapped over lines, partly on one line, numbers split inside
@pytest.mark.parametrize("line, expected", [
    (277, ["每年一次"] * 4),
    (315, ["每年至少3項"] * 4),
    (386, ["一年二次"] * 4),
    (2285, ["-", "1000人次", "1250人次", "1500人次"]),
    (7423, ["11萬人次", "12萬人次", "45,000人次(因疫情影響)", "14萬人次"]),
    (8112, ["1萬6千件", "2萬件", "2萬8千件", "2萬8千件"]),
    (9435, ["5MW(累積)", "12MW(累積)", "25MW(累積)", "30MW(累積)"]),
    (9517, ["1570公里", "1586公里", "1602公里", "1602公里"]),
    (9976, ["≧30臺", "≧30臺", "≧100臺", "≧100臺"]),
    (9990, ["--", "--", "--", "≧2,000萬筆"]),
    (10637, ["依限完成"] * 4),
    (10675, ["≧2,000人", "≧2,000人", "≧12,000人", "≧12,000人"]),
    (7447, ["90場", "95場", "80場(因疫情影響)", "100場以上"]),
    (8171, ["33萬件", "33萬件", "34萬件", "34萬件"]),
    (7669, ["美術館籌備中", "美術館籌備中", "4場以上", "4場以上"]),
    (8952, ["-", "-", "6A 84B 45C", "6A 75B 47C"]),
    (7538, ["10場以上", "10場以上", "0場(因疫情停辦)", "10場以上"]),
    (10154, ["<10分鐘", "<10分鐘", "<10分鐘", "50%"]),  # B16: the 111 value is a rate
])
def test_wrapped_values(document, line, expected):
    assert targets(row(document, line)[2]) == expected


# B5: whole rows on one line
@pytest.mark.parametrize("line, name, standard, values", [
    (341, "辦理市民集團結婚", "參加對數", ["20", "20", "30", "30"]),
    (343, "辦理成年禮", "報名參加人數", ["80"] * 4),
    (428, "辦理役男體檢作業", "每年辦理場次", ["72", "73", "74", "90"]),
    (2726, "人行環境鋪面改善", "改善面積(m2)", ["0", "2,000", "1,000", "100"]),
    (2728, "自行車道鋪面改善", "改善面積(m2)", ["0", "4,500", "3,000", "50"]),
    (2762, "新聞發布", "則數", ["250"] * 4),
    (6264, "組織架構合理規劃。", "局處設置數。", ["≦20"] * 4),
    (7407, "推廣閱讀活動", "實際辦理場次", ["30場"] * 4),
    (1470, "老舊廁所改善工程", "辦理校數", ["3"] * 4),
    (1476, "辦理梯次27場次", "辦理梯次27場次", ["27"] * 4),  # B14: the same text in KPI and measure
    (1010, "規劃學校及團體參訪動物教育園區", "辦理1場", ["--", "--", "1", "1"]),
    (3662, "辦理勞動法令宣導會", "宣導會次數", ["15"] * 4),
])
def test_collapsed_rows(document, line, name, standard, values):
    indicator = row(document, line)[2]
    assert (indicator.name, indicator.standard, targets(indicator)) == (name, standard, values)


# B6: the last measure fragment on the target line
@pytest.mark.parametrize("line, standard, values", [
    (1908, "清疏工程辦理進度", ["100%"] * 4),
    (1918, "雨水下水道興建長度(公尺)", ["300"] * 4),
    (1942, "計畫道路取得條數/3", ["33%"] * 4),
    (1972, "1個工作天完成修護率", ["90%"] * 4),
    (2712, "里程增加數(km)", ["5"] * 4),
    (2755, "統計數據(人次)", ["150萬", "153萬", "158萬", "160萬"]),
    (4744, "公車搭乘人次增加率", ["20%", "20%", "0%", "5%"]),
    (4796, "年度執行經費(萬元)", ["3,800", "3,500", "1,800", "1,800"]),
    (4818, "年度執行經費(億元)", ["0.812", "1.423", "9.3", "4.14"]),
    (4826, "累計里程數(公里)", ["0", "1.3", "2.6", "2.6"]),
    (5333, "年度清查次數/12月x100%", ["100%"] * 4),
    (5305, "平均每月電話進線數≧1200", ["0", "≧1200", "≧1200", "≧1200"]),  # 108 = 0, as the appendix L11650
    (972, "≧29處/年", ["80%"] * 4),
    (9463, "監測數據", ["75%", "80%", "80%", "83%"]),
])
def test_measure_tail_on_the_target_line(document, line, standard, values):
    indicator = row(document, line)[2]
    assert (indicator.standard, targets(indicator)) == (standard, values)


# B7: neighbouring cells on one line
@pytest.mark.parametrize("line, goal_name, name", [
    (2752, "觀光事業規劃及推動", "嘉義市旅館住宿人數"),
    (4741, "提高大眾運輸使用率", "提昇市區公車搭乘率"),
    (4752, "建置公共自行車租賃系統", "新增公共自行車站點"),
    (4766, "嘉義市停車問題改善整體規劃", "依規劃結果逐年增設停車格位數"),
    (4823, "市區自行車道建置", "建置市區自行車道"),
    (10667, "健全防救災資訊網，提升本市防救災能力", "提升網站點閱次數"),
    (7978, "加強各稅稅籍清查作業，以健全稅籍，防止逃漏，增裕庫收", "按規定期程函報各稅稅籍清查進度及成果"),
    (8018, "落實欠稅案件之移送", "欠稅案件之移送執行件數"),
    (10757, "加強消防體技教育訓練", "消防人員實際參加平時訓練總時數/消防人員應參加平時訓練總時數×100%"),
    (352, "本市廟宇文化創意整體發展規劃", "特色宗教文創品設計開發"),
    (3484, "健全社區組織，改善社區生活環境", "拓展社區惜食冰箱服務據點"),
    (3506, "疼惜咱的老人，歡喜在地老化", "辦理老人暨身心障礙者免費乘車補助"),
    (7401, "提升市民閱讀風氣，營造良好的閱讀環境", "充實館藏計畫"),
    (10594, "強化防災安全面向，營造友善公安城市", "提升防火宣導線上申請率"),
    (10633, "加強災害應變能力，提升整體消防戰力", "充實消防車輛"),
])
def test_cells_sharing_a_line(document, line, goal_name, name):
    _, g, indicator = row(document, line)
    assert (g.name, indicator.name) == (goal_name, name)


# B8: a merged goal cell interleaved with the next KPI row
def test_goal_cell_resumed_after_a_kpi_row(document):
    civil = goal(document, 401)
    assert civil.name == "落實新住民照顧服務、友善移民城市營造" and "continued" in civil.flags
    assert [i.name for i in civil.indicators] == ["落實「嘉義市新住民事務委員會」功能", "執行新住民相關措施及活動"]
    culture = goal(document, 7569)
    assert culture.name == "推廣文化資產保存維護，培養市民守護文化資產精神" and "continued" in culture.flags
    assert len(culture.indicators) == 2


# B9/B10: KPI numbers missing, or `1` on a goal's only KPI; 工務處 五: one KPI, two measure rows
def test_kpi_numbers(document):
    assert [i.label for i in goal(document, 9957).indicators] == [None, None]  # 警察 一
    assert [i.name for i in goal(document, 10716).indicators] == ["提高所有報案電話的OHCA辨識率",
                                                                 "提高執行胸痛/悶使用心電圖監測率"]
    assert [i.name for i in goal(document, 10795).indicators] == [
        "進行火災受災戶調查、評估火災時警報、滅火、避難等能力", "防縱火宣導普及率"]
    assert [i.label for i in goal(document, 3648).indicators] == ["1"]  # 社會 六
    sewage = goal(document, 2028).indicators
    assert [i.name for i in sewage] == ["全市污水處理率之提升"] * 2
    assert [i.standard for i in sewage] == ["分支管網建置及用戶接管長度(公尺)", "用戶接管普及率"]
    assert [i.flags for i in sewage] == [[], ["second-measure"]]
    assert targets(sewage[1]) == ["0%", "1%", "2.3%", "2.0%"]


# B12: empty cells leave no trace but spaces — reported
def test_blank_cells_are_reported(document):
    media = row(document, 2770)[2]
    assert [(t.year, t.raw) for t in media.targets] == [(110, "20"), (111, "20")]
    assert "blank-targets" in media.flags
    assert anomalies(document, "blank-cells", 2770)
    for line in (11755, 12477, 12525):  # the appendix
        assert [t.year for t in revision(document, line).targets] == [110, 111], line
        assert anomalies(document, "blank-cells", line + 2) or anomalies(document, "blank-cells", line), line


# B15: goal and KPI columns that look swapped: kept as printed, reported
def test_swapped_columns_are_kept_and_reported(document):
    _, g, indicator = row(document, 8766)
    assert g.name == "加害人合併精神疾病(含自殺企圖)整合性服務涵蓋率"
    assert indicator.name == "整合加害人合併精神疾病(含自殺企圖)服務"
    assert anomalies(document, "swapped-columns", 8758)


# §5.1: the appendix's own breakage
def test_appendix_agency_cells(document):
    assert revision(document, 10849).agency == "民政處"  # 民/政/處, one character per line
    assert revision(document, 11383).agency == "地政處"  # on one line
    assert revision(document, 12294).agency == "警察局"  # `局 強化科技偵防能力，` glued to the goal
    assert revision(document, 12294).goal == "強化科技偵防能力，培養數位鑑識能量"
    assert revision(document, 11628).agency == "智慧科技處"  # printed 智/科/處


def test_appendix_pages_reasons_and_values_sharing_lines(document):
    assert revision(document, 11631).page == "P11-6"  # at the end of the reason line
    assert revision(document, 12365).page == "P19-7" and revision(document, 12399).page == "P19-7"
    deleted = revision(document, 11396)
    assert targets(deleted) == ["80%", "95%", "100%", "0%"] and deleted.reason == "已達111年度目標值，將其刪除。"
    youth = revision(document, 11360)
    assert youth.standard == "參與人數目標達200人以上" and targets(youth) == ["-", "-", "100%", "100%"]
    assert youth.reason == "110年新計畫，本項為新增之關鍵績效指標"
    assert revision(document, 11854).reason == "無需修正"
    assert targets(revision(document, 12481)) == ["≧12,000人", "≧12,000人"]  # `12,00` / `0人`
    assert targets(revision(document, 11759)) == ["4萬5,000人次", "14萬人次"]
    assert targets(revision(document, 12130)) == ["-", "-", "6A 84B 45C", "6A 75B 47C"]
    assert all("附錄" not in r.reason and "5/12" not in r.reason for r in document.revisions)


def test_appendix_rows_without_their_own_cells(document):
    bare = revision(document, 11863)  # 財稅: a KPI whose measure, values and reason are merged with the row above
    assert (bare.indicator, bare.standard, bare.targets, bare.reason) == ("依規定期程完成各稅稅籍清查作業", "", [], "")
    assert anomalies(document, "merged-cells", 11863)
    second = revision(document, 11008)  # 工務: the second measure row of the sewage KPI
    assert (second.indicator, second.standard) == ("全市污水處理率之提升", "用戶接管普及率")
    removed = revision(document, 11105)  # 觀光: a deleted goal, all values `-`
    assert removed.goal == "發展阿里山林業文化廊道，建置完善人本環境" and targets(removed) == ["-"] * 4


# §5.5: contradictions are reported, notation differences are not
def test_notation_differences_are_not_contradictions(document):
    contradicted = [a.source.lines[0] for a in document.anomalies if a.kind == "appendix-contradicts-body"]
    assert contradicted == [10908, 11452]
    assert targets(revision(document, 11051)) == ["30", "60", "80", "100"]  # body: 30% 60% 80% 100%
    assert targets(revision(document, 12054))[0] == "---"  # body: --


# §1.4: 施政重點 headings of 警察局 and 主計處 name their goals — checked against the KPI table
def test_priorities_that_name_their_goals_agree_with_the_table(document):
    police = next(c for c in document.chapters if c.agency == "警察局")
    assert sum("關鍵策略目標" in p for p in police.priorities) == 7 and len(police.goals) == 7
    budget = next(c for c in document.chapters if c.agency == "主計處")
    assert sum("策略績效目標" in p for p in budget.priorities) == 6 and len(budget.goals) == 6
    assert not [a for a in document.anomalies if a.kind == "goal-list-mismatch"]
