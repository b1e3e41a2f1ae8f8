"""Round trip: a cycle → JSON → an empty database → JSON again gives the same bytes and the same records.

Runs on whichever database the suite runs on (`make test` runs it on SQLite and on PostgreSQL). The real seed books
are imported with `civicplan import`, exported with `civicplan export data --format json`, the database is emptied
(every plan, report, city and agency) and the JSON imported again with `civicplan import`.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from civicplan.agencies.models import Agency, City, Membership
from civicplan.audit.models import AuditEvent
from civicplan.plans.models import AgencyPlan, Goal, Indicator, PlanCycle, PlanImport, Section, Target, Theme
from civicplan.tracking.models import Measurement, Period, Report

pytestmark = pytest.mark.django_db

SEEDS = {  # seed book → (city, period) of the plan it holds
    "000_f42f77be8cbf6647.txt": ("基隆市", "109-112"),
    "003_f78f01ac8dc70682.txt": ("臺北市", "107"),
    "004_518a493018a85667.txt": ("嘉義市", "108-111"),
}


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("operator", "op@example.org", "x")


def run(command, *args) -> str:
    out = io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=out)
    return out.getvalue()


def export_json(path, *filters) -> bytes:
    run("export", "data", "--format", "json", *filters, "--out", path)
    return path.read_bytes()


def empty_the_database():
    """Every plan, report, city and agency gone (the users stay): an empty database for the second import."""
    AuditEvent.objects.all().delete()
    Measurement.objects.all().delete()
    Report.objects.all().delete()
    Period.objects.all().delete()
    AgencyPlan.objects.all().delete()  # before the strategy maps' themes (PROTECT)
    Theme.objects.all().delete()
    PlanCycle.objects.all().delete()
    Membership.objects.all().delete()
    while Agency.objects.exists():  # children before their parents (PROTECT)
        Agency.objects.filter(children__isnull=True).delete()
    City.objects.all().delete()
    assert not any(m.objects.exists() for m in (City, Agency, PlanCycle, AgencyPlan, Goal, Indicator, Target,
                                                PlanImport))


def records():
    """The plans' records without database ids: what the round trip must give back (more than the JSON shows:
    suggested directions, placeholder owners kept as flags, parsed target values, agencies' order)."""
    rows = []
    indicators = (Indicator.objects.select_related("goal__chapter__cycle__city", "goal__chapter__agency",
                                                   "goal__chapter__theme")
                  .prefetch_related("targets", "ownerships__agency")
                  .order_by("goal__chapter__cycle__start_year", "goal__chapter__order", "-goal__kind", "goal__order",
                            "order", "id"))
    for i in indicators:
        chapter = i.goal.chapter
        rows.append((
            chapter.cycle.city.name, chapter.cycle.kind, chapter.cycle.start_year, str(chapter), chapter.mission,
            chapter.vision, i.goal.kind, i.goal.name, i.goal.perspective, i.goal.label, i.goal.code, i.name, i.label,
            i.code, i.eval_system, i.eval_method, i.standard, i.unit, i.flags, i.direction, i.direction_confirmed,
            str(i.weight), i.wccd, i.source_file, i.source_line_start, i.source_line_end,
            sorted((o.agency.name, o.role) for o in i.ownerships.all()),
            [(t.year, t.raw, str(t.value), t.unit, t.kind, t.comparator, t.cumulative, t.note) for t in i.targets.all()],
        ))
    agencies = list(Agency.objects.order_by("city__name", "order").values_list("city__name", "name", "order"))
    # Ordered down to the section: without it PostgreSQL may join a chapter's sections in any order.
    sections = list(Section.objects.order_by("chapter__cycle__start_year", "chapter__order", "order").values_list(
        "chapter__cycle__start_year", "chapter__order", "order", "label", "heading", "text", "source_line_start"))
    imports = list(PlanImport.objects.order_by("cycle__start_year").values_list("source_file", "sha256",
                                                                                "anomalies", "revisions"))
    return rows, agencies, sections, imports


def assert_same_bytes(first: bytes, second: bytes):
    if first != second:
        import difflib

        diff = difflib.unified_diff(first.decode().splitlines(), second.decode().splitlines(), lineterm="", n=2)
        pytest.fail("the second export differs:\n" + "\n".join(list(diff)[:80]))


@pytest.mark.parametrize("seed", SEEDS)
def test_export_import_export_gives_the_same_json(seeds_dir, operator, tmp_path, seed):
    city, period = SEEDS[seed]
    run("import", seeds_dir / seed)
    first = export_json(tmp_path / "first.json", "--city", city, "--period", period)
    before = records()
    assert len(before[0]) > 100
    empty_the_database()
    output = run("import", tmp_path / "first.json")
    assert "loaded: " in output
    assert_same_bytes(first, export_json(tmp_path / "second.json", "--city", city, "--period", period))
    assert records() == before
    assert "unchanged" in run("import", tmp_path / "first.json"), "the export again changes nothing"


def test_several_plans_round_trip_as_one_array(seeds_dir, operator, tmp_path):
    for seed in SEEDS:
        run("import", seeds_dir / seed)
    first = export_json(tmp_path / "all.json")
    assert [d["city"] for d in json.loads(first)] == sorted(city for city, _period in SEEDS.values())
    before = records()
    empty_the_database()
    output = run("import", tmp_path / "all.json")
    assert output.count("loaded: ") == 3 and PlanCycle.objects.count() == 3
    assert_same_bytes(first, export_json(tmp_path / "again.json"))
    assert records() == before


def test_a_file_of_several_plans_takes_no_city_or_period(seeds_dir, operator, tmp_path):
    for seed in list(SEEDS)[1:]:
        run("import", seeds_dir / seed)
    export_json(tmp_path / "two.json")
    with pytest.raises(CommandError, match="the file holds 2 plans"):
        run("import", tmp_path / "two.json", "--period", "109-112", "--dry-run")
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="holds no plan document"):
        run("import", tmp_path / "empty.json")
    document = json.loads((tmp_path / "two.json").read_text("utf-8"))
    document[1]["chapters"] = "?"
    (tmp_path / "bad.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"plan 2 of 2: document.chapters: expected a list"):
        run("import", tmp_path / "bad.json")
