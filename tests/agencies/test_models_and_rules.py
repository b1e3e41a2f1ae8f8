"""City settings as data, agency aliases and hierarchy, memberships, and the rules as a role × action matrix."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civicplan.agencies.models import Agency, City, Membership, Role
from civicplan.permissions import can
from civicplan.plans.models import ChapterStatus, CycleStatus

pytestmark = pytest.mark.django_db


def test_city_settings_are_validated(world):
    city = world.city
    city.light_thresholds = {"green": 80, "yellow": 90}
    city.perspectives = ["顧客", "顧客"]
    city.eval_system_legend = {"一": "x"}
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert set(error.value.message_dict) == {"light_thresholds", "perspectives", "eval_system_legend"}


def test_default_city_settings_are_keelung_conventions():
    city = City(name="基隆市")
    city.full_clean()
    assert city.perspectives[:3] == ["業務成果", "行政效率", "服務效能"]
    assert sorted(city.eval_system_legend) == ["1", "2", "3", "4", "5"]
    assert city.reporting_frequency == "bimonthly"


def test_agency_resolves_by_alias(world):
    tech = Agency.objects.create(city=world.city, name="智慧科技處", aliases=["智科處"])
    assert Agency.resolve(world.city, "智科處") == tech
    assert Agency.resolve(world.city, " 智慧科技處 ") == tech
    assert Agency.resolve(world.city, "不存在處") is None


def test_agency_cannot_be_its_own_ancestor(world):
    office = Agency.objects.create(city=world.city, name="戶政事務所", parent=world.civil)
    world.civil.parent = office
    with pytest.raises(ValidationError) as error:
        world.civil.full_clean()
    assert "parent" in error.value.message_dict


@pytest.mark.parametrize("role, with_agency", [(Role.EDITOR, False), (Role.ADMIN, True)])
def test_membership_agency_must_match_role(world, role, with_agency):
    agency = world.civil if with_agency else None
    membership = Membership(user=world.outsider, city=world.city, agency=agency, role=role)
    with pytest.raises(ValidationError):
        membership.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_city_role_is_unique_per_user(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.reviewer, city=world.city, role=Role.REVIEWER)


ROLES = ["anonymous", "civil_editor", "civil_head", "finance_editor", "reviewer", "admin", "outsider"]

# Expected answers for 民政處's target (or chapter) in a draft cycle, chapter in draft.
DRAFT = {
    "plans.view": {"civil_editor", "civil_head", "finance_editor", "reviewer", "admin"},
    "plans.change_target": {"civil_editor", "civil_head", "admin"},
    "plans.change_indicator": {"civil_editor", "civil_head", "admin"},
    "plans.add_indicator": {"civil_editor", "civil_head", "admin"},
    "plans.change_chapter": {"civil_editor", "civil_head", "admin"},
    "plans.submit_chapter": {"civil_head", "admin"},
    "plans.review_chapter": set(),
    "plans.change_cycle": {"admin"},
    "audit.view_history": {"civil_editor", "civil_head", "finance_editor", "reviewer", "admin"},
}


def _user(world, role):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "anonymous" else getattr(world, role if role != "admin" else "admin")


def _object(world, rule):
    if rule == "plans.change_cycle":
        return world.cycle
    if rule in ("plans.change_chapter", "plans.submit_chapter", "plans.review_chapter"):
        return world.civil_chapter
    if rule == "plans.add_indicator":
        return world.civil_kpi.goal
    if rule == "plans.change_indicator":
        return world.civil_kpi
    return world.civil_target


@pytest.mark.parametrize("rule", sorted(DRAFT))
def test_permission_matrix_on_a_draft_chapter(world, rule):
    allowed = {role for role in ROLES if can(_user(world, role), rule, _object(world, rule))}
    assert allowed == DRAFT[rule]


def test_permission_matrix_on_a_submitted_chapter(world):
    world.civil_chapter.status = ChapterStatus.SUBMITTED
    world.civil_chapter.save()
    target = world.fresh(world.civil_target)
    assert {r for r in ROLES if can(_user(world, r), "plans.change_target", target)} == set()
    chapter = world.fresh(world.civil_chapter)
    assert {r for r in ROLES if can(_user(world, r), "plans.review_chapter", chapter)} == {"reviewer", "admin"}


@pytest.mark.parametrize("status", [CycleStatus.IN_REVIEW, CycleStatus.APPROVED, CycleStatus.PUBLISHED])
def test_nobody_edits_a_cycle_that_is_not_a_draft(world, status):
    world.cycle.status = status
    world.cycle.save()
    target = world.fresh(world.civil_target)
    for rule in ("plans.change_target", "plans.change_indicator", "plans.change_chapter", "plans.add_indicator"):
        assert not any(can(_user(world, r), rule, _object(world, rule) if rule != "plans.change_target" else target)
                       for r in ROLES), rule


def test_published_cycle_is_visible_to_everyone(world):
    world.cycle.status = CycleStatus.PUBLISHED
    world.cycle.save()
    cycle = world.fresh(world.cycle)
    assert all(can(_user(world, r), "plans.view", cycle) for r in ROLES)
