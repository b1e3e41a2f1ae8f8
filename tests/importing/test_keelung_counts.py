"""Counts of the Keelung seeds against /work/shared/docs/seeds-keelung.md §3.1 and Appendix A; detection; speed."""

from collections import Counter

import pytest

from civicplan.importing.readers import read_file
from civicplan.importing.tables import keelung
from civicplan.interchange.serialise import from_json, to_dict, to_json

BOOK = "000_f42f77be8cbf6647.txt"
URBAN = "001_995202fc11adf421.txt"
PLANNING = "002_f2147262ea2e9bf5.txt"
OTHERS = ("003_f78f01ac8dc70682.txt", "004_518a493018a85667.txt")

# seeds-keelung.md §3.1: agency → (key goals, KPIs, common indicators), in book order.
PER_AGENCY_000 = {
    "民政處": (10, 28, 3), "財政處": (9, 13, 3), "產業發展處": (14, 32, 3), "教育處": (9, 36, 3),
    "工務處": (8, 11, 3), "觀光及城市行銷處": (9, 20, 3), "交通處": (7, 12, 3), "都市發展處": (9, 29, 3),
    "社會處": (12, 50, 3), "地政處": (7, 14, 3), "綜合發展處": (10, 29, 3), "主計處": (6, 10, 3),
    "人事處": (6, 16, 3), "政風處": (7, 12, 3), "稅務局": (6, 29, 3), "警察局": (6, 13, 3),
    "消防局": (8, 38, 3), "衛生局": (12, 34, 3), "環境保護局": (12, 58, 3), "文化局": (9, 29, 3),
}
# §3.1: goals per 構面 (業務成果/行政效率/服務效能) and KPI rows by the 構面 of their goal, 000 totals.
PERSPECTIVE_GOALS_000 = {"業務成果": 134, "行政效率": 38, "服務效能": 4}
PERSPECTIVE_KPIS_000 = {"業務成果": 417, "行政效率": 88, "服務效能": 8}
# Appendix A: KPIs per goal, in goal order, for the chapters whose goals are numerous or split by page breaks.
KPIS_PER_GOAL = {
    (BOOK, "社會處"): [5, 6, 8, 6, 7, 2, 3, 6, 2, 2, 2, 1],
    (BOOK, "消防局"): [2, 2, 20, 5, 1, 5, 1, 2],
    (BOOK, "衛生局"): [2, 7, 1, 5, 3, 2, 1, 4, 5, 2, 1, 1],
    (BOOK, "環境保護局"): [1, 1, 5, 1, 14, 5, 5, 4, 5, 6, 5, 6],
    (BOOK, "稅務局"): [16, 6, 2, 3, 1, 1],
    (BOOK, "教育處"): [3, 6, 2, 4, 6, 2, 1, 7, 5],
    (URBAN, "都市發展處"): [5, 3, 3, 3, 3, 3],
    (PLANNING, "綜合發展處"): [1, 7, 2, 1, 4, 4, 2, 1, 1],
}
_CACHE: dict = {}


def parse(seeds_dir, name):
    if name not in _CACHE:
        _CACHE[name] = keelung.parse(read_file(seeds_dir / name))
    return _CACHE[name]


def key_goals(chapter):
    return [g for g in chapter.goals if g.kind == "key"]


def common_goals(chapter):
    return [g for g in chapter.goals if g.kind == "common"]


def test_the_book_has_20_agencies_176_goals_513_kpis_and_60_common_indicators(seeds_dir):
    document = parse(seeds_dir, BOOK)
    counts = document.counts()
    assert counts["chapters"] == 20
    assert counts["key_goals"] == 176
    assert counts["key_indicators"] == 513
    assert counts["common_goals"] == 60
    assert counts["common_indicators"] == 60
    assert counts["targets"] == 573 * 4 - 4  # §4.3: 2292 cells, 4 lost by the column shift
    assert document.city == "基隆市" and document.kind == "medium-term"
    assert document.period == {"start": 109, "end": 112}
    assert document.title == "基隆市政府中程施政計畫（109 至 112 年度）"
    assert document.source.file == BOOK and len(document.source.sha256) == 64


def test_every_agency_of_the_book_has_its_documented_counts(seeds_dir):
    chapters = parse(seeds_dir, BOOK).chapters
    assert [c.agency for c in chapters] == list(PER_AGENCY_000)
    for chapter in chapters:
        found = (len(key_goals(chapter)), sum(len(g.indicators) for g in key_goals(chapter)),
                 sum(len(g.indicators) for g in common_goals(chapter)))
        assert found == PER_AGENCY_000[chapter.agency], chapter.agency
        assert len(common_goals(chapter)) == 3, chapter.agency


def test_goals_and_kpis_by_perspective(seeds_dir):
    goals = [g for c in parse(seeds_dir, BOOK).chapters for g in key_goals(c)]
    assert Counter(g.perspective for g in goals) == PERSPECTIVE_GOALS_000
    kpis = Counter()
    for goal in goals:
        kpis[goal.perspective] += len(goal.indicators)
    assert kpis == PERSPECTIVE_KPIS_000
    common = [g.perspective for c in parse(seeds_dir, BOOK).chapters for g in common_goals(c)]
    assert Counter(common) == {"財務管理": 20, "組織學習": 40}


@pytest.mark.parametrize("name,agency,goals,kpis,period", [
    (URBAN, "都市發展處", 6, 20, {"start": 111, "end": 114}),
    (PLANNING, "綜合發展處", 9, 23, {"start": 111, "end": 114}),
])
def test_single_chapter_files(seeds_dir, name, agency, goals, kpis, period):
    document = parse(seeds_dir, name)
    assert [c.agency for c in document.chapters] == [agency]
    chapter = document.chapters[0]
    assert len(key_goals(chapter)) == goals
    assert sum(len(g.indicators) for g in key_goals(chapter)) == kpis
    assert [len(g.indicators) for g in common_goals(chapter)] == [1, 1, 1]
    assert document.period == period
    for goal in chapter.goals:
        for indicator in goal.indicators:
            assert [t.year for t in indicator.targets] == [111, 112, 113, 114]


@pytest.mark.parametrize("key", list(KPIS_PER_GOAL), ids=[f"{f[:3]}-{a}" for f, a in KPIS_PER_GOAL])
def test_kpis_per_goal_follow_appendix_a(seeds_dir, key):
    name, agency = key
    chapter = next(c for c in parse(seeds_dir, name).chapters if c.agency == agency)
    assert [len(g.indicators) for g in key_goals(chapter)] == KPIS_PER_GOAL[key]
    assert [g.seq for g in key_goals(chapter)] == list(range(1, len(KPIS_PER_GOAL[key]) + 1))


def test_eval_codes_and_methods_follow_section_4(seeds_dir):
    """§4.1/§4.2: 評估體制 code and 評估方式 counts of the KPI rows."""
    def tallies(name):
        indicators = [i for c in parse(seeds_dir, name).chapters for g in key_goals(c) for i in g.indicators]
        return Counter(i.eval_system for i in indicators), Counter(i.eval_method for i in indicators)

    systems, methods = tallies(BOOK)
    assert systems == {"1": 493, "2": 8, "3": 2, "4": 8, "5": 2}
    assert methods == {"統計數據": 487, "進度控管": 25, "實地查證": 1}
    assert tallies(URBAN) == ({"1": 7, "2": 2, "4": 11}, {"統計數據": 11, "進度控管": 9})
    assert tallies(PLANNING) == ({"1": 20, "2": 2, "3": 1}, {"統計數據": 22, "實地查證": 1})


def test_every_kpi_has_source_lines_and_one_target_per_year(seeds_dir):
    for name in (BOOK, URBAN, PLANNING):
        document = parse(seeds_dir, name)
        years = list(range(document.period["start"], document.period["end"] + 1))
        for chapter in document.chapters:
            assert chapter.source.file == name and chapter.source.lines[0] < chapter.source.lines[1]
            for goal in chapter.goals:
                assert goal.source.lines[0] <= goal.source.lines[1]
                for indicator in goal.indicators:
                    first, last = indicator.source.lines
                    assert goal.source.lines[0] <= first <= last <= goal.source.lines[1]
                    assert indicator.owners[0].agency == chapter.agency
                    if "shifted" not in indicator.flags:
                        assert [t.year for t in indicator.targets] == years, (chapter.agency, indicator.name)
                    assert all(t.raw and "\t" not in t.raw for t in indicator.targets)


def test_detection(seeds_dir):
    for name in (BOOK, URBAN, PLANNING):
        assert keelung.detect(read_file(seeds_dir / name)) >= 0.9
    for name in OTHERS:
        if (seeds_dir / name).exists():
            assert keelung.detect(read_file(seeds_dir / name)) < 0.2


def test_documents_survive_a_json_round_trip(seeds_dir):
    for name in (BOOK, URBAN, PLANNING):
        document = parse(seeds_dir, name)
        assert to_dict(from_json(to_json(document))) == to_dict(document)
