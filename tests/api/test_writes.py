"""Writes with a personal API token: the web's permissions, validation, versions, history and audit.

Every write calls the service function of the web page, so the same change through the web page and through
the API must leave the same trace; refused writes (401, 403, 404, 409, 422) must leave none.
"""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from civicplan.agencies.models import Membership, Role
from civicplan.audit.models import Action, AuditEvent
from civicplan.plans.models import AgencyPlan, CycleStatus, Goal, Indicator, PlanCycle, Target
from civicplan.tracking.models import Measurement, Report
from tests.api.conftest import api_client, client_as
from tests.factories import UserFactory

MODELS = [PlanCycle, AgencyPlan, Goal, Indicator, Target, Report, Measurement, AuditEvent]


def state() -> dict:
    """Every row the writes could touch; the audit log without the tests' own tokens being created."""
    rows = {model.__name__: [model_to_dict(obj) for obj in model.objects.order_by("pk")] for model in MODELS}
    rows["AuditEvent"] = [e for e in rows["AuditEvent"] if not e["action"].startswith("token.")]
    return rows


def history_count() -> int:
    return sum(model.history.count() for model in (Indicator, Target, Report, Measurement))


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def indicator_url(indicator) -> str:
    return f"/api/indicators/{indicator.pk}"


def target_url(target) -> str:
    return f"/api/targets/{target.pk}"


# --- indicators and targets ------------------------------------------------------------------------------


def test_an_editor_changes_their_agencys_kpi_with_history_and_audit(world):
    kpi = world.civil_kpi
    response = patch(api_client(world.civil_editor), indicator_url(kpi), {
        "version": kpi.version, "reason": "依審查意見修正", "name": "里鄰建設服務件數", "unit": "件", "weight": "12.5",
        "period_profile": [20, 40, 60, 80, 90, 100], "direction": "lower", "wccd": True})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["weight"], body["version"]) == ("里鄰建設服務件數", "12.5", 2)
    assert len(body["targets"]) == 4
    saved = fresh(kpi)
    assert (saved.name, saved.version, saved.period_profile) == ("里鄰建設服務件數", 2, [20, 40, 60, 80, 90, 100])
    record = saved.history.first()
    assert (record.history_user, record.history_change_reason) == (world.civil_editor, "依審查意見修正")
    event = AuditEvent.objects.get(action=Action.INDICATOR_CHANGED)
    assert (event.actor, event.agency, event.city, event.reason) == (
        world.civil_editor, world.civil, world.city, "依審查意見修正")
    assert event.old_values["name"] == "里鄰建設服務案件數" and event.new_values["name"] == "里鄰建設服務件數"
    assert event.new_values["weight"] == "12.5" and event.new_values["direction"] == "lower"
    assert saved.direction == "lower" and saved.direction_confirmed and saved.wccd  # confirmed by a person, as on the web


def test_the_api_leaves_the_same_trace_as_the_web_page(world, client_for):
    """The same kind of change, once on the web page and once through the API: the same audit and history."""
    target = world.civil_target
    web = client_for(world.civil_editor).post(reverse("target-edit", args=[target.pk]), {
        "raw": "400件", "note": "", "version": target.version, "reason": "網頁修正"})
    assert web.status_code == 302
    api = patch(api_client(world.civil_editor), target_url(target),
                {"raw": "410件", "version": fresh(target).version, "reason": "API修正"})
    assert api.status_code == 200, api.content
    assert api.json()["raw"] == "410件" and api.json()["value"] == "410" and api.json()["unit"] == "件"
    by_web, by_api = AuditEvent.objects.filter(action=Action.TARGET_CHANGED).order_by("id")
    fields = ("action", "actor", "content_type", "object_id", "city", "agency")
    assert [getattr(by_web, f) for f in fields] == [getattr(by_api, f) for f in fields]
    assert (by_web.old_values, by_web.new_values) == ({"raw": "360件", "value": "360"}, {"raw": "400件", "value": "400"})
    assert (by_api.old_values, by_api.new_values) == ({"raw": "400件", "value": "400"}, {"raw": "410件", "value": "410"})
    assert (by_web.reason, by_api.reason) == ("網頁修正", "API修正")
    newest, middle = list(fresh(target).history.order_by("-history_id"))[:2]
    assert (newest.raw, newest.history_user, newest.history_change_reason) == ("410件", world.civil_editor, "API修正")
    assert (middle.raw, middle.history_user, middle.history_change_reason) == ("400件", world.civil_editor, "網頁修正")


def test_put_replaces_a_target(world):
    target = world.civil_target
    response = api_client(world.civil_head).put(target_url(target), {
        "raw": "≧95%", "note": "改為比率", "cumulative": False, "version": 1, "reason": "改為比率"},
        content_type="application/json")
    assert response.status_code == 200, response.content
    saved = fresh(target)
    assert (saved.raw, saved.kind, saved.comparator, saved.note, saved.version) == ("≧95%", "percent", "≥", "改為比率", 2)


def test_the_admin_may_change_any_agencys_draft(world):
    response = patch(api_client(world.admin), indicator_url(world.finance_kpi),
                     {"version": 1, "reason": "研考修正", "unit": "%"})
    assert response.status_code == 200 and fresh(world.finance_kpi).unit == "%"


@pytest.mark.parametrize("role", ["finance_editor", "reviewer", "outsider"])
def test_who_may_not_change_a_chapter_gets_403_and_nothing_changes(world, role):
    """財政處's editor and the reviewer may view 民政處's draft but not change it; the outsider may not see it (404)."""
    before, histories = state(), history_count()
    client = api_client(getattr(world, role))
    responses = [
        patch(client, indicator_url(world.civil_kpi), {"version": 1, "reason": "x", "name": "改掉"}),
        patch(client, target_url(world.civil_target), {"version": 1, "reason": "x", "raw": "1件"}),
        client.put(target_url(world.civil_target), {"version": 1, "reason": "x", "raw": "1件", "note": "",
                                                     "cumulative": False}, content_type="application/json"),
    ]
    expected = 404 if role == "outsider" else 403
    assert [r.status_code for r in responses] == [expected] * 3
    if expected == 403:
        assert "plans.change_" in responses[0].json()["detail"]
    else:
        assert responses[0].json() == {"detail": "Not Found"}
    assert state() == before and history_count() == histories


def test_without_a_token_the_answer_is_401(world):
    before = state()
    for client in (api_client(None), client_as(world.civil_editor)):  # nobody, and a login session
        response = patch(client, indicator_url(world.civil_kpi), {"version": 1, "reason": "x", "name": "改掉"})
        assert response.status_code == 401
    assert state() == before


def test_a_stale_version_is_409_and_overwrites_nothing(world):
    client = api_client(world.civil_editor)
    assert patch(client, target_url(world.civil_target), {"version": 1, "reason": "第一次", "raw": "370件"}).status_code == 200
    before = state()
    response = patch(client, target_url(world.civil_target), {"version": 1, "reason": "第二次", "raw": "380件"})
    assert response.status_code == 409
    body = response.json()
    assert (body["current_version"], body["expected_version"]) == (2, 1)
    assert "2" in body["detail"] and str(fresh(world.civil_target)) in body["detail"]
    assert state() == before and fresh(world.civil_target).raw == "370件"


@pytest.mark.parametrize("payload, field", [
    ({"eval_system": "9"}, "eval_system"),            # not in the city's 評估體制 legend (the model's check)
    ({"period_profile": [60, 40, 100]}, "period_profile"),  # not rising (the model's check)
    ({"weight": "101"}, "weight"),                    # the schema: 0–100
    ({"name": ""}, "name"),
    ({"direction": "sideways"}, "direction"),
    ({"name": "x" * 301}, "name"),
    ({"reason": "   "}, "reason"),                   # white space is no reason
    ({"reason": None}, "reason"),
    ({"version": 0}, "version"),
    ({"label": "a\x00b"}, "label"),                  # PostgreSQL cannot store NUL
])
def test_a_bad_value_is_422_naming_the_field_and_changes_nothing(world, payload, field):
    before = state()
    data = {"version": 1, "reason": "修正", **payload}
    if data["reason"] is None:
        del data["reason"]
    response = patch(api_client(world.civil_editor), indicator_url(world.civil_kpi), data)
    assert response.status_code == 422, response.content
    errors = response.json()["detail"]
    assert field in errors[0]["loc"], errors
    assert errors[0]["msg"]
    assert state() == before


def test_a_target_outside_the_service_rules_is_named_too(world):
    response = patch(api_client(world.civil_editor), target_url(world.civil_target),
                     {"version": 1, "reason": "修正", "raw": "x" * 301})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "raw"]


@pytest.mark.parametrize("status", [CycleStatus.IN_REVIEW, CycleStatus.APPROVED, CycleStatus.PUBLISHED])
def test_a_locked_cycle_is_changed_by_nobody(world, status):
    PlanCycle.objects.filter(pk=world.cycle.pk).update(status=status)
    before = state()
    for user in (world.civil_editor, world.civil_head, world.admin):
        response = patch(api_client(user), target_url(world.civil_target), {"version": 1, "reason": "x", "raw": "1件"})
        assert response.status_code == 403
    assert state() == before


def test_a_published_kpi_is_visible_to_everybody_but_changed_by_nobody(plans):
    before = state()
    for user in (plans.taipei_editor, plans.world.admin, plans.world.civil_editor):
        response = patch(api_client(user), indicator_url(plans.published.indicator),
                         {"version": 1, "reason": "x", "name": "改掉"})
        assert response.status_code == 403
    response = patch(api_client(plans.taipei_editor), indicator_url(plans.draft.indicator),
                     {"version": 1, "reason": "x", "name": "改掉"})
    assert response.status_code == 404  # another city's draft: not even there
    assert state() == before


# --- tracking: measurements and reviews -----------------------------------------------------------------


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_reviews_through_the_api_move_a_report_through_the_workflow_like_the_web(world):
    editor, head, reviewer, admin = (api_client(u) for u in (world.civil_editor, world.civil_head, world.reviewer,
                                                            world.admin))
    opened = post(editor, "/api/reports", {"agency": world.civil.pk, "year": 109, "seq": 6})
    assert opened.status_code == 201, opened.content
    report = opened.json()
    assert (report["status"], report["year"], report["seq"], report["agency_id"]) == ("draft", 109, 6, world.civil.pk)
    [row] = report["measurements"]
    assert row["indicator_id"] == world.civil_kpi.pk and row["light"] == "white"
    assert post(editor, "/api/reports", {"agency": world.civil.pk, "year": 109, "seq": 6}).status_code == 200
    url = f"/api/reports/{report['id']}"

    # Behind target: saving works, submitting asks for the reason for the delay and the countermeasure.
    saved = patch(editor, f"{url}/measurements", {"version": report["version"], "entries": [
        {"id": row["id"], "version": row["version"], "actual_raw": "300件", "progress_note": "已辦理300件"}]})
    assert saved.status_code == 200, saved.content
    [row] = saved.json()["measurements"]
    assert (row["actual_value"], row["achievement_rate"], row["light"]) == ("300", "85.7", "yellow")
    version = saved.json()["version"]
    refused = post(editor, f"{url}/submit", {"version": version})
    assert refused.status_code == 422
    assert {tuple(e["loc"]) for e in refused.json()["detail"]} == {
        ("body", f"{row['id']}.delay_reason"), ("body", f"{row['id']}.countermeasure")}
    saved = patch(editor, f"{url}/measurements", {"version": version, "entries": [
        {"id": row["id"], "version": row["version"], "delay_reason": "人力不足", "countermeasure": "增派人力"}]})
    version = saved.json()["version"]

    # Each step by whom the rule names; anybody else gets 403 and nothing moves.
    assert post(head, f"{url}/head-approve", {"version": version}).status_code == 403  # not submitted yet
    steps = [(editor, "submit", "submitted"), (head, "head-approve", "head-approved"),
             (reviewer, "first-review", "first-reviewed"), (reviewer, "final-review", "approved")]
    for client, step, status in steps:
        if step != "submit":
            assert post(editor, f"{url}/{step}", {"version": version}).status_code == 403
        response = post(client, f"{url}/{step}", {"version": version, "reason": "OK"})
        assert response.status_code == 200, (step, response.content)
        assert response.json()["status"] == status
        version = response.json()["version"]
    locked = patch(editor, f"{url}/measurements", {"version": version, "entries": [
        {"id": row["id"], "version": fresh(Measurement.objects.get(pk=row["id"])).version, "actual_raw": "1件"}]})
    assert locked.status_code == 403

    # Reopening needs the 研考 admin and a reason.
    assert post(reviewer, f"{url}/reopen", {"version": version, "reason": "補正"}).status_code == 403
    assert post(admin, f"{url}/reopen", {"version": version, "reason": " "}).status_code == 422
    reopened = post(admin, f"{url}/reopen", {"version": version, "reason": "數字有誤"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "returned"
    assert reopened.json()["return_reason"] == "數字有誤"

    actions = list(AuditEvent.objects.filter(object_id=str(report["id"]), action__startswith="report.").order_by("id")
                   .values_list("action", "actor__username"))
    assert actions == [
        (Action.REPORT_SAVED, "civil_editor"), (Action.REPORT_SAVED, "civil_editor"),
        (Action.REPORT_SUBMITTED, "civil_editor"), (Action.REPORT_HEAD_APPROVED, "civil_head"),
        (Action.REPORT_FIRST_REVIEWED, "reviewer"), (Action.REPORT_APPROVED, "reviewer"),
        (Action.REPORT_REOPENED, "yankao_admin"),
    ]
    statuses = list(Report.history.filter(id=report["id"]).order_by("history_id").values_list("status", flat=True))
    assert statuses[-6:] == ["draft", "submitted", "head-approved", "first-reviewed", "approved", "returned"]


def test_a_report_is_returned_with_a_reason_and_the_light_set_by_a_reviewer(world):
    from civicplan.tracking import services
    from civicplan.tracking.periods import periods_for

    report = services.open_report(world.civil, periods_for(world.city, 110)[0])
    Report.objects.filter(pk=report.pk).update(status="head-approved")
    row = report.measurements.get()
    reviewer = api_client(world.reviewer)
    light = post(reviewer, f"/api/measurements/{row.pk}/light", {"version": row.version, "light": "green",
                                                                  "reason": "年底可補足"})
    assert light.status_code == 200, light.content
    assert (light.json()["light_override"], light.json()["shown_light"]) == ("green", "green")
    assert AuditEvent.objects.get(action=Action.LIGHT_OVERRIDDEN).actor == world.reviewer
    no_reason = post(reviewer, f"/api/reports/{report.pk}/return", {"version": 1})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"] == ["body", "reason"]
    returned = post(reviewer, f"/api/reports/{report.pk}/return", {"version": 1, "reason": "請補充說明"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert post(api_client(world.civil_editor), f"/api/measurements/{row.pk}/light",
                {"version": fresh(row).version, "light": "red", "reason": "x"}).status_code == 403


def test_saving_rows_refuses_stale_rows_foreign_rows_and_other_agencies(world):
    from civicplan.tracking import services
    from civicplan.tracking.periods import periods_for

    period = periods_for(world.city, 110)[1]
    report = services.open_report(world.civil, period)
    other = services.open_report(world.finance, period)
    row, foreign = report.measurements.get(), other.measurements.get()
    url = f"/api/reports/{report.pk}/measurements"
    editor = api_client(world.civil_editor)
    before = state()
    stale = patch(editor, url, {"version": 1, "entries": [{"id": row.pk, "version": 7, "actual_raw": "1件"}]})
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    assert patch(editor, url, {"version": 3, "entries": []}).status_code == 409
    alien = patch(editor, url, {"version": 1, "entries": [{"id": foreign.pk, "version": 1, "actual_raw": "1"}]})
    assert alien.status_code == 422 and alien.json()["detail"][0]["loc"] == ["body", "entries"]
    twice = patch(editor, url, {"version": 1, "entries": [{"id": row.pk, "version": 1}, {"id": row.pk, "version": 1}]})
    assert twice.status_code == 422
    long = patch(editor, url, {"version": 1, "entries": [{"id": row.pk, "version": 1, "actual_raw": "9" * 301}]})
    assert long.status_code == 422 and "actual_raw" in long.json()["detail"][0]["loc"]
    assert patch(api_client(world.finance_editor), url, {"version": 1, "entries": []}).status_code == 403
    assert patch(api_client(world.outsider), url, {"version": 1, "entries": []}).status_code == 404
    assert state() == before


def test_opening_a_report_follows_the_grid(world):
    finance = api_client(world.finance_editor)
    assert post(finance, "/api/reports", {"agency": world.civil.pk, "year": 110, "seq": 1}).status_code == 403
    assert post(api_client(world.outsider), "/api/reports", {"agency": world.civil.pk, "year": 110, "seq": 1}).status_code == 403
    assert not Report.objects.exists()
    too_far = post(api_client(world.civil_editor), "/api/reports", {"agency": world.civil.pk, "year": 110, "seq": 7})
    assert too_far.status_code == 422 and too_far.json()["detail"][0]["loc"] == ["body", "seq"]
    opened = post(api_client(world.civil_editor), "/api/reports", {"agency": world.civil.pk, "year": 110, "seq": 1})
    assert opened.status_code == 201
    # A reviewer may read the report but not open one for filling in.
    again = post(api_client(world.reviewer), "/api/reports", {"agency": world.civil.pk, "year": 110, "seq": 1})
    assert again.status_code == 200 and again.json()["id"] == opened.json()["id"]
    assert post(api_client(world.reviewer), "/api/reports", {"agency": world.civil.pk, "year": 110, "seq": 2}).status_code == 403
    assert post(api_client(world.civil_editor), "/api/reports", {"agency": 999999, "year": 110, "seq": 1}).status_code == 404


def test_a_member_of_a_parent_agency_acts_for_the_agencies_under_it(world):
    """The same rule objects as the web (agencies.rules): a 民政處 editor writes for 戶政事務所's chapter."""
    from tests.factories import AgencyFactory, ChapterFactory, make_indicator

    office = AgencyFactory(city=world.city, name="戶政事務所", parent=world.civil)
    kpi = make_indicator(ChapterFactory(cycle=world.cycle, agency=office), "戶籍登記案件數", {110: "100件"})
    response = patch(api_client(world.civil_editor), indicator_url(kpi), {"version": 1, "reason": "x", "unit": "件"})
    assert response.status_code == 200
    stranger = UserFactory(username="stranger")
    Membership.objects.create(user=stranger, city=world.city, agency=world.finance, role=Role.HEAD)
    assert patch(api_client(stranger), indicator_url(kpi), {"version": 2, "reason": "x", "unit": "%"}).status_code == 403
