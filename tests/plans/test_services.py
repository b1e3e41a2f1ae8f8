"""The plan service layer: permission, transaction, audit event, history, optimistic locking."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicplan.audit.models import Action, AuditEvent
from civicplan.editing import ConflictError
from civicplan.plans.models import ChapterStatus, CycleStatus, Target
from civicplan.plans.services import (
    do_approve_chapter,
    do_change_cycle_status,
    do_create_indicator,
    do_delete_indicator,
    do_return_chapter,
    do_submit_chapter,
    do_update_chapter,
    do_update_goal,
    do_update_indicator,
    do_update_target,
)

pytestmark = pytest.mark.django_db


def test_editor_changes_own_target_with_audit_and_history(world):
    target = world.civil_target
    do_update_target(target, changes={"raw": "400件"}, expected_version=target.version,
                     reason="依109年實績上修", actor=world.civil_editor)
    target.refresh_from_db()
    assert (target.raw, target.value, target.unit, target.kind, target.version) == ("400件", Decimal(400), "件", "quantity", 2)
    event = AuditEvent.objects.get(action=Action.TARGET_CHANGED)
    assert event.actor == world.civil_editor
    assert event.old_values == {"raw": "360件", "value": "360"}
    assert event.new_values == {"raw": "400件", "value": "400"}
    assert event.reason == "依109年實績上修"
    assert event.agency == world.civil and event.city == world.city
    latest = target.history.first()
    assert latest.history_user == world.civil_editor
    assert latest.history_change_reason == "依109年實績上修"
    assert latest.raw == "400件"


def test_editor_cannot_change_other_agencys_target(world):
    target = world.finance_target
    with pytest.raises(PermissionDenied):
        do_update_target(target, changes={"raw": "1%"}, expected_version=target.version, reason="x",
                         actor=world.civil_editor)
    assert world.fresh(target).raw == "95%"
    assert not AuditEvent.objects.exists()


def test_stale_version_is_refused_and_first_value_stays(world):
    target = world.civil_target
    first_read = target.version
    do_update_target(target, changes={"raw": "365件"}, expected_version=first_read, reason="甲",
                     actor=world.civil_editor)
    with pytest.raises(ConflictError) as conflict:
        do_update_target(target, changes={"raw": "999件"}, expected_version=first_read, reason="乙",
                         actor=world.civil_head)
    assert "changed by someone else" in str(conflict.value) or "已被" in str(conflict.value)
    assert world.fresh(target).raw == "365件"
    assert AuditEvent.objects.filter(action=Action.TARGET_CHANGED).count() == 1


def test_change_requires_reason(world):
    target = world.civil_target
    with pytest.raises(ValidationError) as error:
        do_update_target(target, changes={"raw": "1件"}, expected_version=1, reason="  ", actor=world.civil_editor)
    assert "reason" in error.value.message_dict
    assert world.fresh(target).raw == "360件"


def test_invalid_field_value_names_the_field_and_changes_nothing(world):
    kpi = world.civil_kpi
    with pytest.raises(ValidationError) as error:
        do_update_indicator(kpi, changes={"eval_system": "9"}, expected_version=kpi.version, reason="x",
                            actor=world.civil_editor)
    assert "eval_system" in error.value.message_dict
    assert world.fresh(kpi).eval_system == "1"
    assert not AuditEvent.objects.exists()


def test_approved_cycle_is_locked_for_everyone(world):
    cycle = world.cycle
    for chapter in (world.civil_chapter, world.finance_chapter):
        chapter.status = ChapterStatus.APPROVED
        chapter.save()
    do_change_cycle_status(cycle, status=CycleStatus.IN_REVIEW, expected_version=1, actor=world.admin)
    do_change_cycle_status(cycle, status=CycleStatus.APPROVED, expected_version=2, actor=world.admin)
    target = world.fresh(world.civil_target)
    for actor in (world.civil_editor, world.civil_head, world.reviewer, world.admin):
        with pytest.raises(PermissionDenied):
            do_update_target(target, changes={"raw": "1件"}, expected_version=target.version, reason="x",
                             actor=actor)
    assert world.fresh(target).raw == "360件"


def test_superuser_gets_no_bypass_of_the_lock(world):
    world.admin.is_superuser = True
    world.admin.save()
    world.civil_chapter.status = ChapterStatus.APPROVED
    world.civil_chapter.save()
    target = world.fresh(world.civil_target)
    with pytest.raises(PermissionDenied):
        do_update_target(target, changes={"raw": "1件"}, expected_version=target.version, reason="x",
                         actor=world.admin)


def test_cycle_cannot_be_approved_with_chapters_pending(world):
    do_change_cycle_status(world.cycle, status=CycleStatus.IN_REVIEW, expected_version=1, actor=world.admin)
    with pytest.raises(ValidationError) as error:
        do_change_cycle_status(world.cycle, status=CycleStatus.APPROVED, expected_version=2, actor=world.admin)
    assert "民政處" in str(error.value) and "財政處" in str(error.value)
    assert world.fresh(world.cycle).status == CycleStatus.IN_REVIEW


def test_illegal_cycle_transition_is_refused(world):
    with pytest.raises(ValidationError):
        do_change_cycle_status(world.cycle, status=CycleStatus.PUBLISHED, expected_version=1, actor=world.admin)
    with pytest.raises(PermissionDenied):
        do_change_cycle_status(world.cycle, status=CycleStatus.IN_REVIEW, expected_version=1, actor=world.reviewer)


def test_chapter_workflow_submit_return_approve(world):
    chapter = world.civil_chapter
    with pytest.raises(PermissionDenied):  # an editor prepares; the head submits
        do_submit_chapter(chapter, expected_version=1, actor=world.civil_editor)
    chapter = do_submit_chapter(chapter, expected_version=1, actor=world.civil_head)
    assert chapter.status == ChapterStatus.SUBMITTED
    target = world.fresh(world.civil_target)
    with pytest.raises(PermissionDenied):  # nobody edits a submitted chapter
        do_update_target(target, changes={"raw": "1件"}, expected_version=1, reason="x", actor=world.civil_editor)
    with pytest.raises(PermissionDenied):
        do_return_chapter(chapter, expected_version=2, reason="目標過低", actor=world.civil_head)
    chapter = do_return_chapter(chapter, expected_version=2, reason="目標過低", actor=world.reviewer)
    assert (chapter.status, chapter.return_reason) == (ChapterStatus.RETURNED, "目標過低")
    do_update_target(target, changes={"raw": "380件"}, expected_version=1, reason="依審查意見上修",
                     actor=world.civil_editor)
    chapter = do_submit_chapter(chapter, expected_version=3, actor=world.civil_head)
    chapter = do_approve_chapter(chapter, expected_version=4, actor=world.reviewer)
    assert chapter.status == ChapterStatus.APPROVED
    actions = list(AuditEvent.objects.filter(object_id=str(chapter.pk), action__startswith="chapter.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == [Action.CHAPTER_SUBMITTED, Action.CHAPTER_RETURNED, Action.CHAPTER_SUBMITTED,
                       Action.CHAPTER_APPROVED]


def test_every_service_records_audit_and_history(world):
    chapter = do_update_chapter(world.civil_chapter, changes={"mission": "新使命"}, expected_version=1,
                                reason="r1", actor=world.civil_editor)
    goal = do_update_goal(world.civil_kpi.goal, changes={"name": "新目標"}, expected_version=1, reason="r2",
                          actor=world.civil_editor)
    kpi = do_update_indicator(world.civil_kpi, changes={"direction": "lower", "unit": "件"}, expected_version=1,
                              reason="r3", actor=world.civil_editor)
    new_kpi = do_create_indicator(goal, fields={"name": "新指標", "eval_system": "1"}, reason="r4",
                                  actor=world.civil_editor)
    do_delete_indicator(new_kpi, expected_version=1, reason="r5", actor=world.civil_editor)
    for obj, reason in ((chapter, "r1"), (goal, "r2"), (kpi, "r3")):
        assert obj.history.first().history_change_reason == reason
        assert obj.history.first().history_user == world.civil_editor
    assert new_kpi.history.filter(history_type="-").get().history_change_reason == "r5"
    assert list(AuditEvent.objects.order_by("id").values_list("action", "reason")) == [
        (Action.CHAPTER_CHANGED, "r1"), (Action.GOAL_CHANGED, "r2"), (Action.INDICATOR_CHANGED, "r3"),
        (Action.INDICATOR_CREATED, "r4"), (Action.INDICATOR_DELETED, "r5"),
    ]
    assert not Target.objects.filter(indicator_id=new_kpi.pk).exists()


def test_created_indicator_gets_a_target_row_per_year_and_the_agency_as_lead(world):
    kpi = do_create_indicator(world.civil_kpi.goal, fields={"name": "新指標"}, reason="新增",
                              actor=world.civil_editor)
    assert list(kpi.targets.values_list("year", flat=True)) == [109, 110, 111, 112]
    assert list(kpi.ownerships.values_list("agency__name", "role")) == [("民政處", "lead")]


def test_member_of_parent_agency_acts_for_child_agency(world):
    from tests.factories import AgencyFactory, ChapterFactory, make_indicator

    office = AgencyFactory(city=world.city, name="戶政事務所", parent=world.civil)
    chapter = ChapterFactory(cycle=world.cycle, agency=office)
    kpi = make_indicator(chapter, "戶籍登記案件數", {110: "100件"})
    target = kpi.targets.get()
    do_update_target(target, changes={"raw": "120件"}, expected_version=1, reason="上修", actor=world.civil_editor)
    with pytest.raises(PermissionDenied):
        do_update_target(target, changes={"raw": "1件"}, expected_version=2, reason="x", actor=world.finance_editor)


def test_a_long_reason_is_kept_whole_in_the_history(world):
    """修改理由 may run to 1,000 characters in the forms; the history keeps all of it (on PostgreSQL too)."""
    from civicplan.plans import services as plan_services

    reason = "依111年度實績、審議委員意見及預算編列情形調整目標值。" * 20  # 560 characters
    target = world.fresh(world.civil_target)
    plan_services.do_update_target(target, changes={"raw": "400件"}, expected_version=target.version,
                                   reason=reason, actor=world.civil_editor)
    assert len(reason) > 500
    assert world.fresh(world.civil_target).history.first().history_change_reason == reason
