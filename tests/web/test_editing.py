"""Editing through the pages: conflicts, invalid input, history, language, CSRF."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from civicplan.audit.models import Action, AuditEvent
from tests.web.test_permission_matrix import state

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _target_post(target, raw, reason="修正", version=None):
    return {"raw": raw, "note": "", "version": target.version if version is None else version, "reason": reason}


def test_editor_changes_a_target_and_sees_it_in_the_chapter(world, client_for):
    client = client_for(world.civil_editor)
    url = reverse("target-edit", args=[world.civil_target.pk])
    response = client.post(url, _target_post(world.civil_target, "≧365件"))
    assert response.status_code == 302
    assert response["Location"] == reverse("chapter", args=[world.civil_chapter.pk]) + f"#indicator-{world.civil_kpi.pk}"
    target = world.fresh(world.civil_target)
    assert (target.raw, target.comparator, target.value, target.unit, target.version) == ("≧365件", "≥", 365, "件", 2)
    page = client.get(response["Location"])
    assert "≧365件" in text(page)
    event = AuditEvent.objects.get(action=Action.TARGET_CHANGED)
    assert (event.actor, event.reason, event.old_values["raw"], event.new_values["raw"]) == (
        world.civil_editor, "修正", "360件", "≧365件")
    history = target.history.first()
    assert (history.history_user, history.history_change_reason, history.raw) == (world.civil_editor, "修正", "≧365件")


def test_two_users_edit_the_same_version_the_second_is_refused(world, client_for):
    editor, head = client_for(world.civil_editor), client_for(world.civil_head)
    url = reverse("target-edit", args=[world.civil_target.pk])
    # Both open the form: it carries the version they read.
    for client in (editor, head):
        form = client.get(url)
        assert 'name="version" value="1"' in form.content.decode()
    assert editor.post(url, _target_post(world.civil_target, "400件", version=1)).status_code == 302
    before = state()
    second = head.post(url, _target_post(world.civil_target, "500件", version=1))
    assert second.status_code == 409
    body = text(second)
    assert "400件" in body, "the conflict page shows the value saved now"
    assert 'value="500件"' in second.content.decode(), "the second user's input is kept in the form"
    assert world.fresh(world.civil_target).raw == "400件"
    assert state() == before


@pytest.mark.parametrize(
    "route, obj, data, field_label",
    [
        ("target-edit", "civil_target", {"raw": "x" * 301, "note": "", "reason": "r"}, "target as printed"),
        ("target-edit", "civil_target", {"raw": "400件", "note": "", "reason": " "}, "Reason"),
        ("indicator-edit", "civil_kpi", {"name": "n", "direction": "higher", "weight": "abc", "reason": "r"}, "weight"),
        ("indicator-edit", "civil_kpi", {"name": "n", "direction": "higher", "weight": "120", "reason": "r"}, "weight"),
        ("indicator-edit", "civil_kpi", {"name": "", "direction": "higher", "reason": "r"}, "name"),
        ("indicator-edit", "civil_kpi", {"name": "n", "direction": "sideways", "reason": "r"}, "direction"),
        ("indicator-edit", "civil_kpi", {"name": "n", "direction": "higher", "eval_system": "9", "reason": "r"},
         "評估體制"),
        ("goal-edit", "goal", {"name": "g", "perspective": "顧客", "reason": "r"}, "perspective"),
        ("indicator-add", "goal", {"name": "", "direction": "higher", "reason": "r"}, "name"),
        ("chapter-edit", "civil_chapter", {"mission": "m", "vision": "v", "reason": ""}, "Reason"),
    ],
)
def test_invalid_input_names_the_field_and_changes_nothing(world, client_for, route, obj, data, field_label):
    client = client_for(world.civil_editor)
    client.post(reverse("set_language"), {"language": "en"})
    target = world.civil_kpi.goal if obj == "goal" else getattr(world, obj)
    if route != "indicator-add":
        data = {**data, "version": target.version}
    before = state()
    response = client.post(reverse(route, args=[target.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    invalid = re.findall(r'<div class="field invalid">\s*<label[^>]*>([^<]*)', html)
    assert any(field_label.lower() in label.lower() for label in invalid), (invalid, html[-3000:])
    assert 'role="alert"' in html
    assert state() == before


def test_workflow_return_needs_a_reason_and_says_so(world, client_for):
    head = client_for(world.civil_head)
    assert head.post(reverse("chapter-workflow", args=[world.civil_chapter.pk]),
                     {"action": "submit", "version": 1}).status_code == 302
    reviewer = client_for(world.reviewer)
    before = state()
    response = reviewer.post(reverse("chapter-workflow", args=[world.civil_chapter.pk]),
                             {"action": "return", "version": 2, "reason": ""})
    assert response.status_code == 400 and "退回理由" in text(response)
    assert state() == before
    returned = reviewer.post(reverse("chapter-workflow", args=[world.civil_chapter.pk]),
                             {"action": "return", "version": 2, "reason": "目標值偏低"})
    assert returned.status_code == 302
    page = client_for(world.civil_editor).get(reverse("chapter", args=[world.civil_chapter.pk]))
    assert "目標值偏低" in text(page) and "/targets/" in page.content.decode(), "returned chapters are editable again"


def test_cycle_cannot_be_approved_before_its_chapters(world, client_for):
    admin = client_for(world.admin)
    url = reverse("cycle-status", args=[world.cycle.pk])
    assert admin.post(url, {"status": "in-review", "version": 1, "reason": ""}).status_code == 302
    before = state()
    response = admin.post(url, {"status": "approved", "version": 2, "reason": ""})
    assert response.status_code == 400
    assert "民政處" in text(response) and "財政處" in text(response)
    assert state() == before


def test_history_page_shows_who_when_old_new_and_why(world, client_for):
    editor = client_for(world.civil_editor)
    url = reverse("target-edit", args=[world.civil_target.pk])
    editor.post(url, _target_post(world.civil_target, "365件", reason="依議會決議調整"))
    page = client_for(world.reviewer).get(reverse("history", args=["target", world.civil_target.pk]))
    assert page.status_code == 200
    body = text(page)
    assert "civil_editor" in body and "依議會決議調整" in body
    assert re.search(r"360件\s*→\s*365件", body)
    assert re.search(r"\b1\d\d/\d\d/\d\d \d\d:\d\d\b", body), "times in the ROC calendar"
    chapter_page = client_for(world.admin).get(reverse("history", args=["chapter", world.civil_chapter.pk]))
    assert "依議會決議調整" in text(chapter_page), "a chapter's history includes changes inside it"
    assert client_for(world.admin).get(reverse("history", args=["nothing", 1])).status_code == 404


def test_deleted_indicator_stays_in_the_chapter_history(world, client_for):
    editor = client_for(world.civil_editor)
    url = reverse("indicator-delete", args=[world.civil_kpi.pk])
    assert editor.post(url, {"version": 1, "reason": ""}).status_code == 400
    assert editor.post(url, {"version": 1, "reason": "與共同性指標重複"}).status_code == 302
    body = text(editor.get(reverse("history", args=["chapter", world.civil_chapter.pk])))
    assert "與共同性指標重複" in body and "里鄰建設服務案件數" in body


def test_pages_speak_traditional_chinese_first_and_english_on_request(world, client_for):
    client = client_for(world.civil_editor)
    url = reverse("chapter", args=[world.civil_chapter.pk])
    zh = text(client.get(url))
    assert "登出" in zh and "關鍵策略目標" in zh and "110年" in zh
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    en = text(client.get(url))
    assert "Log out" in en and "ROC 110" in en


def test_forms_require_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.civil_editor)
    before = state()
    response = client.post(reverse("target-edit", args=[world.civil_target.pk]),
                           _target_post(world.civil_target, "1件"))
    assert response.status_code == 403
    assert state() == before


def test_login_page_and_logout(world, client):
    world.civil_editor.set_password("pw-for-test")
    world.civil_editor.save()
    page = client.get(reverse("login"))
    assert page.status_code == 200 and 'name="username"' in page.content.decode()
    assert client.post(reverse("login"), {"username": "civil_editor", "password": "wrong"}).status_code == 200
    response = client.post(reverse("login"), {"username": "civil_editor", "password": "pw-for-test"})
    assert response.status_code == 302
    assert "民政處" in text(client.get(reverse("home")))
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_forbidden_page_explains(world, client_for):
    response = client_for(world.finance_editor).get(reverse("target-edit", args=[world.civil_target.pk]))
    assert response.status_code == 403
    assert "plans.change_target" in text(response) or "不可" in text(response) or "may not" in text(response)


def test_the_browsers_language_does_not_override_zh_tw(world, client_for):
    client = client_for(world.civil_editor)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登出" in text(page)
    client.post(reverse("set_language"), {"language": "en"})
    assert "Log out" in text(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-TW"))


@pytest.mark.parametrize("raw, expected", [("≧365件", "≥365件"), ("95%", "95%"), ("28萬人次", "28萬人次 = 280,000 人次"), ("-", "No target"),
                                           ("112年6月底前完成", "Deadline · 112/06/30"),
                                           ("6A 84B 45C", "assessed by hand")])
def test_target_preview_reads_what_is_typed(world, client_for, raw, expected):
    client = client_for(world.civil_editor)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(reverse("target-preview"), {"raw": raw})
    assert response.status_code == 200 and expected in text(response)


def test_target_form_shows_the_indicator_and_its_other_years(world, client_for):
    page = client_for(world.civil_editor).get(reverse("target-edit", args=[world.civil_target.pk]))
    body = text(page)
    assert "里鄰建設服務案件數" in body and all(v in body for v in ("350件", "360件", "370件", "380件"))
    assert 'hx-get="/targets/preview/"' in page.content.decode()


def test_a_common_indicator_is_computed_beside_its_field(world, client_for):
    from civicplan.tracking import services
    from civicplan.tracking.periods import periods_for
    from tests.factories import make_indicator

    kpi = make_indicator(world.civil_chapter, "各單位當年度經常門業務費賸餘數百分比", {110: "2%"})
    report = services.open_report(world.civil, periods_for(world.city, 110)[-1])
    row = report.measurements.get(indicator=kpi)
    client = client_for(world.civil_editor)
    grid = client.get(reverse("report-grid", args=[world.civil.pk, report.period_id])).content.decode()
    assert f'hx-get="/tracking/measurements/{row.pk}/common/"' in grid and "（預算數－決算數）÷預算數×100%" in grid
    url = reverse("common-calculator", args=[row.pk])
    result = client.get(url, {f"c-{row.pk}-budget": "1,000,000", f"c-{row.pk}-final": "982,000"}).content.decode()
    assert "<strong>1.8%</strong>" in result and 'hx-swap-oob="true"' in result and 'value="1.8%"' in result
    bad = client.get(url, {f"c-{row.pk}-budget": "0", f"c-{row.pk}-final": "0"}).content.decode()
    assert "分母為 0" in bad
