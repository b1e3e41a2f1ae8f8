import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PASSWORD = "civicplan-demo"

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("CIVICPLAN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download)."""
    path = chromium_path()
    if path is None:
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium): not found on PATH")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-TW", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make demo exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"make demo did not serve {url} within {seconds} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def demo(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the demo is the embedded SQLite set-up
    env.update(CIVICPLAN_DATA_DIR=str(tmp_path / "data"), DEMO_ADDR=f"127.0.0.1:{port}")
    log = tmp_path / "demo.log"
    with open(log, "w") as out:
        process = subprocess.Popen(["make", "demo"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}/accounts/login/", process, log)
        yield {"url": f"http://127.0.0.1:{port}", "env": env, "log": log,
               "db": tmp_path / "data" / "civicplan.sqlite3"}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def login(page, url: str, username: str) -> None:
    """Log in to the demo as one of its accounts, by the login form."""
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def logout(page) -> None:
    page.get_by_role("button", name="登出").click()
    page.wait_for_load_state()


def axe_check(page, where: str) -> None:
    """axe-core (vendored from npm) on the page as it is: no serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"][:3]])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{where}: {bad}"


def publish_keelung(db: Path) -> int:
    """The services need the whole review workflow; the test sets the status in the demo database directly."""
    with sqlite3.connect(db) as conn:
        (cycle_id,) = conn.execute(
            "SELECT c.id FROM plans_plancycle c JOIN agencies_city y ON y.id = c.city_id "
            "WHERE y.name = '基隆市' AND c.kind = 'medium-term' AND c.start_year = 109 AND c.end_year = 112"
        ).fetchone()
        conn.execute("UPDATE plans_plancycle SET status = 'published' WHERE id = ?", (cycle_id,))
    return cycle_id
