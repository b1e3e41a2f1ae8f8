"""`make demo` on this checkout: it serves a login page, the demo editor logs in and changes one of the
agency's targets in a real browser, and running the demo set-up again loses nothing."""

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.e2e


def _target_raw(db: Path, agency: str, indicator_id: int, year: int) -> str:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT t.raw FROM plans_target t WHERE t.indicator_id = ? AND t.year = ?", (indicator_id, year)
        ).fetchone()
    return row[0]


def test_demo_serves_login_and_editor_changes_a_target(demo, page):
    log = demo["log"].read_text()
    assert "civil" in log and "civicplan-demo" in log, "the demo prints its logins"

    response = page.goto(demo["url"] + "/")
    assert "/accounts/login/" in page.url and response.status == 200
    page.fill("input[name=username]", "civil")
    page.fill("input[name=password]", "civicplan-demo")
    page.get_by_role("button", name="登入").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "login succeeded"

    page.get_by_role("link", name="民政處", exact=True).first.click()
    page.wait_for_load_state()
    assert "/chapters/" in page.url
    edit = page.locator("a[href*='/targets/'][href$='/edit/']").first
    href = edit.get_attribute("href")
    target_id = int(href.rstrip("/").split("/")[-2])
    with sqlite3.connect(demo["db"]) as conn:
        indicator_id, year, before = conn.execute(
            "SELECT indicator_id, year, raw FROM plans_target WHERE id = ?", (target_id,)
        ).fetchone()
    edit.click()
    page.wait_for_load_state()
    new_value = "123456件" if before != "123456件" else "654321件"
    page.fill("[name=raw]", new_value)
    page.fill("[name=reason]", "端對端測試：依實績修正")
    page.get_by_role("button", name="儲存").click()
    page.wait_for_load_state()
    assert "/chapters/" in page.url, "saving returns to the chapter"
    assert new_value in page.content()
    assert _target_raw(demo["db"], "民政處", indicator_id, year) == new_value
    with sqlite3.connect(demo["db"]) as conn:
        actor, reason = conn.execute(
            "SELECT u.username, e.reason FROM audit_auditevent e JOIN auth_user u ON u.id = e.actor_id "
            "WHERE e.action = 'target.changed' AND e.object_id = ?", (str(target_id),)
        ).fetchone()
    assert (actor, reason) == ("civil", "端對端測試：依實績修正")

    # Another agency's target: refused.
    with sqlite3.connect(demo["db"]) as conn:
        finance_target = conn.execute(
            "SELECT t.id, t.raw FROM plans_target t JOIN plans_indicator i ON i.id = t.indicator_id "
            "JOIN plans_goal g ON g.id = i.goal_id JOIN plans_agencyplan c ON c.id = g.chapter_id "
            "JOIN agencies_agency a ON a.id = c.agency_id WHERE a.name = '財政處' LIMIT 1"
        ).fetchone()
    response = page.goto(f"{demo['url']}/targets/{finance_target[0]}/edit/")
    assert response.status == 403

    # Running the demo set-up again keeps the change and adds nothing twice.
    with sqlite3.connect(demo["db"]) as conn:
        counts_before = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                         for t in ("plans_plancycle", "plans_indicator", "auth_user", "agencies_membership")]
    rerun = subprocess.run([str(ROOT / ".venv/bin/civicplan"), "demo"], env=demo["env"], capture_output=True,
                           text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "already loaded" in rerun.stdout
    with sqlite3.connect(demo["db"]) as conn:
        counts_after = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                        for t in ("plans_plancycle", "plans_indicator", "auth_user", "agencies_membership")]
    assert counts_after == counts_before
    assert _target_raw(demo["db"], "民政處", indicator_id, year) == new_value


def test_the_yankao_admin_uploads_a_plan_book_and_loads_it(demo, page, tmp_path):
    """Upload → preview with counts → load → the new cycle's chapter is there, in a real browser."""
    import json

    book = tmp_path / "民政處_113-116.json"
    book.write_text(json.dumps({
        "format": "civicplan.plan/1", "city": "基隆市", "kind": "medium-term", "period": {"start": 113, "end": 116},
        "chapters": [{"agency": "民政處", "goals": [
            {"kind": "key", "seq": 1, "name": "強化里政服務", "perspective": "業務成果", "indicators": [
                {"seq": 1, "name": "里鄰建設服務案件數", "eval_system": "1", "eval_method": "統計數據",
                 "targets": [{"year": y, "raw": f"{y * 3}件"} for y in range(113, 117)]}]},
        ]}],
    }, ensure_ascii=False), "utf-8")
    page.goto(demo["url"] + "/accounts/login/")
    page.fill("input[name=username]", "yankao")
    page.fill("input[name=password]", "civicplan-demo")
    page.get_by_role("button", name="登入").click()
    page.get_by_role("link", name="匯入").click()
    page.set_input_files("input[name=file]", str(book))
    page.get_by_role("button", name="讀取檔案").click()
    page.wait_for_url("**/imports/*/")
    assert "民政處" in page.content() and "沒有異常" in page.content()
    page.get_by_role("button", name="載入系統").click()
    page.wait_for_url("**/cycles/*/")
    assert "113–116年度" in page.content()
    page.get_by_role("link", name="民政處", exact=True).click()
    assert "339件" in page.content() and "348件" in page.content()
