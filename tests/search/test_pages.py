"""The search pages (staff and public) and the index kept in step with edits, on the small test world."""

import pytest
from django.test import Client
from django.urls import reverse

from civicplan.plans import services as plan_services
from civicplan.plans.models import CycleStatus, PlanCycle
from civicplan.search.models import EntryKind, SearchEntry
from civicplan.search.query import search
from civicplan.tracking import services as tracking_services
from civicplan.tracking.models import Report, ReportStatus
from civicplan.tracking.periods import periods_for
from tests.factories import make_indicator

pytestmark = pytest.mark.django_db


def _narrative(world, text):
    period = periods_for(world.city, 110)[0]
    report = tracking_services.open_report(world.civil, period)
    row = report.measurements.get(indicator=world.civil_kpi)
    tracking_services.do_save_report(report, entries={row.pk: {"version": row.version, "actual_raw": "120件",
                                                               "progress_note": text}},
                                     expected_version=report.version, actor=world.civil_editor)
    return report, row


def test_the_staff_page_shows_highlighted_hits_that_link_to_their_record(world, client_for):
    response = client_for(world.civil_editor).get(reverse("search"), {"q": "里鄰"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>里鄰</mark>" in html
    assert reverse("kpi", args=[world.civil_kpi.pk]) in html
    assert "稅課" not in html


def test_text_from_the_plans_is_escaped(world, client_for):
    make_indicator(world.civil_chapter, "<script>alert(1)</script>滿意度", {110: "90%"})
    html = client_for(world.civil_editor).get(reverse("search"), {"q": "滿意度"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html and "<mark>滿意度</mark>" in html


def test_an_edit_is_searchable_at_once_and_the_old_words_are_gone(world):
    kpi = world.fresh(world.civil_kpi)
    plan_services.do_update_indicator(kpi, changes={"name": "社區營造補助案件數"}, expected_version=kpi.version,
                                      reason="更名", actor=world.civil_editor)
    assert search("里鄰", user=world.civil_editor).total == 0
    hits = search("社區營造", user=world.civil_editor).hits
    assert [h.entry.indicator_id for h in hits] == [kpi.pk]
    kpi = world.fresh(kpi)
    plan_services.do_delete_indicator(kpi, expected_version=kpi.version, reason="刪除", actor=world.civil_editor)
    assert not SearchEntry.objects.filter(indicator_id=kpi.pk).exists()
    assert search("社區營造", user=world.civil_editor).total == 0


def test_narratives_are_found_by_staff_and_by_the_public_only_once_approved(world, client_for):
    report, row = _narrative(world, "受颱風影響，工程延宕兩週。")
    hits = search("颱風", user=world.reviewer).hits
    assert [(h.entry.kind, h.entry.measurement_id) for h in hits] == [(EntryKind.NARRATIVE, row.pk)]
    html = client_for(world.reviewer).get(reverse("search"), {"q": "颱風"}).content.decode()
    assert f"#m-{row.pk}" in html and "<mark>颱風</mark>" in html
    PlanCycle.objects.filter(pk=world.cycle.pk).update(status=CycleStatus.PUBLISHED)
    assert search("颱風", public=True).total == 0  # the report is a draft
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    assert search("颱風", public=True).total == 1


def test_demo_narratives_are_not_indexed(world):
    report, row = _narrative(world, "示範資料：依計畫進度辦理。")
    assert search("依計畫進度", user=world.reviewer).total == 1
    Report.objects.filter(pk=report.pk).update(is_demo=True)
    row.refresh_from_db()
    row.save()
    assert search("依計畫進度", user=world.reviewer).total == 0


def test_the_portal_searches_published_plans_and_gives_the_hits_as_open_data(world, client):
    url = reverse("portal:search")
    draft = client.get(url, {"q": "里鄰"}).content.decode()
    assert "<mark>" not in draft and "里鄰建設" not in draft
    PlanCycle.objects.filter(pk=world.cycle.pk).update(status=CycleStatus.PUBLISHED)
    html = client.get(url, {"q": "里鄰"}).content.decode()
    assert "<mark>里鄰</mark>" in html and reverse("portal:indicator", args=[world.civil_kpi.pk]) in html
    assert "q=%E9%87%8C%E9%84%B0&amp;format=csv" in html
    csv = client.get(url, {"q": "里鄰", "format": "csv"})
    assert csv.status_code == 200
    body = csv.content.decode("utf-8")
    assert body.startswith("\ufeff") and "里鄰建設服務案件數" in body and "基隆市" in body


def test_a_search_page_costs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    for n in range(80):
        make_indicator(world.civil_chapter if n % 2 else world.finance_chapter, f"第{n}項服務滿意度", {110: "90%"})
    client = client_for(world.reviewer)
    client.get(reverse("search"), {"q": "滿意度"})  # warm-up: session, jieba
    with django_assert_max_num_queries(8):
        response = client.get(reverse("search"), {"q": "滿意度"})
    assert response.status_code == 200
    assert response.content.decode().count('class="hit hit-') == 30


def test_a_section_hit_opens_its_folded_section_on_the_chapter_page(world, client_for):
    from civicplan.plans.models import Section

    section = Section.objects.create(chapter=world.civil_chapter, order=1, label="貳、一", heading="現有計畫執行成效檢討",
                                     text="本處辦理里民活動中心修繕。")
    client = client_for(world.civil_editor)
    hit = next(h for h in search("活動中心", user=world.civil_editor).hits if h.entry.kind == EntryKind.SECTION)
    from civicplan.search.pages import hit_url

    url = hit_url(hit.entry, public=False)
    assert url.endswith(f"?section={section.pk}#section-{section.pk}")
    html = client.get(url.split("#")[0]).content.decode()
    assert f'id="section-{section.pk}" open' in html
    PlanCycle.objects.filter(pk=world.cycle.pk).update(status=CycleStatus.PUBLISHED)
    public = Client().get(hit_url(hit.entry, public=True).split("#")[0]).content.decode()
    assert f'id="section-{section.pk}" open' in public and "里民活動中心修繕" in public
