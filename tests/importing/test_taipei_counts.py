"""The Taipei 107 strategy map (seed 003): what the parser finds, counted against the seed analysis.

Expected figures come from /work/shared/docs/seeds-taipei.md (§2.1, §3.3, §3.4), which were counted by hand.
"""

from collections import Counter

import pytest

from civicplan.importing.readers import read_file
from civicplan.importing.tables import taipei
from civicplan.interchange.serialise import from_dict, to_dict

SEED = "003_f78f01ac8dc70682.txt"

# theme: (name, objectives, KPIs, 施政重點, {perspective: (objectives, KPIs)})
THEMES = {
    "A": ("營造永續環境", 15, 33, 14, {"顧客": (4, 12), "內部流程": (6, 16), "學習成長": (2, 2), "財務": (3, 3)}),
    "B": ("健全都市發展", 18, 46, 21, {"顧客": (5, 10), "內部流程": (6, 26), "學習成長": (3, 3), "財務": (4, 7)}),
    "C": ("發展多元文化", 19, 51, 14, {"顧客": (4, 7), "內部流程": (8, 24), "學習成長": (4, 15), "財務": (3, 5)}),
    "D": ("優化產業勞動", 16, 25, 7, {"顧客": (4, 5), "內部流程": (6, 14), "學習成長": (3, 3), "財務": (3, 3)}),
    "E": ("強化社會支持", 16, 35, 6, {"顧客": (4, 11), "內部流程": (6, 17), "學習成長": (3, 3), "財務": (3, 4)}),
    "F": ("打造優質教育", 18, 35, 14, {"顧客": (4, 6), "內部流程": (8, 19), "學習成長": (3, 5), "財務": (3, 5)}),
    "G": ("精進健康安全", 17, 41, 20, {"顧客": (3, 10), "內部流程": (8, 25), "學習成長": (3, 3), "財務": (3, 3)}),
    "H": ("精實良善治理", 20, 40, 12, {"顧客": (5, 10), "內部流程": (7, 14), "學習成長": (4, 8), "財務": (4, 8)}),
    "T": ("共通性參考指標", 14, 28, 0, {"顧客": (4, 9), "學習成長": (5, 11), "財務": (5, 8)}),
}
SEVERAL_OWNERS = {
    "BC4.1": ["交通局", "捷運公司"],
    "BC4.2": ["交通局", "捷運公司"],
    "CC1.1": ["民政局", "文化局", "客委會", "原民會", "捷運公司"],
    "CP6.1": ["民政局", "原民會", "客委會"],
    "EP1.3": ["民政局", "社會局"],
    "EP5.1": ["交通局", "社會局"],
    "EP5.2": ["交通局", "社會局"],
    "EL3.1": ["社會局", "都發局", "衛生局", "勞動局", "交通局"],
    "EF1.1": ["社會局", "都發局", "衛生局", "勞動局"],
    "FP8.1": ["民政局", "原民會", "客委會"],
    "GP5.1": ["衛生局", "社會局"],
    "HL4.1": ["研考會", "公訓處"],
}
WCCD = {"AC4.1": "北水處", "AP2.2": "工務局", "BP4.3": "交通局", "BP5.1": "北水處", "BP6.3": "工務局",
        "BP6.4": "工務局", "BP6.5": "工務局", "BP6.6": "工務局", "BP6.7": "工務局", "FP2.3": "教育局",
        "GC1.2": "衛生局", "GC1.3": "衛生局", "GC2.3": "消防局", "GP7.3": "消防局", "HP7.1": "財政局"}


@pytest.fixture(scope="module")
def source(seeds_dir):
    return read_file(seeds_dir / SEED)


@pytest.fixture(scope="module")
def document(source):
    return taipei.parse(source)


def chapter(document, code):
    return next(c for c in document.chapters if c.theme.code == code)


def indicators(document):
    return [(c, g, i) for c in document.chapters for g in c.goals for i in g.indicators]


def test_document_kind_city_period_and_source(document, source):
    assert (document.kind, document.city) == ("strategy-map", "臺北市")
    assert document.period == {"start": 107, "end": 107}
    assert document.source.file == SEED and document.source.sha256 == source.sha256
    assert [c.theme.code for c in document.chapters] == list("ABCDEFGHT")
    assert all(c.agency is None for c in document.chapters)


@pytest.mark.parametrize("code", list(THEMES))
def test_each_theme_has_the_stated_objectives_kpis_and_priorities(document, code):
    name, goals, kpis, points, by_perspective = THEMES[code]
    found = chapter(document, code)
    assert found.theme.name == name
    assert len(found.goals) == goals
    assert sum(len(g.indicators) for g in found.goals) == kpis
    assert len(found.theme.priorities) == points
    per = Counter()
    for goal in found.goals:
        per[goal.perspective, "goals"] += 1
        per[goal.perspective, "kpis"] += len(goal.indicators)
    perspectives = {g.perspective for g in found.goals}
    assert {p: (per[p, "goals"], per[p, "kpis"]) for p in perspectives} == by_perspective
    if code != "T":
        stated = {"goals": goals, "indicators": kpis, "priorities": points, "table_goals": goals}
        assert found.stated_counts == stated


def test_themes_a_to_h_total_139_objectives_306_kpis_108_priorities(document):
    themes = [c for c in document.chapters if c.theme.code != "T"]
    assert sum(len(c.goals) for c in themes) == 139
    assert sum(len(g.indicators) for c in themes for g in c.goals) == 306
    assert sum(len(c.theme.priorities) for c in themes) == 108
    common = chapter(document, "T")
    assert (len(common.goals), sum(len(g.indicators) for g in common.goals)) == (14, 28)
    assert {g.kind for c in themes for g in c.goals} == {"key"}
    assert {g.kind for g in common.goals} == {"common"}


def test_objective_codes_follow_theme_and_perspective(document):
    letters = {"顧客": "C", "內部流程": "P", "學習成長": "L", "財務": "F"}
    for c in document.chapters:
        for goal in c.goals:
            assert goal.code[:2] == c.theme.code + letters[goal.perspective], goal.code


def test_twelve_kpis_have_several_owners_first_is_lead(document):
    several = {i.code: i for _, _, i in indicators(document) if len(i.owners) > 1}
    assert {code: [o.agency for o in i.owners] for code, i in several.items()} == SEVERAL_OWNERS
    for indicator in several.values():
        assert [o.role for o in indicator.owners] == ["lead"] + ["co"] * (len(indicator.owners) - 1)
    assert all(len(i.owners) >= 1 for _, _, i in indicators(document))


def test_fifteen_wccd_flags_stripped_from_the_owner(document):
    flagged = {i.code: [o.agency for o in i.owners] for _, _, i in indicators(document) if i.wccd}
    assert flagged == {code: [owner] for code, owner in WCCD.items()}
    assert not any("WCCD" in o.agency for _, _, i in indicators(document) for o in i.owners)
    per_theme = Counter(c.theme.code for c, _, i in indicators(document) if i.wccd)
    assert per_theme == {"A": 2, "B": 7, "F": 1, "G": 4, "H": 1}


def test_placeholder_owners_kept_as_printed_and_flagged(document):
    placeholders = Counter(o.agency for _, _, i in indicators(document) for o in i.owners
                           if "placeholder-owner" in i.flags)
    assert placeholders == {"本組成員機關": 10, "本組各機關": 7, "分組各機關": 2}
    for _, goal, indicator in indicators(document):
        if "placeholder-owner" in indicator.flags:
            assert goal.perspective in ("學習成長", "財務")


def test_owner_strings_are_the_37_printed_names(document):
    names = {o.agency for _, _, i in indicators(document) for o in i.owners}
    assert len(names) == 37  # 33 agencies (翡翠局 and 翡管局 both as printed) + 3 placeholders
    assert {"翡翠局", "翡管局"} <= names


def test_every_goal_and_indicator_keeps_its_source(document):
    for c, goal, indicator in indicators(document):
        for source in (goal.source, indicator.source):
            assert source.file == SEED and source.lines and source.lines[0] <= source.lines[1]
        assert c.source.lines[0] <= goal.source.lines[0] <= indicator.source.lines[0] <= c.source.lines[1]


def test_document_round_trips_through_the_interchange_json(document):
    # compact=False: the compact form drops `agency: None`, which from_dict then reports as missing.
    full = to_dict(document, compact=False)
    assert to_dict(from_dict(full), compact=False) == full


def test_detect_fits_only_the_strategy_map(seeds_dir):
    scores = {path.name: taipei.detect(read_file(path)) for path in sorted(seeds_dir.iterdir())
              if path.suffix in (".txt", ".md", ".html")}
    assert scores[SEED] >= 0.9
    assert all(score < 0.3 for name, score in scores.items() if name != SEED), scores
