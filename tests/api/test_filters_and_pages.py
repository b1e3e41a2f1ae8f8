"""Filters, pages and bad input on the list endpoints (results asserted, not just status codes)."""

import pytest

from civicplan.plans.models import ChapterStatus, CycleStatus, GoalKind, IndicatorOwner, OwnerRole, PlanKind
from tests.api.conftest import client_as, make_bundle
from tests.factories import AgencyFactory, CityFactory, CycleFactory, GoalFactory, IndicatorFactory


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def admin(world):
    return client_as(world.admin)


def test_indicators_by_agency_are_exactly_that_agencys(world, admin):
    assert ids(admin.get("/api/indicators", {"agency": world.civil.pk})) == [world.civil_kpi.pk]
    assert ids(admin.get("/api/indicators", {"agency": world.finance.pk})) == [world.finance_kpi.pk]


def test_indicators_by_agency_include_co_owned_ones(world, admin):
    IndicatorOwner.objects.create(indicator=world.finance_kpi, agency=world.civil, role=OwnerRole.CO)
    both = [world.civil_kpi.pk, world.finance_kpi.pk]
    assert ids(admin.get("/api/indicators", {"agency": world.civil.pk})) == both


def test_indicators_by_name_goal_chapter_and_cycle(world, admin):
    assert ids(admin.get("/api/indicators", {"q": "稅課"})) == [world.finance_kpi.pk]
    assert ids(admin.get("/api/indicators", {"goal": world.civil_kpi.goal_id})) == [world.civil_kpi.pk]
    assert ids(admin.get("/api/indicators", {"chapter": world.finance_chapter.pk})) == [world.finance_kpi.pk]
    older = make_bundle(world.city, world.civil, 105, CycleStatus.PUBLISHED, "舊指標")
    assert ids(admin.get("/api/indicators", {"cycle": older.cycle.pk})) == [older.indicator.pk]
    civil_now = {"cycle": world.cycle.pk, "agency": world.civil.pk}
    assert ids(admin.get("/api/indicators", civil_now)) == [world.civil_kpi.pk]


def test_cycles_by_year_cover_that_roc_year(world, admin):
    older = CycleFactory(city=world.city, start_year=105, end_year=108, status=CycleStatus.PUBLISHED)
    annual = CycleFactory(city=world.city, kind=PlanKind.ANNUAL, start_year=110, end_year=110)
    assert sorted(ids(admin.get("/api/cycles", {"year": 110}))) == sorted([world.cycle.pk, annual.pk])
    assert ids(admin.get("/api/cycles", {"year": 108})) == [older.pk]
    assert ids(admin.get("/api/cycles", {"year": 109})) == [world.cycle.pk]
    assert ids(admin.get("/api/cycles", {"year": 120})) == []
    assert ids(admin.get("/api/cycles", {"kind": "annual"})) == [annual.pk]
    assert ids(admin.get("/api/cycles", {"status": "published"})) == [older.pk]
    assert ids(admin.get("/api/cycles", {"status": "published", "year": 110})) == []


def test_cycles_and_agencies_by_city(world, admin):
    taipei = CityFactory(name="臺北市")
    taipei_agency = AgencyFactory(city=taipei, name="研考會")
    taipei_cycle = CycleFactory(city=taipei, status=CycleStatus.PUBLISHED)
    assert ids(admin.get("/api/cycles", {"city": taipei.pk})) == [taipei_cycle.pk]
    assert ids(admin.get("/api/cycles", {"city": world.city.pk})) == [world.cycle.pk]
    assert ids(admin.get("/api/agencies", {"city": world.city.pk})) == [world.civil.pk, world.finance.pk]
    assert ids(admin.get("/api/agencies", {"city": taipei.pk})) == [taipei_agency.pk]


def test_chapters_by_cycle_agency_and_status(world, admin):
    world.finance_chapter.status = ChapterStatus.SUBMITTED
    world.finance_chapter.save()
    both = [world.civil_chapter.pk, world.finance_chapter.pk]
    assert ids(admin.get("/api/chapters", {"cycle": world.cycle.pk})) == both
    assert ids(admin.get("/api/chapters", {"agency": world.civil.pk})) == [world.civil_chapter.pk]
    assert ids(admin.get("/api/chapters", {"status": "submitted"})) == [world.finance_chapter.pk]
    assert ids(admin.get("/api/chapters", {"status": "draft", "agency": world.finance.pk})) == []


def test_goals_by_chapter_cycle_kind_and_perspective(world, admin):
    common = GoalFactory(chapter=world.civil_chapter, kind=GoalKind.COMMON, perspective="行政效率", name="共同目標")
    civil_goal = world.civil_kpi.goal_id
    listed = ids(admin.get("/api/goals", {"chapter": world.civil_chapter.pk}))
    assert sorted(listed) == sorted([civil_goal, common.pk])
    assert ids(admin.get("/api/goals", {"kind": "common"})) == [common.pk]
    assert ids(admin.get("/api/goals", {"perspective": "行政效率"})) == [common.pk]
    assert len(ids(admin.get("/api/goals", {"cycle": world.cycle.pk}))) == 3


def test_targets_by_indicator_year_and_cycle(world, admin):
    one = {"indicator": world.civil_kpi.pk, "year": 110}
    assert ids(admin.get("/api/targets", one)) == [world.civil_target.pk]
    assert ids(admin.get("/api/targets", {"year": 110})) == [world.civil_target.pk, world.finance_target.pk]
    assert len(ids(admin.get("/api/targets", {"cycle": world.cycle.pk}))) == 8
    target = admin.get("/api/targets", {"indicator": world.finance_kpi.pk, "year": 110}).json()["items"][0]
    assert target | {"id": 0} == {
        "id": 0, "indicator_id": world.finance_kpi.pk, "year": 110, "raw": "95%", "value": "95", "unit": "%",
        "comparator": "", "kind": "percent", "kind_label": target["kind_label"], "cumulative": False,
        "note": "", "version": 1,
    }


def test_every_level_filters_by_city_cycle_agency_and_year(world, admin):
    """The four filters of the issue on each level of the plan: city, cycle, agency, ROC year."""
    older = make_bundle(world.city, world.civil, 105, CycleStatus.PUBLISHED, "舊指標")
    taipei = make_bundle(CityFactory(name="臺北市"), AgencyFactory(city=CityFactory(name="臺北市"), name="研考會"), 109,
                         CycleStatus.PUBLISHED, "臺北指標")
    IndicatorOwner.objects.create(indicator=world.finance_kpi, agency=world.civil, role=OwnerRole.CO)
    cases = {
        "/api/cycles": ({"city": taipei.cycle.city_id}, [taipei.cycle.pk],
                        {"agency": world.finance.pk}, [world.cycle.pk], {"year": 106}, [older.cycle.pk]),
        "/api/chapters": ({"city": taipei.cycle.city_id}, [taipei.chapter.pk],
                          {"agency": world.civil.pk, "year": 108}, [older.chapter.pk],
                          {"year": 110, "city": world.city.pk}, [world.civil_chapter.pk, world.finance_chapter.pk]),
        "/api/goals": ({"city": taipei.cycle.city_id}, [taipei.goal.pk],
                       {"agency": world.finance.pk}, [world.finance_kpi.goal_id],
                       {"year": 105, "agency": world.civil.pk}, [older.goal.pk]),
        "/api/indicators": ({"city": taipei.cycle.city_id}, [taipei.indicator.pk],
                            {"agency": world.civil.pk, "year": 110}, [world.civil_kpi.pk, world.finance_kpi.pk],
                            {"year": 107, "cycle": older.cycle.pk}, [older.indicator.pk]),
        "/api/targets": ({"city": taipei.cycle.city_id, "year": 109}, [taipei.target.pk],
                         {"agency": world.finance.pk, "year": 110}, [world.finance_target.pk],
                         {"agency": world.civil.pk, "year": 110}, [world.civil_target.pk, world.finance_target.pk]),
    }
    for path, (params_a, expected_a, params_b, expected_b, params_c, expected_c) in cases.items():
        assert ids(admin.get(path, params_a)) == expected_a, (path, params_a)
        assert ids(admin.get(path, params_b)) == expected_b, (path, params_b)
        assert ids(admin.get(path, params_c)) == expected_c, (path, params_c)


def test_ids_are_stable_and_the_order_total(world, admin):
    """The same list twice gives the same ids in the same order; an object keeps its id when it is edited."""
    many_indicators(world, 30)
    first = [i["id"] for i in admin.get("/api/indicators", {"page_size": 200}).json()["items"]]
    kpi = world.civil_kpi
    kpi.name = "改名"
    kpi.save()
    assert [i["id"] for i in admin.get("/api/indicators", {"page_size": 200}).json()["items"]] == first
    pages = [i["id"] for page in (1, 2, 3, 4) for i in admin.get("/api/indicators", {"page_size": 10, "page": page})
             .json()["items"]]
    assert pages == first


def test_indicator_detail_has_targets_owners_and_source(world, admin):
    kpi = world.civil_kpi
    kpi.source_file, kpi.source_page, kpi.source_line_start, kpi.source_line_end = "keelung.pdf", 12, 30, 34
    kpi.weight = "12.50"
    kpi.save()
    body = admin.get(f"/api/indicators/{kpi.pk}").json()
    assert body["name"] == "里鄰建設服務案件數"
    assert body["chapter_id"] == world.civil_chapter.pk
    assert (body["cycle_id"], body["goal_id"]) == (world.cycle.pk, kpi.goal_id)
    assert (body["eval_system"], body["eval_method"], body["standard"]) == ("1", "統計數據", "年度辦理件數")
    assert body["weight"] == "12.5"
    assert body["source"] == {"file": "keelung.pdf", "page": 12, "line_start": 30, "line_end": 34,
                              "label": "keelung.pdf p. 12 L30–34"}
    owners = [(o["agency_id"], o["agency_name"], o["role"]) for o in body["owners"]]
    assert owners == [(world.civil.pk, "民政處", "lead")]
    assert [(t["year"], t["raw"], t["value"], t["unit"]) for t in body["targets"]] == [
        (109, "350件", "350", "件"), (110, "360件", "360", "件"),
        (111, "370件", "370", "件"), (112, "380件", "380", "件"),
    ]


def many_indicators(world, n):
    goal = GoalFactory(chapter=world.civil_chapter)
    for _ in range(n):
        indicator = IndicatorFactory(goal=goal)
        IndicatorOwner.objects.create(indicator=indicator, agency=world.civil)


def test_pages_of_50_by_default_and_up_to_200(world, admin):
    many_indicators(world, 60)  # 62 in all with the world's two
    first = admin.get("/api/indicators").json()
    second = admin.get("/api/indicators", {"page": 2}).json()
    assert (first["count"], len(first["items"])) == (62, 50)
    assert (second["count"], len(second["items"])) == (62, 12)
    every = [i["id"] for i in first["items"] + second["items"]]
    assert len(set(every)) == 62
    assert [i["id"] for i in admin.get("/api/indicators", {"page_size": 200}).json()["items"]] == every
    assert admin.get("/api/indicators", {"page": 3}).json()["items"] == []
    assert len(admin.get("/api/indicators", {"page_size": 10, "page": 7}).json()["items"]) == 2


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/api/cycles", {"year": "abc"}, "year"),
        ("/api/cycles", {"page": "0"}, "page"),
        ("/api/cycles", {"status": "bogus"}, "status"),
        ("/api/cycles", {"kind": "yearly"}, "kind"),
        ("/api/targets", {"year": "0"}, "year"),
        ("/api/indicators", {"page_size": "201"}, "page_size"),
        ("/api/indicators", {"page_size": "0"}, "page_size"),
        ("/api/indicators", {"agency": "民政處"}, "agency"),
        ("/api/goals", {"kind": "key-ish"}, "kind"),
        ("/api/chapters", {"cycle": "1.5"}, "cycle"),
        ("/api/chapters", {"city": "0"}, "city"),
        ("/api/goals", {"agency": str(2**63)}, "agency"),  # more than the database can store
        ("/api/indicators", {"page": "1000001"}, "page"),
        ("/api/indicators", {"q": "a\x00b"}, "q"),
        ("/api/measurements", {"light": "blue"}, "light"),
        ("/api/reports", {"status": "lost"}, "status"),
    ],
)
def test_bad_input_is_422_naming_the_parameter(world, admin, path, params, field):
    response = admin.get(path, params)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [error["loc"] for error in errors] == [["query", field]]
    assert errors[0]["msg"]


def test_a_non_numeric_id_is_404_in_json(world, admin):
    for path in ("/api/indicators/abc", "/api/indicators/-1", "/api/indicators/1/2", "/api/nothing"):
        response = admin.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"}), path
    assert admin.get("/api/indicators/0").status_code == 422  # a number, but no id
