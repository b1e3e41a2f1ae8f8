"""The chapter editor's pages: sections, owners, inline validation, the source of every imported record."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicplan.audit.models import Action, AuditEvent
from civicplan.plans.models import (
    CycleStatus,
    IndicatorOwner,
    OwnerRole,
    PlanCycle,
    PlanImport,
    PlanSourceText,
    Section,
)
from tests.factories import AgencyFactory, make_indicator
from tests.web.test_editing import text
from tests.web.test_permission_matrix import state

pytestmark = pytest.mark.django_db


def english(client):
    client.post(reverse("set_language"), {"language": "en"})
    return client


@pytest.fixture
def section(world):
    return Section.objects.create(chapter=world.civil_chapter, order=1, label="貳、一", heading="現有計畫執行成效檢討",
                                  text="109年度完成里鄰建設350件。", source_file="book.txt", source_page=4,
                                  source_line_start=20, source_line_end=21)


def _keep_text(world, lines, file_name="book.txt"):
    plan_import = PlanImport.objects.create(cycle=world.cycle, source_file=file_name, sha256="1" * 64)
    return PlanSourceText.objects.create(plan_import=plan_import, file_name=file_name, lines=lines)


BOOK = [f"第{n}行" for n in range(1, 41)]


# --- Sections -------------------------------------------------------------------------------------


def test_chapter_page_shows_sections_with_their_source_and_the_editors_links(world, client_for, section):
    url = reverse("chapter", args=[world.civil_chapter.pk])
    editor_page = client_for(world.civil_editor).get(url).content.decode()
    assert "現有計畫執行成效檢討" in editor_page and "109年度完成里鄰建設350件。" in editor_page
    assert reverse("section-edit", args=[section.pk]) in editor_page
    assert reverse("section-delete", args=[section.pk]) in editor_page
    assert reverse("section-add", args=[world.civil_chapter.pk]) in editor_page
    assert reverse("source", args=["section", section.pk]) in editor_page and "book.txt p. 4 L20–21" in editor_page
    reviewer_page = client_for(world.reviewer).get(url).content.decode()
    assert "現有計畫執行成效檢討" in reviewer_page and reverse("source", args=["section", section.pk]) in reviewer_page
    assert reverse("section-edit", args=[section.pk]) not in reviewer_page
    assert reverse("section-add", args=[world.civil_chapter.pk]) not in reviewer_page


def test_editor_edits_a_section_and_a_stale_form_is_refused(world, client_for, section):
    editor, head = client_for(world.civil_editor), client_for(world.civil_head)
    url = reverse("section-edit", args=[section.pk])
    form = editor.get(url).content.decode()
    assert 'name="version" value="1"' in form and "現有計畫執行成效檢討" in form
    assert reverse("source", args=["section", section.pk]) in form, "the edit form links the source too"
    data = {"label": "貳、一", "heading": "現有計畫執行成效檢討", "text": "109年度完成里鄰建設360件。", "version": 1,
            "reason": "更正件數"}
    response = editor.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith(f"#section-{section.pk}")
    assert world.fresh(section).text == "109年度完成里鄰建設360件。"
    before = state()
    conflict = head.post(url, {**data, "text": "另一版本"})
    assert conflict.status_code == 409 and "360件" in text(conflict)
    assert state() == before
    invalid = editor.post(url, {**data, "version": 2, "reason": ""})
    assert invalid.status_code == 400 and re.search(r'<div class="field invalid">', invalid.content.decode())
    event = AuditEvent.objects.get(action=Action.SECTION_CHANGED)
    assert event.reason == "更正件數" and event.old_values["text"] == "109年度完成里鄰建設350件。"


def test_editor_adds_and_deletes_sections(world, client_for, section):
    editor = client_for(world.civil_editor)
    add = reverse("section-add", args=[world.civil_chapter.pk])
    page = editor.get(add).content.decode()
    assert 'name="after"' in page and 'name="reason"' in page
    assert editor.post(add, {"after": "", "label": "", "heading": "", "text": "", "reason": "新增"}).status_code == 400
    response = editor.post(add, {"after": "", "label": "參、", "heading": "預期成果", "text": "…", "reason": "補上"})
    assert response.status_code == 302
    added = Section.objects.get(heading="預期成果")
    assert added.order == 2 and response["Location"].endswith(f"#section-{added.pk}")
    first = editor.post(add, {"after": section.pk, "label": "貳、二", "heading": "現況", "text": "", "reason": "補"})
    assert first.status_code == 302
    assert list(world.civil_chapter.sections.values_list("heading", flat=True)) == [
        "現有計畫執行成效檢討", "現況", "預期成果"]
    delete = reverse("section-delete", args=[added.pk])
    assert "預期成果" in text(editor.get(delete))
    assert editor.post(delete, {"version": 1, "reason": ""}).status_code == 400
    assert editor.post(delete, {"version": 1, "reason": "重複"}).status_code == 302
    assert not Section.objects.filter(pk=added.pk).exists()
    history = text(client_for(world.reviewer).get(reverse("history", args=["chapter", world.civil_chapter.pk])))
    assert "重複" in history and "預期成果" in history, "the chapter's history lists deleted sections"
    assert "現況" in history, "… and changes to its sections"
    assert client_for(world.reviewer).get(reverse("history", args=["section", section.pk])).status_code == 200


# --- Owners ---------------------------------------------------------------------------------------


def test_owners_page_sets_lead_and_co_owners(world, client_for):
    planning = AgencyFactory(city=world.city, name="綜合發展處", order=3)
    editor = client_for(world.civil_editor)
    edit_page = editor.get(reverse("indicator-edit", args=[world.civil_kpi.pk])).content.decode()
    url = reverse("indicator-owners", args=[world.civil_kpi.pk])
    assert url in edit_page and "民政處" in edit_page, "the indicator form names the owners and links their page"
    page = editor.get(url).content.decode()
    assert 'type="checkbox"' in page and "綜合發展處" in page and "財政處" in page
    base = {"lead": world.civil.pk, "version": 1, "reason": "協辦"}
    before = state()
    refused = english(editor).post(url, {**base, "co": [world.civil.pk, world.finance.pk]})
    assert refused.status_code == 400 and "cannot also be a co-owner" in text(refused)
    assert editor.post(url, {**base, "lead": "", "co": []}).status_code == 400
    assert state() == before
    response = editor.post(url, {**base, "co": [world.finance.pk, planning.pk]})
    assert response.status_code == 302
    owners = {(o.agency.name, o.role) for o in IndicatorOwner.objects.filter(indicator=world.civil_kpi)}
    assert owners == {("民政處", OwnerRole.LEAD), ("財政處", OwnerRole.CO), ("綜合發展處", OwnerRole.CO)}
    event = AuditEvent.objects.get(action=Action.INDICATOR_OWNERS_CHANGED)
    assert event.new_values["co"] == ["財政處", "綜合發展處"] and event.old_values["co"] == []
    chapter_page = text(editor.get(reverse("chapter", args=[world.civil_chapter.pk])))
    assert "財政處" in chapter_page and "綜合發展處" in chapter_page
    stale = editor.post(url, {**base, "co": []})
    assert stale.status_code == 409


# --- Inline validation ----------------------------------------------------------------------------

INDICATOR = {"label": "1", "code": "", "name": "里鄰建設服務案件數", "eval_system": "1", "eval_method": "統計數據",
             "standard": "年度件數", "unit": "件", "direction": "higher", "weight": "", "period_profile": "",
             "version": "1", "reason": ""}


def _validate(client, url, data, field):
    response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=field)
    assert response.status_code == 200
    return text(response).strip()


@pytest.mark.parametrize("field, value, message", [
    ("weight", "150", "less than or equal to 100"),
    ("weight", "-1", "greater than or equal to 0"),
    ("eval_system", "9", "Select a valid choice"),
    ("period_profile", "10, 5, 100", "rising shares"),
    ("period_profile", "10, x", "Numbers separated by commas"),
    ("name", "", "required"),
    ("direction", "sideways", "Select a valid choice"),
])
def test_indicator_fields_are_checked_as_the_user_types(world, client_for, field, value, message):
    client = english(client_for(world.civil_editor))
    data = {**INDICATOR, field: value}
    before = state()
    shown = _validate(client, reverse("indicator-validate", args=[world.civil_kpi.pk]), data, field)
    assert message in shown
    # The same message as a full submit gives for that field.
    full = client.post(reverse("indicator-edit", args=[world.civil_kpi.pk]), {**data, "reason": "r"})
    assert full.status_code == 400 and shown in text(full)
    assert _validate(client, reverse("indicator-add-validate", args=[world.civil_kpi.goal.pk]), data, field) == shown
    assert state() == before


def test_only_the_changed_fields_errors_are_answered(world, client_for):
    client = english(client_for(world.civil_editor))
    url = reverse("indicator-validate", args=[world.civil_kpi.pk])
    data = {**INDICATOR, "name": "", "weight": "50"}
    assert _validate(client, url, data, "weight") == "", "a valid field says nothing, whatever the others hold"
    assert _validate(client, url, data, "reason") == "", "the reason is not nagged about while typing"
    assert _validate(client, url, data, "nonsense") == ""
    assert "required" in client.post(url, {**data, "_field": "name"}).content.decode()


def test_eval_system_outside_the_legend_is_refused_by_the_models_own_check(world, client_for):
    """Inline validation is the form's full check, the model's clean included: a code the city's legend lacks is
    named with the model's own message (評估體制 code … is not in this city's legend)."""
    from civicplan.web.forms import IndicatorForm

    form = IndicatorForm({**INDICATOR, "eval_system": "1"}, instance=world.civil_kpi)
    world.city.eval_system_legend = {"2": "x"}
    form.fields["eval_system"].choices = [("", "—"), ("1", "1"), ("2", "2")]
    assert "eval_system" in form.errors and "評估體制" in " ".join(form.errors["eval_system"])


def test_goal_fields_are_checked_as_the_user_types(world, client_for):
    client = english(client_for(world.civil_editor))
    goal = world.civil_kpi.goal
    url = reverse("goal-validate", args=[goal.pk])
    data = {"label": "一", "code": "", "name": "強化里政服務", "perspective": "顧客", "description": "", "version": 1}
    assert "Select a valid choice" in _validate(client, url, data, "perspective")
    assert _validate(client, url, {**data, "perspective": "業務成果"}, "perspective") == ""
    assert "required" in _validate(client, url, {**data, "name": ""}, "name")


def test_edit_forms_carry_the_inline_validation_attributes(world, client_for):
    client = client_for(world.civil_editor)
    kpi, goal = world.civil_kpi, world.civil_kpi.goal
    for url, validate in ((reverse("indicator-edit", args=[kpi.pk]), reverse("indicator-validate", args=[kpi.pk])),
                          (reverse("indicator-add", args=[goal.pk]), reverse("indicator-add-validate", args=[goal.pk])),
                          (reverse("goal-edit", args=[goal.pk]), reverse("goal-validate", args=[goal.pk]))):
        html = client.get(url).content.decode()
        assert f'hx-post="{validate}"' in html, url
        assert 'hx-trigger="change, keyup changed delay:500ms"' in html
        assert 'id="id_name-errors"' in html and 'hx-target="#id_name-errors"' in html
        assert 'hx-target="#id_reason-errors"' not in html


def test_inline_validation_is_for_the_chapters_editors_only(world, client_for):
    data = {**INDICATOR, "_field": "weight", "weight": "150"}
    for user in (world.finance_editor, world.reviewer):
        client = client_for(user)
        assert client.post(reverse("indicator-validate", args=[world.civil_kpi.pk]), data).status_code == 403
        assert client.post(reverse("goal-validate", args=[world.civil_kpi.goal.pk]), data).status_code == 403
    assert client_for(None).post(reverse("indicator-validate", args=[world.civil_kpi.pk]), data).status_code == 302


# --- Sources --------------------------------------------------------------------------------------


def test_source_page_shows_the_span_with_five_lines_either_side(world, client_for, section):
    _keep_text(world, BOOK)
    kpi = world.civil_kpi
    type(kpi).objects.filter(pk=kpi.pk).update(source_file="book.txt", source_page=7, source_line_start=10,
                                               source_line_end=12)
    client = english(client_for(world.reviewer))
    chapter_page = client.get(reverse("chapter", args=[world.civil_chapter.pk])).content.decode()
    link = reverse("source", args=["indicator", kpi.pk])
    assert link in chapter_page and "book.txt p. 7 L10–12" in chapter_page
    assert link in client.get(reverse("kpi", args=[kpi.pk])).content.decode(), "the KPI page links its source"
    html = client.get(link).content.decode()
    shown = [int(n) for n in re.findall(r'<span class="ln">(\d+)</span>', html)]
    assert shown == list(range(5, 18))
    marked = [int(n) for n in re.findall(r'<span class="named"><span class="ln">(\d+)</span>', html)]
    assert marked == [10, 11, 12]
    assert "第11行" in html and "book.txt" in html and "7" in text(client.get(link))
    section_html = client.get(reverse("source", args=["section", section.pk])).content.decode()
    assert re.findall(r'<span class="named"><span class="ln">(\d+)</span>', section_html) == ["20", "21"]
    assert "第26行" in section_html and "第27行" not in section_html


def test_source_page_near_the_start_and_end_of_the_file(world, client_for):
    _keep_text(world, BOOK[:12])
    goal = world.civil_kpi.goal
    type(goal).objects.filter(pk=goal.pk).update(source_file="book.txt", source_line_start=2, source_line_end=None)
    html = client_for(world.civil_editor).get(reverse("source", args=["goal", goal.pk])).content.decode()
    assert [int(n) for n in re.findall(r'<span class="ln">(\d+)</span>', html)] == list(range(1, 8))
    type(goal).objects.filter(pk=goal.pk).update(source_line_start=50, source_line_end=52)
    beyond = text(english(client_for(world.civil_editor)).get(reverse("source", args=["goal", goal.pk])))
    assert "beyond the end of the kept text" in beyond


def test_source_page_says_when_the_text_was_not_kept_or_there_is_no_source(world, client_for):
    client = english(client_for(world.civil_editor))
    chapter = world.civil_chapter
    assert "not imported from a plan book" in text(client.get(reverse("source", args=["chapter", chapter.pk])))
    type(chapter).objects.filter(pk=chapter.pk).update(source_file="old.pdf", source_page=3, source_line_start=5)
    body = text(client.get(reverse("source", args=["chapter", chapter.pk])))
    assert "old.pdf" in body and "was not kept" in body
    assert client.get(reverse("source", args=["cycle", world.cycle.pk])).status_code == 404
    assert client.get(reverse("source", args=["indicator", 99999])).status_code == 404


def test_a_text_kept_by_an_earlier_cycle_of_the_city_is_found(world, client_for):
    earlier = PlanCycle.objects.create(city=world.city, start_year=105, end_year=108)
    plan_import = PlanImport.objects.create(cycle=earlier, source_file="book.txt", sha256="2" * 64)
    PlanSourceText.objects.create(plan_import=plan_import, file_name="book.txt", lines=BOOK)
    kpi = world.civil_kpi
    type(kpi).objects.filter(pk=kpi.pk).update(source_file="book.txt", source_line_start=30, source_line_end=30)
    html = client_for(world.civil_editor).get(reverse("source", args=["indicator", kpi.pk])).content.decode()
    assert "第30行" in html


def test_who_sees_a_source_is_who_sees_the_chapter(world, client_for):
    _keep_text(world, BOOK)
    kpi = world.civil_kpi
    type(kpi).objects.filter(pk=kpi.pk).update(source_file="book.txt", source_line_start=3, source_line_end=3)
    url = reverse("source", args=["indicator", kpi.pk])
    assert client_for(world.finance_editor).get(url).status_code == 200
    assert client_for(world.outsider).get(url).status_code == 403
    PlanCycle.objects.filter(pk=world.cycle.pk).update(status=CycleStatus.PUBLISHED)
    assert client_for(world.outsider).get(url).status_code == 200


# --- Queries --------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_chapter_page_queries_do_not_grow_with_sections_and_owners(world, client_for,
                                                                   django_assert_max_num_queries):
    chapter = world.civil_chapter
    client = client_for(world.civil_editor)
    url = reverse("chapter", args=[chapter.pk])
    planning = AgencyFactory(city=world.city, name="綜合發展處", order=3)
    Section.objects.create(chapter=chapter, order=1, heading="壹", source_file="book.txt", source_line_start=1)
    IndicatorOwner.objects.create(indicator=world.civil_kpi, agency=world.finance, role=OwnerRole.CO)
    few = _queries(client, url)
    Section.objects.bulk_create(Section(chapter=chapter, order=n, label=f"{n}、", heading=f"第{n}節", text="內容" * 50,
                                        source_file="book.txt", source_line_start=n) for n in range(2, 61))
    for n in range(60):
        kpi = make_indicator(chapter, f"指標{n}", {109: "1件", 110: "2件", 111: "3件", 112: "4件"})
        IndicatorOwner.objects.bulk_create([IndicatorOwner(indicator=kpi, agency=world.finance, role=OwnerRole.CO),
                                            IndicatorOwner(indicator=kpi, agency=planning, role=OwnerRole.CO)])
    many = _queries(client, url)
    assert many == few, f"queries with 1 section and KPI: {few}; with 60 sections and 61 KPIs: {many}"
    with django_assert_max_num_queries(14):  # 11 today: session, user, memberships, chapter, sections, goals…
        page = client.get(url)
    body = text(page)
    assert "第60節" in body and "指標59" in body and "綜合發展處" in body


def test_editor_pages_run_a_bounded_number_of_queries(world, client_for, section, django_assert_max_num_queries):
    _keep_text(world, BOOK)
    client = client_for(world.civil_editor)
    for n in range(30):
        AgencyFactory(city=world.city, name=f"機關{n}", order=10 + n)
    urls = [reverse("indicator-owners", args=[world.civil_kpi.pk]), reverse("section-edit", args=[section.pk]),
            reverse("section-add", args=[world.civil_chapter.pk]), reverse("source", args=["section", section.pk]),
            reverse("indicator-edit", args=[world.civil_kpi.pk])]
    for url in urls:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200, url


def test_a_long_span_is_shown_up_to_a_limit(world, client_for):
    from civicplan.web.editor import SOURCE_MAX_LINES

    _keep_text(world, [f"line {n}" for n in range(1, 1001)])
    chapter = world.civil_chapter
    type(chapter).objects.filter(pk=chapter.pk).update(source_file="book.txt", source_line_start=10,
                                                       source_line_end=900)
    response = english(client_for(world.civil_editor)).get(reverse("source", args=["chapter", chapter.pk]))
    html = response.content.decode()
    shown = [int(n) for n in re.findall(r'<span class="ln">(\d+)</span>', html)]
    assert shown == list(range(5, 10 + SOURCE_MAX_LINES))
    assert f"and {905 - (10 + SOURCE_MAX_LINES - 1)} more lines" in text(response)
