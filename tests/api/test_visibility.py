"""Who sees what: a matrix over the schema's GET paths × users × cycles in each visibility situation."""

import pytest

from civicplan.agencies.models import Agency
from civicplan.permissions import can
from civicplan.plans import visibility
from tests.api.conftest import (
    DETAIL_PATHS,
    LIST_PATHS,
    PLAN_DETAIL_PATHS,
    PLAN_LIST_PATHS,
    RESOURCES,
    TRACKING_RESOURCES,
    client_as,
    fill,
    fresh_user,
    get_all,
    resource_of,
)

BUNDLES = ["draft", "approved", "published", "superseded", "taipei_draft"]


def test_the_schema_has_a_list_and_a_detail_for_every_resource():
    every = sorted([*RESOURCES, *TRACKING_RESOURCES])
    assert sorted(map(resource_of, LIST_PATHS)) == every
    assert sorted(map(resource_of, DETAIL_PATHS)) == every


@pytest.mark.parametrize("path", PLAN_DETAIL_PATHS)
def test_detail_is_200_for_who_may_see_it_and_404_for_everybody_else(plans, path):
    resource = resource_of(path)
    _, attribute = RESOURCES[resource]
    failures = []
    for bundle_name in BUNDLES:
        obj = getattr(getattr(plans, bundle_name), attribute)
        for user_name, user in plans.users.items():
            # Agencies are master data: everybody sees them.
            visible = resource == "agencies" or user_name in plans.seen_by[bundle_name]
            response = client_as(user).get(fill(path, obj))
            expected = 200 if visible else 404
            if response.status_code != expected:
                failures.append(f"{bundle_name} as {user_name}: {response.status_code}, expected {expected}")
            elif visible:
                assert response.json()["id"] == obj.pk
            else:
                assert response.json() == {"detail": "Not Found"}  # no hint that it exists
    assert not failures, f"{path}:\n" + "\n".join(failures)


@pytest.mark.parametrize("path", DETAIL_PATHS)
def test_detail_of_a_missing_object_is_404_like_an_invisible_one(plans, path):
    response = client_as(plans.world.admin).get(path.replace("{id}", "999999"))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("path", PLAN_LIST_PATHS)
def test_list_shows_exactly_what_the_rule_lets_the_user_view(plans, path):
    model, attribute = RESOURCES[resource_of(path)]
    for user_name, user in plans.users.items():
        listed = {item["id"] for item in get_all(client_as(user), path)}
        # Oracle 1: the project's rule plans.view on every object in the database.
        viewer = fresh_user(user)
        if model is Agency:
            allowed = set(Agency.objects.values_list("pk", flat=True))
        else:
            allowed = {obj.pk for obj in model.objects.all() if can(viewer, "plans.view", obj)}
        assert listed == allowed, f"{path} as {user_name}"
        # Oracle 2: the hand-written table of who sees which cycle's content.
        if model is not Agency:
            for bundle_name in BUNDLES:
                obj = getattr(getattr(plans, bundle_name), attribute)
                assert (obj.pk in listed) == (user_name in plans.seen_by[bundle_name]), (
                    f"{path} as {user_name}: {bundle_name}"
                )


def test_anonymous_sees_only_published_and_superseded_cycles(plans):
    listed = [item["id"] for item in get_all(client_as(None), "/api/cycles")]
    assert sorted(listed) == sorted([plans.published.cycle.pk, plans.superseded.cycle.pk])


def test_a_member_of_another_city_sees_its_drafts_but_not_keelungs(plans):
    listed = {item["id"] for item in get_all(client_as(plans.taipei_editor), "/api/cycles")}
    assert listed == {plans.taipei_draft.cycle.pk, plans.published.cycle.pk, plans.superseded.cycle.pk}


def test_an_inactive_member_sees_only_public_cycles(plans):
    plans.world.reviewer.is_active = False
    plans.world.reviewer.save()
    assert not visibility.member_city_ids(fresh_user(plans.world.reviewer))
    listed = {c.pk for c in visibility.visible_cycles(fresh_user(plans.world.reviewer))}
    assert listed == {plans.published.cycle.pk, plans.superseded.cycle.pk}


HELPERS = {
    "cycles": visibility.visible_cycles,
    "chapters": visibility.visible_chapters,
    "goals": visibility.visible_goals,
    "indicators": visibility.visible_indicators,
    "targets": visibility.visible_targets,
}


@pytest.mark.parametrize("resource", sorted(HELPERS))
def test_queryset_helpers_mirror_the_rule(plans, resource):
    model, _ = RESOURCES[resource]
    for user_name, user in plans.users.items():
        viewer = fresh_user(user)
        expected = {obj.pk for obj in model.objects.all() if can(viewer, "plans.view", obj)}
        assert set(HELPERS[resource](viewer).values_list("pk", flat=True)) == expected, user_name
