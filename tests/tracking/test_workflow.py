"""Reporting and reviewing actuals: the grid's saves, the workflow steps, who may take them, locks and reopening."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civicplan.agencies.models import Membership, Role
from civicplan.audit.models import Action, AuditEvent
from civicplan.editing import ConflictError
from civicplan.tracking import services
from civicplan.tracking.models import Measurement, Report, ReportStatus
from civicplan.tracking.periods import periods_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world):
    period = periods_for(world.city, 109)[-1]  # 109年第6期: the year's target is due in full
    return services.open_report(world.civil, period)


def _row(report) -> Measurement:
    return report.measurements.get()


def _save(report, actor, **values):
    row = _row(report)
    return services.do_save_report(Report.objects.get(pk=report.pk), entries={row.pk: {"version": row.version, **values}},
                                   expected_version=Report.objects.get(pk=report.pk).version, actor=actor)


def _step(step, report, actor, reason=""):
    return step(Report.objects.get(pk=report.pk), expected_version=Report.objects.get(pk=report.pk).version,
                reason=reason, actor=actor)


def test_the_report_lists_the_agencys_own_indicators(world, report):
    assert [m.indicator for m in report.measurements.all()] == [world.civil_kpi]
    assert report.period.year == 109 and report.period.count == 6


def test_saving_an_actual_assesses_it_and_leaves_audit_and_history(world, report):
    _save(report, world.civil_editor, actual_raw="300件", progress_note="已辦理300件")
    row = _row(report)
    assert (row.actual_value, row.achievement_rate, row.light) == (300, Decimal("85.7"), "yellow")
    assert row.light_rule["thresholds"] == {"green": 100, "yellow": 80}
    event = AuditEvent.objects.get(action=Action.REPORT_SAVED)
    assert event.actor == world.civil_editor and "300件" in str(event.new_values)
    assert row.history.first().history_user == world.civil_editor


def test_a_count_target_is_expected_pro_rata_during_the_year(world):
    period = periods_for(world.city, 109)[2]  # 3 of 6
    report = services.open_report(world.civil, period)
    _save(report, world.civil_editor, actual_raw="175件")
    row = _row(report)
    assert row.expected_raw.startswith("175") and row.light == "green" and row.achievement_rate == 100


def test_submit_needs_reasons_when_behind(world, report):
    _save(report, world.civil_editor, actual_raw="300件")
    row = _row(report)
    with pytest.raises(ValidationError) as error:
        _step(services.do_submit_report, report, world.civil_editor)
    assert set(error.value.message_dict) == {f"{row.pk}.delay_reason", f"{row.pk}.countermeasure"}
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    _save(report, world.civil_editor, delay_reason="人力不足", countermeasure="增派人力")
    _step(services.do_submit_report, report, world.civil_editor)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_the_whole_workflow_and_who_may_take_each_step(world, report):
    other_head = UserFactory(username="finance_head")
    Membership.objects.create(user=other_head, city=world.city, agency=world.finance, role=Role.HEAD)
    _save(report, world.civil_editor, actual_raw="350件")
    _step(services.do_submit_report, report, world.civil_editor)
    for outsider in (world.civil_editor, other_head, world.reviewer, world.finance_editor):
        with pytest.raises(PermissionDenied):
            _step(services.do_head_approve_report, report, outsider)
    _step(services.do_head_approve_report, report, world.civil_head)
    for outsider in (world.civil_editor, world.civil_head):
        with pytest.raises(PermissionDenied):
            _step(services.do_first_review_report, report, outsider)
    _step(services.do_first_review_report, report, world.reviewer)
    _step(services.do_final_review_report, report, world.admin)
    assert Report.objects.get(pk=report.pk).is_locked
    for anyone in (world.civil_editor, world.civil_head, world.reviewer, world.admin):
        with pytest.raises(PermissionDenied):
            _save(report, anyone, actual_raw="1件")
    assert _row(report).actual_raw == "350件"
    actions = list(AuditEvent.objects.filter(object_id=str(report.pk)).values_list("action", flat=True))
    assert set(actions) >= {Action.REPORT_SUBMITTED, Action.REPORT_HEAD_APPROVED, Action.REPORT_FIRST_REVIEWED,
                            Action.REPORT_APPROVED}


def test_reopening_a_locked_report_needs_the_admin_and_a_reason(world, report):
    _save(report, world.civil_editor, actual_raw="350件")
    for step, actor in ((services.do_submit_report, world.civil_editor), (services.do_head_approve_report,
                        world.civil_head), (services.do_first_review_report, world.reviewer),
                        (services.do_final_review_report, world.reviewer)):
        _step(step, report, actor)
    with pytest.raises(PermissionDenied):
        _step(services.do_reopen_report, report, world.reviewer, reason="數字有誤")
    with pytest.raises(ValidationError):
        _step(services.do_reopen_report, report, world.admin, reason=" ")
    _step(services.do_reopen_report, report, world.admin, reason="議會質詢後更正")
    reopened = Report.objects.get(pk=report.pk)
    assert (reopened.status, reopened.return_reason) == (ReportStatus.RETURNED, "議會質詢後更正")
    _save(report, world.civil_editor, actual_raw="352件")
    assert _row(report).actual_raw == "352件"


@pytest.mark.parametrize("at", ["submitted", "head-approved", "first-reviewed"])
def test_any_step_returns_with_a_reason(world, report, at):
    _save(report, world.civil_editor, actual_raw="350件")
    _step(services.do_submit_report, report, world.civil_editor)
    returner = world.civil_head
    if at in ("head-approved", "first-reviewed"):
        _step(services.do_head_approve_report, report, world.civil_head)
        returner = world.reviewer
    if at == "first-reviewed":
        _step(services.do_first_review_report, report, world.reviewer)
    with pytest.raises(ValidationError):
        _step(services.do_return_report, report, returner, reason="")
    _step(services.do_return_report, report, returner, reason="請補佐證資料")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    assert AuditEvent.objects.filter(action=Action.REPORT_RETURNED, reason="請補佐證資料").exists()


def test_two_editors_saving_the_same_row_the_second_is_refused(world, report):
    row = _row(report)
    services.do_save_report(report, entries={row.pk: {"version": row.version, "actual_raw": "340件"}},
                            expected_version=report.version, actor=world.civil_editor)
    with pytest.raises(ConflictError):
        services.do_save_report(Report.objects.get(pk=report.pk),
                                entries={row.pk: {"version": row.version, "actual_raw": "999件"}},
                                expected_version=Report.objects.get(pk=report.pk).version, actor=world.civil_head)
    assert _row(report).actual_raw == "340件"


def test_another_agency_cannot_fill_the_report(world, report):
    with pytest.raises(PermissionDenied):
        _save(report, world.finance_editor, actual_raw="1件")
    with pytest.raises(PermissionDenied):
        _save(report, world.outsider, actual_raw="1件")


def test_a_reviewer_overrides_a_light_with_a_reason(world, report):
    _save(report, world.civil_editor, actual_raw="300件", delay_reason="x", countermeasure="y")
    _step(services.do_submit_report, report, world.civil_editor)
    _step(services.do_head_approve_report, report, world.civil_head)
    row = _row(report)
    with pytest.raises(ValidationError):
        services.do_override_light(row, light="green", reason="", expected_version=row.version, actor=world.reviewer)
    with pytest.raises(PermissionDenied):
        services.do_override_light(row, light="green", reason="x", expected_version=row.version,
                                   actor=world.civil_head)
    services.do_override_light(row, light="green", reason="年底補足", expected_version=row.version,
                               actor=world.reviewer)
    row = _row(report)
    assert (row.light, row.light_override, row.shown_light) == ("yellow", "green", "green")


def test_evidence_files_are_checked_by_content_and_size(world, report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = _row(report)
    pdf = SimpleUploadedFile("簽到表.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    evidence = services.do_add_evidence(row, upload=pdf, actor=world.civil_editor)
    assert (evidence.content_type, evidence.size, evidence.name) == ("application/pdf", 16, "簽到表.pdf")
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.do_add_evidence(row, upload=fake, actor=world.civil_editor)
    assert "photo.jpg" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.do_add_evidence(row, upload=pdf, actor=world.finance_editor)


def test_an_agency_profile_spreads_a_count_unevenly_over_the_year(world, client_for):
    editor = client_for(world.civil_editor)
    kpi = world.civil_kpi
    data = {"name": kpi.name, "direction": "higher", "eval_system": "1", "version": kpi.version, "reason": "依季節",
            "period_profile": "5, 10, 20, 60, 90, 100"}
    assert editor.post(f"/indicators/{kpi.pk}/edit/", data).status_code == 302
    assert world.fresh(kpi).period_profile == [5, 10, 20, 60, 90, 100]
    period = periods_for(world.city, 109)[2]  # 3 of 6: 20% of 350件 due
    report = services.open_report(world.civil, period)
    _save(report, world.civil_editor, actual_raw="70件")
    row = _row(report)
    assert row.expected_raw.startswith("70（350件 × 20%）") and row.achievement_rate == 100
    bad = editor.post(f"/indicators/{kpi.pk}/edit/", {**data, "version": world.fresh(kpi).version,
                                                      "period_profile": "50, 40, 100"})
    assert bad.status_code == 400 and 'class="field invalid"' in bad.content.decode()
    assert world.fresh(kpi).period_profile == [5, 10, 20, 60, 90, 100]
