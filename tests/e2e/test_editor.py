"""The chapter editor in a real browser: 民政處's editor opens a draft chapter, sees its narrative sections, edits a KPI
with the fields checked as they type (a weight over 100 is named under the field before saving), saves it with a
reason, and opens the source lines the KPI was read from."""

import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_editor_edits_a_kpi_with_inline_checks_and_opens_its_source(demo, page, tmp_path):
    url = demo["url"]
    login(page, url, "civil")
    page.get_by_role("link", name="民政處", exact=True).first.click()
    page.wait_for_load_state()
    chapter_url = page.url.split("#")[0]
    assert re.search(r"/chapters/\d+/$", chapter_url), chapter_url
    assert "草稿" in page.locator("h1").inner_text(), "the demo's imported cycles are drafts"

    # The narrative sections of the book, with their sources.
    sections = page.locator("#sections")
    assert sections.locator("details.section").count() >= 3
    assert "現有計畫執行成效檢討" in sections.inner_text()
    assert sections.locator("a.source-link").count() >= 3
    page.screenshot(path=str(tmp_path / "1-chapter.png"), full_page=False)

    # A KPI's edit form: a weight over 100 is named under the field as it is typed, without saving.
    row = page.locator("table.book tbody tr[id^='indicator-']").first
    indicator_id = row.get_attribute("id").split("-")[1]
    row.locator(f"a.edit[href='/indicators/{indicator_id}/edit/']").click()
    page.wait_for_load_state()
    weight = page.locator("#id_weight")
    errors = page.locator("#id_weight-errors")
    weight.fill("150")
    weight.press("Tab")  # `change`; typing alone also checks after a pause
    errors.locator(".error").wait_for()
    assert "100" in errors.inner_text()
    assert "invalid" in (page.locator(".field", has=weight).get_attribute("class") or "")
    page.screenshot(path=str(tmp_path / "2-inline-error.png"), full_page=True)

    weight.fill("")
    weight.type("30")
    page.wait_for_function("document.querySelector('#id_weight-errors').textContent.trim() === ''")
    assert "invalid" not in (page.locator(".field", has=weight).get_attribute("class") or "")
    assert page.locator("form.editor .error").count() == 0, "nothing was saved, and nothing is wrong now"

    # The 評估體制 select offers the city's legend only; the reason is required, then the KPI is saved.
    codes = page.locator("#id_eval_system option").evaluate_all("(options) => options.map(o => o.value)")
    assert set(codes) - {""} and all(code in {"1", "2", "3", "4", "5"} for code in codes if code)
    page.locator("#id_reason").fill("配合權重調整")
    page.get_by_role("button", name="儲存").click()
    page.wait_for_load_state()
    assert page.url.startswith(chapter_url) and page.url.endswith(f"#indicator-{indicator_id}")
    assert "已儲存" in page.locator(".messages").inner_text()

    # The KPI's source, one click from its row: the file, the page, and the lines it was read from, marked.
    source_link = page.locator(f"#indicator-{indicator_id} a.source-link[href='/source/indicator/{indicator_id}/']")
    label = source_link.inner_text()
    assert re.search(r"\.txt.*L\d+", label), label
    source_link.click()
    page.wait_for_load_state()
    assert re.search(rf"/source/indicator/{indicator_id}/$", page.url)
    excerpt = page.locator("pre.source-text")
    assert excerpt.locator(".named").count() >= 1
    assert excerpt.locator(".ln").count() >= excerpt.locator(".named").count() + 5
    assert page.locator(".source-view dd").first.inner_text().endswith(".txt")
    page.screenshot(path=str(tmp_path / "3-source.png"), full_page=True)

    # Back on the chapter, the same KPI's page links the same source.
    page.goto(f"{url}/kpis/{indicator_id}/")
    page.locator(f"a.source-link[href='/source/indicator/{indicator_id}/']").click()
    page.wait_for_load_state()
    assert page.locator("pre.source-text .named").count() >= 1
