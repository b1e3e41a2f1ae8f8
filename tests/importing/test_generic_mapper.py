"""The generic table mapper's rules, one behaviour per test, on small tables typed in the test."""

from __future__ import annotations


import docx
import pytest

from civicplan.importing.readers import read_bytes, read_file
from civicplan.importing.tables import generic
from civicplan.importing.tables.generic_columns import column_role, parse_year, split_name

TITLE = "基隆市政府109至112年度中程施政計畫"
HEADER = "序號\t關鍵策略目標\t編號\t關鍵績效指標\t評估體制\t評估方式\t衡量標準\t109\t110"


def parse_text(text: str, name: str = "plan.txt"):
    return generic.parse(read_bytes(text.encode("utf-8"), name))


def kinds(document) -> list[str]:
    return [a.kind for a in document.anomalies]


@pytest.mark.parametrize("cell, role", [
    ("關鍵策略目標", "goal"), ("策略績效目標", "goal"), ("策略目標", "goal"), ("共同性目標", "goal"),
    ("構面", "perspective"), ("關鍵績效指標", "indicator"), ("衡量指標", "indicator"), ("績效指標", "indicator"),
    ("KPI (關鍵績效指標)", "indicator"), ("評估體制", "eval_system"), ("評估方式", "eval_method"),
    ("衡量標準", "standard"), ("衡量標準（計算公式）", "standard"), ("年度目標值", "targets"),
    ("年度績效目標值", "targets"), ("KPI 主責局處", "owner"), ("權重", "weight"), ("序號", "label"),
    ("編 號", "label"), ("辦理各區里鄰工程件數執行合計數並達成年度目標", None),
])
def test_header_cells_name_their_columns(cell, role):
    assert column_role(cell) == role


@pytest.mark.parametrize("cell, year", [
    ("109", 109), ("110年", 110), ("109年度", 109), ("111 年", 111), ("(112)", 112), ("2020", 109),
    ("109年度目標值", 109), ("100%", None), ("350件", None), ("9", None),
])
def test_year_columns(cell, year):
    assert parse_year(cell) == year


@pytest.mark.parametrize("printed, expected", [
    ("推展會展活動(6%)", ("推展會展活動", None, 6.0)),
    ("推展會展活動（2.5％）", ("推展會展活動", None, 2.5)),
    ("零星工程（業務成果）", ("零星工程", "業務成果", None)),
    ("零星工程(業務成果)(10%)", ("零星工程", "業務成果", 10.0)),
    ("辦理原住民豐年祭（含離島）", ("辦理原住民豐年祭（含離島）", None, None)),
])
def test_weights_and_perspective_tags_leave_the_name(printed, expected):
    assert split_name(printed) == expected


def test_weights_printed_in_indicator_names_become_weights():
    document = parse_text(f"{TITLE}\n觀光處\n關鍵策略目標\t關鍵績效指標\t衡量標準\t109年\n"
                          "發展觀光(30%)\t推展會展活動(6%)\t場次\t4場\n\t行銷活動（4%）\t場次\t2場\n")
    goal = document.chapters[0].goals[0]
    assert (goal.name, goal.flags) == ("發展觀光", ["weight:30%"])
    assert [(i.name, i.weight) for i in goal.indicators] == [("推展會展活動", 6.0), ("行銷活動", 4.0)]


def test_a_weight_column_gives_the_weight():
    document = parse_text(f"{TITLE}\n觀光處\n策略目標\t衡量指標\t權重\t衡量標準\t110年度\n甲\t乙\t15%\t丙\t1\n")
    assert next(document.indicators()).weight == 15.0


@pytest.mark.parametrize("heading", [
    "民政處", "第一章 民政處", "# 民政處", "## 第1章 民政處", "壹、民政處", "一、民政處",
    "基隆市政府民政處中程施政計畫（109 至 112 年度）", "民政處109至112年度中程施政計畫",
])
def test_agency_headings_before_the_table_name_the_chapter(heading):
    document = parse_text(f"{TITLE}\n\n{heading}\n\n{HEADER}\n一\t零星工程\t1\t各區里基礎零星工程\t1\t統計數據\t件數\t350件\t350件\n",
                          "plan.md" if heading.startswith("#") else "plan.txt")
    assert [c.agency for c in document.chapters] == ["民政處"]
    assert document.chapters[0].source.lines == [3, 6]
    assert document.anomalies == []


def test_wrapped_prose_ending_like_an_agency_does_not_rename_the_chapter():
    text = (f"{TITLE}\n基隆市政府民政處中程施政計畫\n為落實政策，本府持續推動\n各項便民措施之處\n"
            f"{HEADER}\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n")
    assert [c.agency for c in parse_text(text).chapters] == ["民政處"]


def test_title_gives_city_period_and_kind():
    document = parse_text(f"{TITLE}\n民政處\n{HEADER}\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n")
    assert (document.city, document.kind, document.period, document.title) == (
        "基隆市", "medium-term", {"start": 109, "end": 112}, TITLE)
    document = parse_text("臺北市政府110年度施政計畫\n民政處\n"
                          "策略目標\t關鍵績效指標\t衡量標準\t110年\n甲\t乙\t丙\t1\n")
    assert (document.city, document.kind, document.period) == ("臺北市", "annual", {"start": 110, "end": 110})


def test_without_a_title_the_caller_must_give_city_and_period():
    document = parse_text(f"民政處\n{HEADER}\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n")
    assert (document.city, document.period) == ("", {"start": 0, "end": 0})
    (anomaly,) = document.anomalies
    assert anomaly.kind == "missing-metadata" and "--city" in anomaly.message and "period" in anomaly.message


def test_a_table_without_an_agency_heading_is_reported():
    document = parse_text(f"{TITLE}\n{HEADER}\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n")
    assert [c.agency for c in document.chapters] == [None]
    assert kinds(document) == ["missing-metadata"] and document.anomalies[0].source.lines == [2, 2]


def test_an_empty_goal_cell_continues_the_goal_and_a_new_goal_starts_a_new_one():
    document = parse_text(f"{TITLE}\n民政處\n{HEADER}\n"
                          "一\t甲目標（業務成果）\t1\t指標一\t1\t統計數據\t件數\t1件\t2件\n"
                          "\t\t2\t指標二\t2\t實地查證\t次數\t3次\t4次\n"
                          "二\t乙目標（行政效率）\t1\t指標三\t1\t統計數據\t人數\t5人\t6人\n")
    goals = document.chapters[0].goals
    assert [(g.seq, g.label, g.name, g.perspective, [i.name for i in g.indicators]) for g in goals] == [
        (1, "一", "甲目標", "業務成果", ["指標一", "指標二"]), (2, "二", "乙目標", "行政效率", ["指標三"])]
    second = goals[0].indicators[1]
    assert (second.seq, second.label, second.eval_system, second.eval_method, second.standard) == (
        2, "2", "2", "實地查證", "次數")
    assert [(t.year, t.raw) for t in second.targets] == [(109, "3次"), (110, "4次")]
    assert (second.source.lines, goals[0].source.lines, second.owners[0].agency) == ([5, 5], [4, 5], "民政處")


def test_a_row_without_an_indicator_number_continues_the_indicator_above():
    document = parse_text(f"{TITLE}\n民政處\n{HEADER}\n"
                          "一\t普及原住民族教育、培育原住民專業人才\t1\t辦理原住民豐年祭\t1\t統計數據\t辦理8場次\t100%\t100%\n"
                          "\t暨促進生活及經濟條件改善（業務成果）\t\t等傳統文化活動\t\t\t以上。\t\t\n")
    goal = document.chapters[0].goals[0]
    (indicator,) = goal.indicators
    assert (goal.name, goal.perspective) == ("普及原住民族教育、培育原住民專業人才暨促進生活及經濟條件改善", "業務成果")
    assert (indicator.name, indicator.standard, indicator.source.lines) == (
        "辦理原住民豐年祭等傳統文化活動", "辦理8場次以上。", [4, 5])
    assert "continued" in indicator.flags


def test_a_goal_cell_without_its_number_continues_the_goal_name_across_a_page():
    document = parse_text(f"{TITLE}\n民政處\n{HEADER}\n"
                          "4\t普及原住民族教育、培育原住民專業人才、提升原住民職場競爭力暨促進生活及經濟\t1\t甲\t1\t統計數據\t丙\t1\t1\n"
                          "\n- 5 -\n\n" + HEADER + "\n"
                          "\t條件改善（業務成果）\t2\t乙\t1\t統計數據\t丁\t2\t2\n")
    (goal,) = document.chapters[0].goals
    assert goal.name == "普及原住民族教育、培育原住民專業人才、提升原住民職場競爭力暨促進生活及經濟條件改善"
    assert (goal.perspective, [i.name for i in goal.indicators]) == ("業務成果", ["甲", "乙"])


def test_key_and_common_goals_are_told_apart_and_numbered_through():
    document = parse_text(f"{TITLE}\n民政處\n{HEADER}\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n\n"
                          "四、共同性指標、衡量標準及年度目標值\n"
                          "序號\t共同性目標\t編號\t共同性指標\t評估體制\t評估方式\t衡量標準\t109\t110\n"
                          "一\t節約政府支出\t1\t賸餘數百分比\t1\t統計數據\t公式\t2%\t2%\n")
    assert [(g.kind, g.seq, g.label) for g in document.chapters[0].goals] == [("key", 1, "一"), ("common", 2, "一")]


def test_a_header_naming_key_goals_wins_over_a_common_heading_above_it():
    document = parse_text(f"{TITLE}\n民政處\n共同性目標說明\n{HEADER}\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n")
    assert document.chapters[0].goals[0].kind == "key"
    document = parse_text(f"{TITLE}\n民政處\n共同性指標\n策略目標\t績效指標\t衡量標準\t109\n甲\t乙\t丙\t1\n")
    assert document.chapters[0].goals[0].kind == "common"


def test_perspective_column_carries_over_merged_cells():
    document = parse_text(f"{TITLE}\n民政處\n構面\t策略目標\t關鍵績效指標\t衡量標準\t109年\n"
                          "顧客\t甲\t乙\t丙\t1\n\t丁\t戊\t己\t2\n財務\t庚\t辛\t壬\t3\n")
    assert [(g.name, g.perspective) for g in document.chapters[0].goals] == [
        ("甲", "顧客"), ("丁", "顧客"), ("庚", "財務")]


def test_owner_column_names_owners_and_wccd():
    document = parse_text(f"{TITLE}\n環保局\n策略目標\tKPI (關鍵績效指標)\tKPI 主責局處\t衡量標準\t109年\n"
                          "減少資源耗用\t每人每日生活用水量\t北水處(WCCD)、環保局\t公升\t200\n")
    indicator = next(document.indicators())
    assert [(o.agency, o.role) for o in indicator.owners] == [("北水處", "lead"), ("環保局", "co")]
    assert indicator.wccd


def test_a_row_with_cells_lost_or_shifted_is_reported():
    document = parse_text(f"{TITLE}\n民政處\n{HEADER}\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n"
                          "\t\t2\t丁\t1\t統計數據\t戊\t1\n")
    shifted = [a for a in document.anomalies if a.kind == "shifted-row"]
    assert len(shifted) == 1 and shifted[0].source.lines == [5, 5] and "lost" in shifted[0].message
    missing = [a for a in document.anomalies if a.kind == "missing-target"]
    assert len(missing) == 1 and "110" in missing[0].message


def test_a_markdown_table_with_a_two_row_header_and_escaped_pipes():
    document = parse_text(f"# {TITLE}\n\n## 民政處\n\n"
                          "| 關鍵策略目標 | 關鍵績效指標 | 衡量標準 | 年度目標值 | |\n|---|---|---|---|---|\n"
                          "| | | | 2020 | 2021 |\n"
                          "| **甲** | A\\|B 指標 | 第一行<br>第二行 | 1 | 2 |\n", "plan.md")
    indicator = next(document.indicators())
    assert (indicator.name, indicator.standard) == ("A|B 指標", "第一行第二行")
    assert [(t.year, t.raw) for t in indicator.targets] == [(109, "1"), (110, "2")]
    assert document.chapters[0].goals[0].name == "甲"


def test_a_table_without_header_after_text_is_not_a_continuation():
    document = parse_text(f"{TITLE}\n民政處\n{HEADER}\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n\n"
                          "註：評估體制之數字代號意義如下\n\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n")
    assert len(list(document.indicators())) == 1


def test_a_docx_table_with_a_merged_year_header_and_merged_goals(tmp_path):
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_heading("財政處", 1)
    table = document.add_table(rows=5, cols=5)
    for column, text in enumerate(["策略績效目標", "績效指標", "衡量標準"]):
        table.cell(0, column).merge(table.cell(1, column)).text = text
    table.cell(0, 3).merge(table.cell(0, 4)).text = "年度目標值"
    table.cell(1, 3).text, table.cell(1, 4).text = "111年", "112年"
    for row, cells in enumerate([["甲", "乙", "丙", "1", "2"], ["", "丁", "戊", "3", "4"], ["己", "庚", "辛", "5", "6"]],
                                start=2):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    table.cell(2, 0).merge(table.cell(3, 0)).text = "甲"
    path = tmp_path / "merged.docx"
    document.save(path)
    parsed = generic.parse(read_file(path))
    assert [(g.name, [(i.name, [(t.year, t.raw) for t in i.targets]) for i in g.indicators])
            for g in parsed.chapters[0].goals] == [
        ("甲", [("乙", [(111, "1"), (112, "2")]), ("丁", [(111, "3"), (112, "4")])]),
        ("己", [("庚", [(111, "5"), (112, "6")])])]
    assert parsed.anomalies == []


def test_detect_prefers_real_tables_and_ignores_files_without_kpi_tables():
    kpi = f"{TITLE}\n民政處\n{HEADER}\n一\t甲\t1\t乙\t1\t統計數據\t丙\t1\t1\n"
    assert generic.detect(read_bytes(kpi.encode(), "a.txt")) == 0.45
    pipe = kpi.replace("\t", " | ").replace("\n一", "\n|---|---|---|---|---|---|---|---|---|\n一")
    assert generic.detect(read_bytes(pipe.encode(), "a.md")) == 0.85
    html = "<h1>民政處</h1><table><tr><th>策略目標</th><th>關鍵績效指標</th><th>衡量標準</th><th>109</th></tr></table>"
    assert generic.detect(read_bytes(html.encode(), "a.html")) == 0.9
    assert generic.detect(read_bytes("民政處\n一、使命\n為民服務\n".encode(), "b.txt")) == 0.0


def test_the_seed_books_are_left_to_their_family_parsers(seeds_dir):
    """(Speed is measured by bench/import.py, not here.)"""
    for path in sorted(seeds_dir.glob("*.txt")):
        source = read_file(path)
        assert generic.detect(source) <= 0.45  # the family parsers claim these books with more confidence
        generic.parse(source)
