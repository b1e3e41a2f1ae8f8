"""The parser against hand-checked themes of the Taipei 107 strategy map (fixtures/taipei_*.json).

The fixtures were written by reading the seed lines, not from parser output. Every objective and KPI is
compared field by field; the exact-row rate (KPI rows with every field equal) must be 100 %.
"""

import json
from pathlib import Path

import pytest

from civicplan.importing.readers import read_file
from civicplan.importing.tables import taipei

SEED = "003_f78f01ac8dc70682.txt"
FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("taipei_*.json"))


@pytest.fixture(scope="module")
def document(seeds_dir):
    return taipei.parse(read_file(seeds_dir / SEED))


def _indicator_fields(indicator) -> dict:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "owners": [[o.agency, o.role] for o in indicator.owners],
        "wccd": indicator.wccd,
        "lines": indicator.source.lines,
        "targets": [{"year": t.year, "raw": t.raw} for t in indicator.targets],
        "file": indicator.source.file,
        # nothing else is printed in a strategy map
        "eval_system": indicator.eval_system,
        "eval_method": indicator.eval_method,
        "standard": indicator.standard,
    }


def _expected_fields(row: dict) -> dict:
    return {
        "code": row["code"], "name": row["name"], "owners": row["owners"], "wccd": row["wccd"],
        "lines": row["lines"], "targets": row.get("targets", []), "file": SEED,
        "eval_system": None, "eval_method": None, "standard": "",
    }


def test_at_least_three_themes_are_hand_checked():
    assert len(FIXTURES) >= 3


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_theme_matches_hand_checked_fixture(document, path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    theme = expected["theme"]
    chapter = next(c for c in document.chapters if c.theme.code == theme["code"])
    assert chapter.theme.name == theme["name"]
    assert chapter.source.lines == theme["lines"]
    assert chapter.stated_counts == theme["stated_counts"]
    assert len(chapter.theme.priorities) == theme["priorities"]
    assert [g.code for g in chapter.goals] == [g["code"] for g in expected["goals"]]

    rows = exact = 0
    mismatches = []
    for goal, want in zip(chapter.goals, expected["goals"], strict=True):
        assert (goal.kind, goal.code, goal.name, goal.perspective, goal.source.lines) == (
            theme["kind"], want["code"], want["name"], want["perspective"], want["lines"]), want["code"]
        assert len(goal.indicators) == len(want["indicators"]), want["code"]
        pairs = zip(goal.indicators, want["indicators"], strict=True)
        for seq, (indicator, row) in enumerate(pairs, start=1):
            assert indicator.seq == seq
            got, wanted = _indicator_fields(indicator), _expected_fields(row)
            rows += 1
            if got == wanted:
                exact += 1
            else:
                differ = {k: (got[k], wanted[k]) for k in wanted if got[k] != wanted[k]}
                mismatches.append({"at": row["code"], **differ})
    print(f"{path.stem}: {exact}/{rows} KPI rows exact ({100 * exact / rows:.1f} %)")
    assert not mismatches, mismatches
    assert exact == rows
