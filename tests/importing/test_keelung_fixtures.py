"""The Keelung parser against hand-checked chapters (tests/importing/fixtures/keelung_*.json), field by field.

The fixtures were written from the seed lines by hand (not from parser output): every KPI's goal, 構面, name,
評估體制, 評估方式, 衡量標準, each year's target as printed and the source lines. `null` marks a target the
source does not have (lost by the conversion).
"""

import json
from pathlib import Path

import pytest

from civicplan.importing.readers import read_file
from civicplan.importing.tables import keelung

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("keelung_*.json"))
_PARSED: dict = {}


def parsed(seeds_dir, name):
    if name not in _PARSED:
        _PARSED[name] = keelung.parse(read_file(seeds_dir / name))
    return _PARSED[name]


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def row_differences(expected_goal, goal, expected, indicator, years):
    """Every field of one KPI row that differs: [(field, expected, found)]."""
    found_targets = {t.year: t.raw for t in indicator.targets}
    pairs = [
        ("goal name", expected_goal["name"], goal.name),
        ("perspective", expected_goal["perspective"], goal.perspective),
        ("name", expected["name"], indicator.name),
        ("eval_system", expected["eval_system"], indicator.eval_system),
        ("eval_method", expected["eval_method"], indicator.eval_method),
        ("standard", expected["standard"], indicator.standard),
        ("lines", expected["lines"], indicator.source.lines),
        ("file", None, None),
    ]
    pairs += [(f"target {year}", raw, found_targets.get(year)) for year, raw in zip(years, expected["targets"])]
    pairs.append(("target years", sorted(y for y, r in zip(years, expected["targets"]) if r is not None),
                  sorted(found_targets)))
    return [(what, want, got) for what, want, got in pairs if want != got]


def compare(seeds_dir, fixture):
    document = parsed(seeds_dir, fixture["file"])
    chapter = next(c for c in document.chapters if c.agency == fixture["agency"])
    problems, rows, exact = [], 0, 0
    goals = {(g.kind, g.seq): g for g in chapter.goals}
    assert len(chapter.goals) == len(fixture["goals"]), "number of goals"
    for expected_goal in fixture["goals"]:
        goal = goals[(expected_goal["kind"], expected_goal["seq"])]
        if goal.source.lines != expected_goal["lines"]:
            problems.append((goal.name, "goal lines", expected_goal["lines"], goal.source.lines))
        assert goal.source.file == fixture["file"]
        assert len(goal.indicators) == len(expected_goal["indicators"]), f"indicators of {goal.name}"
        for expected, indicator in zip(expected_goal["indicators"], goal.indicators):
            assert indicator.seq == expected["seq"]
            assert indicator.source.file == fixture["file"]
            rows += 1
            differences = row_differences(expected_goal, goal, expected, indicator, fixture["years"])
            if differences:
                problems += [(f"{goal.kind} {goal.seq}.{indicator.seq}", *d) for d in differences]
            else:
                exact += 1
    return rows, exact, problems


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_chapter_matches_hand_checked_fixture(seeds_dir, path):
    fixture = load(path)
    rows, exact, problems = compare(seeds_dir, fixture)
    print(f"{fixture['agency']} ({fixture['file']}): {exact}/{rows} KPI rows exact ({exact / rows:.1%})")
    assert problems == []
    assert exact == rows


def test_fixtures_cover_three_chapters_and_every_row_is_exact(seeds_dir):
    assert len(FIXTURES) >= 3
    total = exact = 0
    for path in FIXTURES:
        rows, good, _ = compare(seeds_dir, load(path))
        total += rows
        exact += good
    print(f"Keelung fixtures: {exact}/{total} KPI rows exact ({exact / total:.1%})")
    assert total >= 100
    assert exact == total


def test_lost_targets_are_absent_and_flagged(seeds_dir):
    """衛生局 9.1 and 10.1: the conversion dropped the 111/112 cells; nothing is invented for them."""
    document = parsed(seeds_dir, "000_f42f77be8cbf6647.txt")
    chapter = next(c for c in document.chapters if c.agency == "衛生局")
    for seq in (9, 10):
        indicator = next(g for g in chapter.goals if g.kind == "key" and g.seq == seq).indicators[0]
        assert [t.year for t in indicator.targets] == [109, 110]
        assert {"shifted", "target-missing:111", "target-missing:112"} <= set(indicator.flags)


def test_the_comparison_notices_a_changed_field(seeds_dir):
    fixture = load(FIXTURES[0])
    fixture["goals"][0]["indicators"][0]["targets"][0] = "99%"
    fixture["goals"][0]["indicators"][0]["standard"] += "。"
    rows, exact, problems = compare(seeds_dir, fixture)
    assert exact == rows - 1
    assert {p[1] for p in problems} == {"standard", f"target {fixture['years'][0]}"}
