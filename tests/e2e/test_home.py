"""Each role's home page in a real browser: what is due, what was returned, what waits for review."""

import pytest

from tests.e2e.conftest import login, logout

pytestmark = pytest.mark.e2e

EXPECTED = {
    "civil": ("待填報", "民政處 112年第5期"),          # the demo leaves the last periods open
    "civil_head": ("計畫期程", "民政處"),
    "reviewer": ("計畫期程", "嘉義市"),                # city-wide roles see every demo city
    "yankao": ("計畫期程", "臺北市"),
}


def test_each_roles_home_page(demo, page, tmp_path):
    for username, (heading, text) in EXPECTED.items():
        login(page, demo["url"], username)
        body = page.inner_text("main")
        assert heading in body and text in body, (username, body[:500])
        page.screenshot(path=str(tmp_path / f"home-{username}.png"), full_page=True)
        if username == "civil":
            assert "逾期" in body, "an overdue report says by how many days"
            page.get_by_role("link", name="民政處 112年第5期（9–10月）").click()
            page.wait_for_load_state()
            assert "/tracking/" in page.url and "填報中" in page.content()
        if username == "yankao":
            assert page.get_by_role("link", name="匯入").count() == 1
        logout(page)
