"""Keelung chapters: prose (使命, 願景, 施政重點, sections, 參、一 list) and the cross-checks, on the seeds and on
small made-up chapters that exercise each rule on its own."""

import hashlib

from civicplan.importing.document import Line, SourceText
from civicplan.importing.readers import read_file
from civicplan.importing.tables import keelung

BOOK = "000_f42f77be8cbf6647.txt"
URBAN = "001_995202fc11adf421.txt"
PLANNING = "002_f2147262ea2e9bf5.txt"
_CACHE: dict = {}
T = "\t"
HEADER = T.join(["序號", "關鍵策略目標", "編號", "關鍵績效指標", "評估體制", "評估方式", "衡量標準", "年度績效目標值", "", "", ""])
YEARS = T.join([""] * 7 + ["110", "111", "112", "113"])
COMMON = T.join(["序號", "共同性目標", "編號", "共同性指標", "評估體制", "評估方式", "衡量標準", "年度績效目標值", "", "", ""])


def parse(seeds_dir, name):
    if name not in _CACHE:
        _CACHE[name] = keelung.parse(read_file(seeds_dir / name))
    return _CACHE[name]


def chapter_of(seeds_dir, name, agency):
    return next(c for c in parse(seeds_dir, name).chapters if c.agency == agency)


def source(text: str) -> SourceText:
    lines = [Line(number=i, text=t) for i, t in enumerate(text.split("\n"), start=1)]
    return SourceText(name="made-up.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), kind="txt",
                      encoding="utf-8", lines=lines)


def made_up(goal_list: list[str], rows: list[list[str]], prose: str = "") -> str:
    """A minimal chapter in the Keelung layout: title, skeleton, 參、一 list and a KPI table."""
    parts = ["基隆市政府測試處中程施政計畫（110 至 113 年度）", "", "壹、使命及願景", "", "一、使命", "", "測試使命。", "",
             "二、願景", "", "測試願景。", "", "貳、施政重點", "", "三、未來四年施政重點", "", "- (一) 重點一。", prose, "",
             "參、關鍵策略目標、共同性目標、關鍵績效指標及共同性指標", "", "一、關鍵策略目標", ""]
    parts += goal_list + ["", "三、關鍵績效指標、衡量標準及年度目標值", "", HEADER, YEARS]
    parts += [T.join(row) for row in rows]
    return "\n".join(parts)


def row(*cells):
    return list(cells) + [""] * (11 - len(cells))


# -- the seeds --------------------------------------------------------------------------------------------------

def test_mission_vision_and_priorities(seeds_dir):
    chapter = chapter_of(seeds_dir, BOOK, "民政處")
    assert chapter.mission.startswith("民政處係為民服務第一線主管單位") and chapter.mission.endswith("公共造產等事項。")
    assert chapter.vision.startswith("強化地方自治基礎") and "\n" not in chapter.vision
    assert len(chapter.priorities) == 10
    assert chapter.priorities[0].startswith("推動環保自然葬法")
    assert chapter.priorities[-1] == "精實替代役、常備兵役徵兵處理程序。"
    finance = chapter_of(seeds_dir, BOOK, "財政處")
    assert finance.vision.count("\n") == 1  # two paragraphs (L250, L252)
    police = chapter_of(seeds_dir, BOOK, "警察局")
    assert police.vision.split("\n")[1].startswith("（一）")  # paragraph + list
    assert not police.priorities[0].startswith("結合優質警力")  # the intro paragraph is no priority


def test_sections_are_the_narrative_parts_with_labels(seeds_dir):
    chapter = chapter_of(seeds_dir, BOOK, "民政處")
    assert [(s.label, s.heading) for s in chapter.sections] == [
        ("壹、一", "使命"), ("壹、二", "願景"), ("貳、一", "現有計畫執行成效檢討"),
        ("貳、二", "環境情勢分析及優先發展課題"), ("貳、三", "未來四年施政重點"), ("參、一", "關鍵策略目標"),
        ("參、二", "共同性目標")]
    section = chapter.sections[3]
    assert section.source.lines == [69, 90]
    assert section.text.split("\n")[0].startswith("(一) 環境情勢分析：「民政」業務涵蓋面大且廣")
    assert "\n(1) 照顧弱勢家庭之役男" in section.text  # list prefixes `- ` / ` - ` removed, markers kept
    for chapter in parse(seeds_dir, BOOK).chapters:
        assert len(chapter.sections) == 7, chapter.agency


def test_listed_goals_and_their_action_items(seeds_dir):
    chapter = chapter_of(seeds_dir, BOOK, "民政處")
    assert chapter.listed_goals[:3] == ["公立納骨塔改建工程細部規劃", "零星工程", "里鄰工程新建及維護"]
    goal = next(g for g in chapter.goals if g.kind == "key" and g.seq == 4)
    assert goal.label == "四"
    assert len(goal.description) == 6 and goal.description[2].startswith("3、推動原住民族語學習教育")
    common = [g for g in chapter.goals if g.kind == "common"]
    assert common[2].description[0].startswith("1、為激勵同仁主動學習")


def test_the_urban_development_chapter_of_111_states_its_counts(seeds_dir):
    """001 貳、三 is a 目標體系 summary: `6 次目標（關鍵策略目標）`, `20 項標準（關鍵績效指標）` — and they hold."""
    chapter = chapter_of(seeds_dir, URBAN, "都市發展處")
    assert chapter.stated_counts == {"key_goals": 6, "key_indicators": 20}
    assert chapter.priorities[0] == "願景：首都圈國家海洋門戶"
    assert chapter.vision.startswith("以基隆做為「首都圈國家海洋門戶」之定位")


def test_bare_chapter_without_cover(seeds_dir):
    document = parse(seeds_dir, PLANNING)
    assert document.title == "基隆市政府綜合發展處中程施政計畫（111 至 114 年度）"
    chapter = document.chapters[0]
    assert chapter.source.lines == [3, 218] and chapter.source.page is None
    assert chapter.mission.startswith("綜合發展處依法掌理法制") and "智慧城鄉" in chapter.mission
    assert len(chapter.priorities) == 10


# -- made-up chapters: each rule on its own ------------------------------------------------------------------

def test_goal_list_mismatch_is_reported_with_both_lines():
    text = made_up(["- (一) 甲目標（業務成果）", "- 1、甲的工作。", "- (二) 乙目標（行政效率）"], [
        row("1", "甲目標（業務成果）", "1", "指標一", "1", "統計數據", "次數", "1次", "1次", "1次", "1次"),
        row("2", "丙目標（行政效率）", "1", "指標二", "1", "統計數據", "次數", "2次", "2次", "2次", "2次"),
    ])
    document = keelung.parse(source(text))
    chapter = document.chapters[0]
    assert chapter.listed_goals == ["甲目標", "乙目標"]
    assert chapter.goals[0].description == ["1、甲的工作。"]
    mismatches = [a for a in document.anomalies if a.kind == "goal-list-mismatch"]
    assert len(mismatches) == 1
    assert "乙目標" in mismatches[0].message and "丙目標" in mismatches[0].message
    assert mismatches[0].source.lines == [26, 33]  # the 參、一 line and the table row


def test_missing_goal_in_the_table_and_stated_counts_are_reported():
    text = made_up(["- (一) 甲目標（業務成果）", "- (二) 乙目標（行政效率）"], [
        row("1", "甲目標（業務成果）", "1", "指標一", "1", "統計數據", "次數", "1次", "1次", "1次", "1次"),
        row("", "", "3", "指標三", "1", "統計數據", "次數", "1次", "1次", "1次", "1次"),
    ], prose="- (二) 本處訂定 2 次目標（關鍵策略目標）及 3 項標準（關鍵績效指標）。")
    document = keelung.parse(source(text))
    kinds = sorted(a.kind for a in document.anomalies)
    assert kinds == ["code-mismatch", "count-mismatch", "count-mismatch", "goal-list-mismatch"]
    assert document.chapters[0].stated_counts == {"key_goals": 2, "key_indicators": 3}


def test_page_break_continuation_rules_on_a_made_up_table():
    """Header repeat, cell-wise fragments, split tag, unit on the next page, goal continuation + new KPI."""
    text = made_up(["- (一) 長的目標名稱（業務成果）"], [
        row("1", "長的目標", "1", "指標的前", "1", "統計", "標準前段", "1萬", "2", "3", "4"),
        [], HEADER.split(T), YEARS.split(T),
        row("", "名稱（業務成", "", "半段", "", "數據", "後段。", "株", "件", "件", "件"),
        [], HEADER.split(T), YEARS.split(T),
        row("", "果)", "2", "指標二", "4", "進度控管", "進度", "50%", "100%", "100%", "100%"),
    ])
    document = keelung.parse(source(text))
    goal = document.chapters[0].goals[0]
    assert (goal.name, goal.perspective, goal.source.lines) == ("長的目標名稱", "業務成果", [30, 38])
    first, second = goal.indicators
    assert (first.name, first.eval_method, first.standard) == ("指標的前半段", "統計數據", "標準前段後段。")
    assert [t.raw for t in first.targets] == ["1萬株", "2件", "3件", "4件"]
    assert [t.year for t in first.targets] == [110, 111, 112, 113]
    assert (second.seq, second.eval_system, second.source.lines) == (2, "4", [38, 38])
    assert document.anomalies == []


def test_a_shifted_row_anywhere_is_read_back_and_reported():
    text = made_up(["- (一) 甲目標（業務成果）", "- (二) 乙目標（業務成果）"], [
        row("1", "甲目標（業務成果）", "1", "指標一", "1", "統計數據", "次數", "1次", "1次", "1次", "1次"),
        row("", "", "2", "乙目標(業務成果)", "1", "指標二", "1", "統計數據", "次數", "5次", "6次"),
    ])
    document = keelung.parse(source(text))
    goal = document.chapters[0].goals[1]
    assert (goal.seq, goal.name, goal.perspective) == (2, "乙目標", "業務成果")
    indicator = goal.indicators[0]
    assert (indicator.name, indicator.standard, [t.raw for t in indicator.targets]) == ("指標二", "次數", ["5次", "6次"])
    assert [a.kind for a in document.anomalies] == ["shifted-row"]
    assert "112、113" in document.anomalies[0].message


def test_common_table_is_read_as_common_goals():
    text = made_up(["- (一) 甲目標（業務成果）"], [
        row("1", "甲目標（業務成果）", "1", "指標一", "1", "統計數據", "次數", "1次", "1次", "1次", "1次"),
        [], COMMON.split(T), YEARS.split(T),
        row("1", "約聘僱員額控管（組織學習）", "1", "約聘僱員額成長率", "1", "統計數據", "公式", "0%", "0%", "0%", "0%"),
    ])
    document = keelung.parse(source(text))
    kinds = [(g.kind, g.seq, g.name, g.perspective) for g in document.chapters[0].goals]
    assert kinds == [("key", 1, "甲目標", "業務成果"), ("common", 1, "約聘僱員額控管", "組織學習")]
    # no 參、二 list in this made-up chapter: reported, not guessed
    assert [a.kind for a in document.anomalies] == ["goal-list-mismatch"]


def test_detect_needs_the_tab_separated_kpi_header():
    assert keelung.detect(source(made_up([], [row("1", "甲目標（業務成果）", "1", "指", "1", "統計數據", "x",
                                                  "1", "1", "1", "1")]))) >= 0.9
    assert keelung.detect(source("基隆市政府測試處中程施政計畫（110 至 113 年度）\n序號 關鍵策略目標 編號")) == 0.0


def test_prose_lines_are_joined_only_across_a_page_break():
    from civicplan.importing.tables.keelung_prose import read_blocks

    texts = ["貳、施政重點", "二、環境情勢分析及優先發展課題", "(一) 環境情勢分析", "本市位於臺灣北端，三面環山。",
             "- 1、本市人口結構快速高齡化，長期照顧需求持續增加，為使市民獲得適當長照服務，爰積極推展長照",
             "- 2.0 各項服務。", "- 2、第二項。"]
    blocks = read_blocks([Line(number=i, text=t) for i, t in enumerate(texts, start=1)])
    assert [(b.label, b.heading) for b in blocks] == [("貳、二", "環境情勢分析及優先發展課題")]
    assert [item.text for item in blocks[0].items] == [
        "(一) 環境情勢分析", "本市位於臺灣北端，三面環山。",
        "1、本市人口結構快速高齡化，長期照顧需求持續增加，為使市民獲得適當長照服務，爰積極推展長照2.0 各項服務。",
        "2、第二項。"]
    assert blocks[0].items[2].first == 5 and blocks[0].items[2].last == 6
