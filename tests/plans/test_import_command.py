"""`civicplan import`: summary, --dry-run, --json, repeat imports, changed files, bad files — on the real seeds."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from civicplan.audit.models import AuditEvent
from civicplan.plans.models import AgencyPlan, Goal, Indicator, PlanCycle, PlanImport, Target

pytestmark = pytest.mark.django_db

KEELUNG_111 = ("001_995202fc11adf421.txt", "002_f2147262ea2e9bf5.txt")


def _counts():
    return [m.objects.count() for m in (PlanCycle, AgencyPlan, Goal, Indicator, Target, PlanImport, AuditEvent)]


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("operator", "op@example.org", "x")


def run(*args) -> str:
    out = io.StringIO()
    call_command("import", *map(str, args), stdout=out, stderr=out)
    return out.getvalue()


def test_two_chapter_files_of_one_plan_become_one_cycle(seeds_dir, operator):
    output = run(*(seeds_dir / name for name in KEELUNG_111))
    assert "keelung layout" in output
    cycle = PlanCycle.objects.get()
    assert (cycle.city.name, cycle.start_year, cycle.end_year, cycle.kind) == ("基隆市", 111, 114, "medium-term")
    chapters = {c.agency.name: c for c in cycle.chapters.select_related("agency")}
    assert set(chapters) == {"都市發展處", "綜合發展處"}
    key = {name: (Goal.objects.filter(chapter=c, kind="key").count(),
                  Indicator.objects.filter(goal__chapter=c, goal__kind="key").count()) for name, c in chapters.items()}
    assert key == {"都市發展處": (6, 20), "綜合發展處": (9, 23)}
    assert re.search(r"loaded: 基隆市", output)
    before = _counts()
    again = run(*(seeds_dir / name for name in KEELUNG_111))
    assert "unchanged" in again and _counts() == before


def test_dry_run_writes_nothing_and_json_is_the_interchange_format(seeds_dir, operator, tmp_path):
    before = _counts()
    out = tmp_path / "plan.json"
    output = run(seeds_dir / KEELUNG_111[0], "--dry-run", "--json", out)
    assert "dry run" in output and _counts() == before
    document = json.loads(out.read_text("utf-8"))
    assert document["format"] == "civicplan.plan/1" and document["period"] == {"start": 111, "end": 114}
    assert document["source"]["sha256"] and document["chapters"][0]["agency"] == "都市發展處"
    first = document["chapters"][0]["goals"][0]["indicators"][0]
    assert first["source"]["lines"][0] >= 1 and len(first["targets"]) == 4


def test_a_changed_file_lists_the_differences_and_needs_replace(seeds_dir, operator, tmp_path):
    original = seeds_dir / KEELUNG_111[1]
    run(original)
    text = original.read_text("utf-8")
    cycle = PlanCycle.objects.get()
    target = Target.objects.filter(indicator__goal__chapter__cycle=cycle, raw__regex=r"^[0-9]+").first()
    assert target is not None
    number = re.match(r"\d+", target.raw)[0]
    changed_raw = str(int(number) + 7) + target.raw[len(number):]
    lines = text.split("\n")
    first, last = target.indicator.source_line_start, target.indicator.source_line_end
    for n in range(first - 1, last):
        if target.raw in lines[n]:
            lines[n] = lines[n].replace(target.raw, changed_raw, 1)
            break
    else:
        pytest.fail(f"{target.raw} not on lines {first}–{last}")
    changed = tmp_path / original.name
    changed.write_text("\n".join(lines), "utf-8")
    before = _counts()
    with pytest.raises(CommandError) as error:
        run(changed)
    assert "--replace" in str(error.value) and target.indicator.name in str(error.value)
    assert _counts() == before
    output = run(changed, "--replace")
    assert "replaced" in output
    assert Target.objects.filter(indicator__goal__chapter__cycle=cycle, indicator__name=target.indicator.name,
                                 year=target.year).get().raw in (changed_raw,)


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty"),
    ("junk.txt", bytes(range(256)) * 40, "not text"),
    ("book.pdf", b"this is no pdf", "not a PDF"),
    ("notes.txt", "今天天氣很好。\n明天也是。\n".encode("utf-8"), "plan"),
    ("truncated.txt", None, "no plan tables"),
])
def test_bad_files_get_a_clear_error_and_change_nothing(seeds_dir, operator, tmp_path, name, content, message):
    if content is None:  # the first 60 lines of a book: title and contents, no KPI table
        content = "\n".join((seeds_dir / KEELUNG_111[0]).read_text("utf-8").split("\n")[:60]).encode("utf-8")
    path = tmp_path / name
    path.write_bytes(content)
    before = _counts()
    with pytest.raises(CommandError) as error:
        run(path, "--city", "基隆市", "--period", "111-114")
    assert name in str(error.value) and message in str(error.value)
    assert _counts() == before


def test_period_option_is_checked():
    with pytest.raises(CommandError, match="ROC years"):
        run("x.txt", "--period", "2020")
