"""The strategy-map reader on small made-up maps: the rules are general, not tied to the seed's lines."""

from civicplan.importing.document import Line, SourceText
from civicplan.importing.tables import taipei
from civicplan.importing.tables.taipei_rows import clean_cell, split_owners

HEADER = "策略目標\tKPI (關鍵績效指標)\tKPI 主責局處"


def source(*lines: str) -> SourceText:
    return SourceText(name="map.md", sha256="0" * 64, kind="md", encoding="utf-8",
                      lines=[Line(number=n, text=text) for n, text in enumerate(lines, start=1)])


def small_map(*rows: str, stated: str = "共 2 項策略目標、3 項關鍵績效指標以及 1 項施政重點") -> SourceText:
    return source(
        "# 前言", "本府 110 年施政綱要，臺北市。", "",
        "### 一、示範主題 (Q)", f"(一)本項策略主題{stated}，分述如下：", "", HEADER, *rows, "",
        "## (二)示範主題之施政重點", "1、第一項重點。",
    )


def kinds(document):
    return [a.kind for a in document.anomalies]


def test_a_small_map_reads_objectives_kpis_owners_and_priorities():
    doc = taipei.parse(small_map("顧客構面\t\t", "QC1 甲目標\tQC1.1 甲指標\t甲局", "\tQC1.2 乙指標\t乙局 丙局",
                                 "學習成長\t\t", "QL1乙目標\tQL1.1 丙指標\t本組各機關"))
    (chapter,) = doc.chapters
    assert (doc.city, doc.period) == ("臺北市", {"start": 110, "end": 110})
    assert (chapter.theme.code, chapter.theme.name) == ("Q", "示範主題")
    assert [(g.code, g.name, g.perspective) for g in chapter.goals] == [("QC1", "甲目標", "顧客"),
                                                                        ("QL1", "乙目標", "學習成長")]
    owners = chapter.goals[0].indicators[1].owners
    assert [(o.agency, o.role) for o in owners] == [("乙局", "lead"), ("丙局", "co")]
    assert chapter.theme.priorities == ["第一項重點。"]
    assert doc.anomalies == []


def test_stated_counts_that_differ_are_reported_not_repaired():
    doc = taipei.parse(small_map("顧客構面\t\t", "QC1 甲目標\tQC1.1 甲指標\t甲局",
                                 stated="共 2 項策略目標、5 項關鍵績效指標以及 1 項施政重點"))
    mismatches = [a for a in doc.anomalies if a.kind == "count-mismatch"]
    assert len(mismatches) == 2 and all(a.source.lines == [5, 5] for a in mismatches)
    assert len(doc.chapters[0].goals) == 1


def test_a_shifted_row_anywhere_is_read_one_cell_to_the_right():
    doc = taipei.parse(small_map("內部流程\t\t", "QP1 甲目標\tQP1.1 甲指標\t甲局", "QP1.2 乙指標\t乙局\t"))
    indicator = doc.chapters[0].goals[0].indicators[1]
    assert (indicator.code, indicator.name, [o.agency for o in indicator.owners]) == ("QP1.2", "乙指標", ["乙局"])
    assert "shifted-row" in kinds(doc)


def test_code_gaps_wrong_letters_and_duplicates_are_reported():
    doc = taipei.parse(small_map("顧客構面\t\t", "QC1 甲目標\tQC1.1 甲指標\t甲局", "\tQC1.3 乙指標\t甲局",
                                 "QC3 丙目標\tQP3.1 丙指標\t甲局", "財務構面\t\t", "QC4 丁目標\tQF4.1 丙指標\t甲局"))
    found = kinds(doc)
    assert found.count("numbering-gap") == 2  # QC1.3 after QC1.1; objectives QC1, QC3
    assert found.count("code-mismatch") == 3  # QP3.1 under QC3; QC4 under 財務; QF4.1 under QC4
    assert "duplicate-indicator" in found  # 丙指標 twice in one theme


def test_rows_outside_any_objective_are_reported():
    doc = taipei.parse(small_map("顧客構面\t\t", "\tQC1.1 甲指標\t甲局", "\t\t乙局"))
    assert kinds(doc).count("orphan-indicator") == 1 and kinds(doc).count("unread-text") == 1


def test_a_repeated_header_and_blank_lines_do_not_end_the_table():
    doc = taipei.parse(small_map("顧客構面\t\t", "QC1 甲目標\tQC1.1 甲指標\t甲局", "", HEADER, " ",
                                 "\tQC1.2 乙指標\t乙局"))
    assert [i.code for i in doc.chapters[0].goals[0].indicators] == ["QC1.1", "QC1.2"]


def test_owner_cells_split_on_spaces_with_wccd_and_parenthesised_co_owner():
    assert split_owners("甲局(WCCD) 乙處") == [("甲局", None, True), ("乙處", None, False)]
    assert split_owners("衛生局(社會局)") == [("衛生局", None, False), ("社會局", "co", False)]
    assert split_owners("<b>丙會</b>（WCCD）") == [("丙會", None, True)]


def test_name_cells_lose_tags_and_the_spaces_around_subscripts():
    assert clean_cell("CO <sub>2</sub> 排放量") == "CO2排放量"
    assert clean_cell("PM <sub>10</sub> and more") == "PM10 and more"
    assert clean_cell("總金 牌數 2050 願景") == "總金牌數 2050 願景"


def test_detect_rejects_other_layouts():
    assert taipei.detect(source("壹、民政處", "一、目標\t指標\t111年", "1.提升服務\t滿意度\t90%")) == 0
