"""The Chiayi parser against hand-checked agencies and revision rows (fixtures/chiayi_*.json).

The fixtures were written by reading the seed lines, not from parser output. Every goal and KPI row is
compared field by field; the exact-row rate (rows with every field equal) must be 100 %. The book prints no
評估體制, 評估方式, weight or perspective: those fields must stay empty.
"""

import json
from pathlib import Path

import pytest

from civicplan.importing.readers import read_file
from civicplan.importing.tables import chiayi

SEED = "004_518a493018a85667.txt"
FIXTURES = Path(__file__).parent / "fixtures"
AGENCY_FIXTURES = sorted(p for p in FIXTURES.glob("chiayi_*.json") if p.name != "chiayi_revisions.json")
YEARS = [108, 109, 110, 111]


@pytest.fixture(scope="module")
def document(seeds_dir):
    return chiayi.parse(read_file(seeds_dir / SEED))


def _row(goal, indicator) -> dict:
    return {
        "goal": goal.name, "goal_label": goal.label, "goal_lines": goal.source.lines, "perspective": goal.perspective,
        "label": indicator.label, "name": indicator.name, "standard": indicator.standard,
        "eval_system": indicator.eval_system, "eval_method": indicator.eval_method, "weight": indicator.weight,
        "targets": {t.year: t.raw for t in indicator.targets}, "lines": indicator.source.lines,
        "file": indicator.source.file, "second_measure": "second-measure" in indicator.flags,
    }


def _expected(goal: dict, row: dict) -> dict:
    targets = {year: raw for year, raw in zip(YEARS[len(YEARS) - len(row["targets"]):], row["targets"])}
    return {
        "goal": goal["name"], "goal_label": goal["label"], "goal_lines": goal["lines"], "perspective": None,
        "label": row["label"], "name": row["name"], "standard": row["standard"],
        "eval_system": None, "eval_method": None, "weight": None,
        "targets": targets, "lines": row["lines"], "file": SEED,
        "second_measure": "second-measure" in row.get("flags", []),
    }


def test_at_least_three_agencies_are_hand_checked():
    assert len(AGENCY_FIXTURES) >= 3
    agencies = {json.loads(p.read_text(encoding="utf-8"))["agency"] for p in AGENCY_FIXTURES}
    assert "工務處" in agencies  # the KPI with two measure rows
    assert "警察局" in agencies  # numbers split over lines (≧ / 2,000 / 萬筆)


@pytest.mark.parametrize("path", AGENCY_FIXTURES, ids=lambda p: p.stem)
def test_agency_rows_match_the_hand_checked_fixture(document, path):
    fixture = json.loads(path.read_text(encoding="utf-8"))
    chapter = next(c for c in document.chapters if c.agency == fixture["agency"])
    assert [g.label for g in chapter.goals] == [g["label"] for g in fixture["goals"]]
    parsed = [_row(g, i) for g in chapter.goals for i in g.indicators]
    expected = [_expected(g, r) for g in fixture["goals"] for r in g["indicators"]]
    assert len(parsed) == len(expected)
    exact = 0
    mismatches = []
    for got, want in zip(parsed, expected):
        wrong = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
        if wrong:
            mismatches.append((want["name"], wrong))
        else:
            exact += 1
    rate = exact / len(expected)
    print(f"{fixture['agency']}: {exact}/{len(expected)} rows exact ({rate:.0%})")
    assert not mismatches, mismatches
    assert rate == 1.0


def test_revision_rows_match_the_hand_checked_fixture(document):
    fixture = json.loads((FIXTURES / "chiayi_revisions.json").read_text(encoding="utf-8"))
    by_lines = {tuple(r.source.lines): r for r in document.revisions}
    exact = 0
    for row in fixture["revisions"]:
        revision = by_lines.get(tuple(row["lines"]))
        assert revision is not None, f"no revision row at lines {row['lines']}"
        got = {"agency": revision.agency, "goal": revision.goal, "indicator": revision.indicator,
               "standard": revision.standard, "targets": {str(t.year): t.raw for t in revision.targets},
               "reason": revision.reason, "page": revision.page, "file": revision.source.file}
        want = {k: row[k] for k in ("agency", "goal", "indicator", "standard", "targets", "reason", "page")}
        want["file"] = SEED
        assert got == want
        exact += 1
    print(f"revisions: {exact}/{len(fixture['revisions'])} rows exact")
    assert exact == len(fixture["revisions"]) >= 5
