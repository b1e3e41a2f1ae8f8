"""Loading a plan document: one transaction, errors name the place, the demo sample's facts are intact."""

import copy
import json
from importlib import resources

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicplan.audit.models import Action, AuditEvent
from civicplan.plans.loading import ReplaceNeeded, do_import_plan, do_load_plan
from civicplan.plans.models import AgencyPlan, Goal, Indicator, PlanCycle, Target

pytestmark = pytest.mark.django_db

SMALL = {
    "format": "civicplan.plan/1", "city": "基隆市", "kind": "medium-term", "period": {"start": 111, "end": 114},
    "source": {"file": "plan.txt", "sha256": "0" * 64},
    "chapters": [{
        "agency": "民政", "mission": "m", "vision": "v",
        "goals": [{
            "kind": "key", "seq": 1, "label": "1", "name": "強化里政服務", "perspective": "業務成果",
            "indicators": [{
                "seq": 1, "label": "1", "name": "里鄰建設服務案件數", "eval_system": "1", "eval_method": "統計數據",
                "standard": "年度完成件數", "owners": [{"agency": "民政處", "role": "lead"}],
                "targets": [{"year": 111, "raw": "350件"}, {"year": 112, "raw": "≧1,200"},
                            {"year": 113, "raw": "95%"}, {"year": 114, "raw": "-"}],
                "source": {"file": "plan.txt", "page": 3, "lines": [175, 176]},
            }],
        }],
    }],
}


def _counts():
    return [m.objects.count() for m in (PlanCycle, AgencyPlan, Goal, Indicator, Target, AuditEvent)]


def test_small_document_loads_with_parsed_targets_and_sources(world):
    cycle = do_load_plan(copy.deepcopy(SMALL), actor=world.admin, reason="test")
    chapter = cycle.chapters.get()
    assert chapter.agency == world.civil, "the alias 民政 resolves to 民政處"
    indicator = Indicator.objects.get(goal__chapter=chapter)
    assert indicator.source_label == "plan.txt p. 3 L175–176"
    targets = {t.year: (t.raw, t.kind, t.comparator, str(t.value) if t.value is not None else None, t.unit)
               for t in indicator.targets.all()}
    assert targets == {
        111: ("350件", "quantity", "", "350.0000", "件"),
        112: ("≧1,200", "quantity", "≥", "1200.0000", ""),
        113: ("95%", "percent", "", "95.0000", "%"),
        114: ("-", "none", "", None, ""),
    }
    event = AuditEvent.objects.get(action=Action.PLAN_LOADED)
    assert event.new_values["indicators"] == 1 and event.new_values["targets"] == 4


@pytest.mark.parametrize(
    "path, value, where",
    [
        (("chapters", 0, "goals", 0, "indicators", 0, "targets", 1, "year"), "112", "targets[1].year"),
        (("chapters", 0, "goals", 0, "indicators", 0, "targets", 2, "year"), 130, "targets[2]: year"),
        (("chapters", 0, "goals", 0, "indicators", 0, "eval_system"), "7", "indicators[0]: eval_system"),
        (("chapters", 0, "goals", 0, "perspective"), "顧客", "goals[0]: perspective"),
        (("chapters", 0, "goals", 0, "kind"), "main", "goals[0].kind"),
        (("period", "end"), 100, "document: end_year"),
    ],
)
def test_bad_document_names_the_place_and_loads_nothing(world, path, value, where):
    document = copy.deepcopy(SMALL)
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    before = _counts()
    with pytest.raises(ValidationError) as error:
        do_load_plan(document, actor=world.admin)
    assert where in str(error.value)
    assert _counts() == before


def test_loading_the_same_file_again_changes_nothing(world):
    first = do_import_plan(copy.deepcopy(SMALL), actor=world.admin)
    before = _counts()
    again = do_import_plan(copy.deepcopy(SMALL), actor=world.admin)
    assert (first.status, again.status, again.cycle) == ("loaded", "unchanged", first.cycle)
    assert _counts() == before


def test_a_changed_file_shows_its_differences_and_needs_replace(world):
    cycle = do_load_plan(copy.deepcopy(SMALL), actor=world.admin)
    changed = copy.deepcopy(SMALL)
    changed["source"]["sha256"] = "1" * 64
    changed["chapters"][0]["goals"][0]["indicators"][0]["targets"][1]["raw"] = "≧1,300"
    before = _counts()
    with pytest.raises(ReplaceNeeded) as error:
        do_import_plan(copy.deepcopy(changed), actor=world.admin)
    assert error.value.differences == ["~ 民政處 › 里鄰建設服務案件數 › 112: ≧1,200 → ≧1,300"]
    assert _counts() == before
    result = do_import_plan(copy.deepcopy(changed), actor=world.admin, replace=True, reason="新版")
    assert result.status == "replaced" and result.cycle == cycle
    assert Target.objects.get(indicator__goal__chapter__cycle=cycle, year=112).raw == "≧1,300"
    event = AuditEvent.objects.get(action=Action.PLAN_REPLACED)
    assert event.reason == "新版" and event.new_values["differences"] == error.value.differences


def test_an_approved_cycle_is_never_replaced(world):
    cycle = do_load_plan(copy.deepcopy(SMALL), actor=world.admin)
    PlanCycle.objects.filter(pk=cycle.pk).update(status="approved")
    changed = copy.deepcopy(SMALL)
    changed["source"]["sha256"] = "2" * 64
    changed["chapters"][0]["mission"] = "新使命"
    before = _counts()
    with pytest.raises(PermissionDenied):
        do_import_plan(changed, actor=world.admin, replace=True)
    assert _counts() == before


def test_a_document_without_a_file_hash_is_refused_when_the_cycle_exists(world):
    document = copy.deepcopy(SMALL)
    del document["source"]["sha256"]
    do_load_plan(copy.deepcopy(document), actor=world.admin)
    document["chapters"][0]["vision"] = "新願景"
    before = _counts()
    with pytest.raises(ValidationError) as error:
        do_load_plan(document, actor=world.admin)
    assert "already has this plan" in str(error.value) or "已有此計畫" in str(error.value)
    assert _counts() == before


def test_only_the_city_admin_loads_plans(world):
    before = _counts()
    for user in (world.civil_editor, world.reviewer, world.outsider):
        with pytest.raises(PermissionDenied):
            do_load_plan(copy.deepcopy(SMALL), actor=user)
    assert _counts() == before


def _sample():
    return json.loads(resources.files("civicplan.demo").joinpath("sample_keelung_109_112.json").read_text("utf-8"))


def test_demo_sample_matches_the_seed_book_counts(world):
    """Counts from ../shared/docs/seeds-keelung.md §3.1: 民政處 10 goals / 28 KPIs, 財政處 9 / 13,
    綜合發展處 10 / 29, each with 3 common goals and indicators; four targets per indicator."""
    world.cycle.delete()  # the little world has a 109–112 draft of its own
    cycle = do_load_plan(_sample(), actor=world.admin)
    expected = {"民政處": (10, 28), "財政處": (9, 13), "綜合發展處": (10, 29)}
    found = {}
    for chapter in cycle.chapters.select_related("agency"):
        key = Goal.objects.filter(chapter=chapter, kind="key")
        common = Goal.objects.filter(chapter=chapter, kind="common")
        assert common.count() == 3
        assert Indicator.objects.filter(goal__in=common).count() == 3
        found[chapter.agency.name] = (key.count(), Indicator.objects.filter(goal__in=key).count())
    assert found == expected
    assert not Target.objects.filter(indicator__goal__chapter__cycle=cycle).exclude(year__in=[109, 110, 111, 112]).exists()
    for indicator in Indicator.objects.filter(goal__chapter__cycle=cycle):
        assert indicator.targets.count() == 4
        assert indicator.source_line_start, f"{indicator} keeps its source line"


def test_demo_sample_facts_agree_with_the_seed_file(world, seeds_dir):
    """Each sample KPI's name and targets appear on the seed lines it cites (read from ../shared/seeds)."""
    document = _sample()
    lines = (seeds_dir / document["source"]["file"]).read_text("utf-8").split("\n")
    checked = 0
    for chapter in document["chapters"]:
        for goal in chapter["goals"]:
            for indicator in goal["indicators"]:
                first, last = indicator["source"]["lines"]
                text = "".join(lines[first - 1:last]).replace(" ", "").replace("\t", "")
                for target in indicator["targets"]:
                    assert target["raw"].replace(" ", "") in text, (indicator["name"], target, first)
                checked += 1
    assert checked == 28 + 13 + 29 + 9


def test_a_file_with_another_chapter_of_the_cycle_adds_it(world):
    """A book may come as one file per chapter (Keelung 111–114: 都市發展處 and 綜合發展處 files)."""
    cycle = do_load_plan(copy.deepcopy(SMALL), actor=world.admin)
    other = copy.deepcopy(SMALL)
    other["source"]["sha256"] = "3" * 64
    other["chapters"][0]["agency"] = "財政處"
    result = do_import_plan(other, actor=world.admin)
    assert (result.status, result.cycle) == ("extended", cycle)
    assert sorted(cycle.chapters.values_list("agency__name", flat=True)) == ["民政處", "財政處"]
    assert do_import_plan(copy.deepcopy(other), actor=world.admin).status == "unchanged"


def test_a_direction_is_suggested_on_import_and_confirmed_by_a_person(world):
    from civicplan.plans.services import do_update_indicator

    document = copy.deepcopy(SMALL)
    kpi = document["chapters"][0]["goals"][0]["indicators"][0]
    kpi.update(name="公文結案天數", standard="公文平均結案天數", targets=[{"year": 111, "raw": "2天"}])
    cycle = do_load_plan(document, actor=world.admin)
    indicator = Indicator.objects.get(goal__chapter__cycle=cycle)
    assert (indicator.direction, indicator.direction_confirmed) == ("lower", False)
    do_update_indicator(indicator, changes={"direction": "lower"}, expected_version=indicator.version,
                        reason="確認方向", actor=world.admin)
    assert Indicator.objects.get(pk=indicator.pk).direction_confirmed
