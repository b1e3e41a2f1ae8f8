"""Chiayi 108–111 book (seed 004): what the parser finds against the hand-verified counts of seeds-chiayi.md §3, §5.2."""

from collections import Counter

import pytest

from civicplan.importing.readers import read_file
from civicplan.importing.tables import chiayi

SEED = "004_518a493018a85667.txt"

# agency: KPIs per goal in goal order 一…七 (measure rows; 工務處 goal 五 is one KPI printed with two measures)
PER_GOAL = {
    "民政處": [1, 2, 2, 2, 2, 2, 2], "建設處": [1, 1, 2, 2, 1, 2, 1], "教育處": [1, 1, 1, 1, 2, 1, 1],
    "工務處": [2, 2, 2, 2, 2, 2], "都市發展處": [2, 2, 2, 2, 2, 2, 2], "觀光新聞處": [1, 2, 1, 1, 2],
    "社會處": [2, 2, 2, 2, 2, 1, 2], "地政處": [1, 1, 2, 1, 1, 1, 1], "行政處": [1] * 7, "交通處": [1] * 7,
    "智慧科技處": [1, 2, 1, 1, 2, 2], "主計處": [1, 2, 2, 2, 1, 1], "人事處": [2] * 6, "政風處": [1, 1, 2, 1, 1],
    "文化局": [2, 2, 2, 1, 2, 2, 2], "財政稅務局": [2, 1, 2, 1, 2, 1, 2], "衛生局": [2, 1, 1, 1, 1, 2, 2],
    "環境保護局": [1, 2, 1, 1, 2], "警察局": [2, 1, 1, 1, 2, 1, 1], "消防局": [2, 2, 1, 1, 2, 2, 2],
}
KPIS = {"工務處": 11}  # where KPIs differ from measure rows
WITHOUT_108 = {"建設處": 2, "都市發展處": 3, "觀光新聞處": 1, "社會處": 2, "地政處": 2, "交通處": 1, "智慧科技處": 2,
               "主計處": 1, "文化局": 2, "財政稅務局": 1, "衛生局": 6, "警察局": 4, "消防局": 2}
REVISIONS = {"民政處": 2, "工務處": 5, "都市發展處": 1, "觀光新聞處": 5, "社會處": 9, "地政處": 6, "交通處": 3,
             "智慧科技處": 3, "主計處": 1, "文化局": 4, "財政稅務局": 11, "衛生局": 1, "環境保護局": 3, "警察局": 5,
             "消防局": 2}


@pytest.fixture(scope="module")
def source(seeds_dir):
    return read_file(seeds_dir / SEED)


@pytest.fixture(scope="module")
def document(source):
    return chiayi.parse(source)


def _kpis(chapter) -> int:
    """Distinct KPIs: a second measure row of the same KPI is not another KPI."""
    return sum(1 for g in chapter.goals for i in g.indicators if "second-measure" not in i.flags)


def test_detects_its_own_layout_and_not_the_others(seeds_dir, source):
    assert chiayi.detect(source) >= 0.9
    for other in ("000_f42f77be8cbf6647.txt", "001_995202fc11adf421.txt", "002_f2147262ea2e9bf5.txt",
                  "003_f78f01ac8dc70682.txt"):
        assert chiayi.detect(read_file(seeds_dir / other)) < 0.5, other


def test_document_header(document):
    assert document.city == "嘉義市"
    assert document.kind == "medium-term"
    assert document.period == {"start": 108, "end": 111}
    assert document.source.file == SEED and document.source.sha256


def test_twenty_agencies_130_goals_196_kpis_197_measure_rows(document):
    assert [c.agency for c in document.chapters] == list(PER_GOAL)
    goals = [g for c in document.chapters for g in c.goals]
    assert len(goals) == 130
    assert all(g.kind == "key" for g in goals)
    assert sum(_kpis(c) for c in document.chapters) == 196
    assert len(list(document.indicators())) == 197
    assert document.counts()["targets"] == 197 * 4 - 2  # 觀光新聞處 五-2 prints nothing for 108 and 109


@pytest.mark.parametrize("agency", list(PER_GOAL))
def test_per_agency_goals_and_kpis(document, agency):
    chapter = next(c for c in document.chapters if c.agency == agency)
    assert [len(g.indicators) for g in chapter.goals] == PER_GOAL[agency]
    assert [g.label for g in chapter.goals] == list("一二三四五六七")[:len(PER_GOAL[agency])]
    assert _kpis(chapter) == KPIS.get(agency, sum(PER_GOAL[agency]))
    without_108 = sum(1 for g in chapter.goals for i in g.indicators
                      if not any(t.year == 108 and t.raw.strip("-－ ") and "籌備" not in t.raw for t in i.targets))
    assert without_108 == WITHOUT_108.get(agency, 0)


def test_every_chapter_has_its_six_subsections(document):
    for chapter in document.chapters:
        assert [s.label for s in chapter.sections] == ["壹、一", "壹、二", "貳、一", "貳、二", "參、一"], chapter.agency
        assert chapter.mission and chapter.vision and chapter.priorities, chapter.agency
        assert all(s.text and s.source.lines for s in chapter.sections), chapter.agency


def test_every_row_has_four_years_of_targets_and_a_source(document):
    for chapter in document.chapters:
        for goal in chapter.goals:
            assert goal.name and goal.source.file == SEED and goal.source.lines
            for indicator in goal.indicators:
                assert indicator.name and indicator.standard, (chapter.agency, goal.label)
                assert indicator.source.lines[0] <= indicator.source.lines[1]
                assert goal.source.lines[0] < indicator.source.lines[1]
                years = [t.year for t in indicator.targets]
                assert years == [108, 109, 110, 111] or "blank-targets" in indicator.flags, indicator.name
                assert all(t.raw for t in indicator.targets)


def test_61_revision_rows_from_15_agencies(document):
    assert len(document.revisions) == 61
    assert Counter(r.agency for r in document.revisions) == REVISIONS
    assert all(r.goal and r.indicator and r.source.lines for r in document.revisions)
    pages = [r.page for r in document.revisions if r.page]
    assert all(p.startswith("P") for p in pages)
    assert len(pages) == 36  # 36 page references for 61 rows: a merged page cell is printed once


def test_the_appendix_contradictions_are_reported(document):
    contradictions = [a for a in document.anomalies if a.kind == "appendix-contradicts-body"]
    assert len(contradictions) == 2
    works = next(a for a in contradictions if "工務處" in a.message)
    assert "36.5%" in works.message and "35.5%" in works.message and "110年" in works.message
    assert works.source.lines == [10908, 10935]
    land = next(a for a in contradictions if "地政處" in a.message)
    assert "108年 body 90% vs appendix -" in land.message


def test_anomaly_kinds(document):
    kinds = Counter(a.kind for a in document.anomalies)
    print(dict(kinds))
    assert kinds["appendix-contradicts-body"] == 2
    assert kinds["conversion-debris"] == 6
    assert kinds["swapped-columns"] == 1
    assert kinds["blank-cells"] >= 1
    assert all(a.source.file == SEED and a.source.lines for a in document.anomalies)
