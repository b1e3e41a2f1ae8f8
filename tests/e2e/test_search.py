"""Search in a real browser: the box in the top bar, a 2-character and a 4-character query, the public search."""

import pytest

from tests.e2e.conftest import axe_check, login, publish_keelung

pytestmark = pytest.mark.e2e


def _search_from_the_top_bar(page, words):
    box = page.get_by_role("search").get_by_role("searchbox").first
    box.fill(words)
    box.press("Enter")
    page.wait_for_load_state()


def test_search_with_two_and_four_characters(demo, page, tmp_path):
    login(page, demo["url"], "reviewer")

    _search_from_the_top_bar(page, "運輸")  # two characters: below the trigram length, answered by LIKE
    assert "/search/?q=" in page.url
    heading = page.get_by_role("heading", level=2).first.inner_text()
    assert "運輸" in heading
    marks = page.locator("ol.hits mark").all_inner_texts()
    assert marks and all(m in ("運輸", "运输") for m in marks), marks
    page.screenshot(path=str(tmp_path / "search-2-characters.png"), full_page=True)
    axe_check(page, "staff search")
    # A facet narrows to KPIs; the first hit opens its KPI page.
    page.locator("nav.facets a[href*='kind=indicator']").click()
    page.wait_for_load_state()
    assert "kind=" in page.url
    first = page.locator("ol.hits li.hit a.title").first
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert "/kpis/" in page.url and name in page.inner_text("h1")

    _search_from_the_top_bar(page, "公共運輸")  # four characters: the FTS5 trigram index
    results = page.locator("ol.hits li.hit")
    assert results.count() > 0
    for hit in results.all():
        marks = hit.locator("mark").all_inner_texts()
        if hit.locator(".by-words").count():  # 公共 … 運輸 apart, each word marked
            assert set(marks) <= {"公共", "運輸"}, marks
        else:
            assert marks and set(marks) == {"公共運輸"}, marks
    assert results.first.locator(".by-words").count() == 0, "hits with the words together rank first"
    page.screenshot(path=str(tmp_path / "search-4-characters.png"), full_page=True)

    # Words found apart: 市民滿意度 finds 市民 … 滿意度 and says so.
    page.goto(demo["url"] + "/search/?q=市民滿意度")
    assert page.locator("ol.hits li.hit").count() > 0
    assert page.locator(".by-words").count() > 0


def test_public_search_and_its_open_data(demo, page, tmp_path):
    publish_keelung(demo["db"])
    page.goto(demo["url"] + "/public/")
    box = page.get_by_role("search").get_by_role("searchbox").first
    box.fill("滿意度")
    box.press("Enter")
    page.wait_for_load_state()
    assert "/public/search/" in page.url
    hits = page.locator("ol.hits li.hit")
    assert hits.count() > 0
    page.screenshot(path=str(tmp_path / "public-search.png"), full_page=True)
    axe_check(page, "public search")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    body = open(info.value.path(), encoding="utf-8-sig").read()
    assert "滿意度" in body and "連結" in body
