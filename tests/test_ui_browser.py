"""End-to-end in real headless Chromium: log in, filter, accept with the keyboard, hostile evidence stays text."""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from scanner.review import auth
import review_sample as sample
from scanner.review.app import create_app
from scanner.store import Store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PASSWORD = "correct horse battery"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or `make browser`)")
    import playwright.sync_api  # noqa: F401  (a dev dependency: missing is a failure, not a skip)
    import uvicorn

    path = tmp_path / "browser.db"
    store = Store(path)
    ids = sample.seed(store)
    auth.add_user(store, "ana", PASSWORD, n=1024)
    port = _free_port()
    app = create_app(path, catalogue_loader=sample.sample_loader)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", store, ids, tmp_path
    server.should_exit = True
    thread.join(timeout=10)
    app.state.store.close()
    store.close()


def _shots_dir(tmp_path: Path) -> Path:
    """Screenshots go to $REVIEW_SCREENSHOTS when set (to look at them), else the test's tmp dir."""
    target = Path(os.environ.get("REVIEW_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_login_filter_accept_and_hostile_evidence(served):
    from playwright.sync_api import sync_playwright

    base, store, ids, tmp_path = served
    dialogs: list[str] = []
    console_errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/")
            assert "/login" in page.url
            page.fill("#username", "ana")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#queue")
            assert page.locator("#queue tbody tr[data-flag]").count() == 5

            page.select_option("select[name=tech]", "chatbots")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**tech=chatbots**")
            rows = page.locator("#queue tbody tr[data-flag]")
            assert rows.count() == 2
            assert rows.first.get_attribute("data-flag") == str(ids["horizon"])
            page.screenshot(path=str(_shots_dir(tmp_path) / "queue.png"), full_page=True)

            page.keyboard.press("j")  # select the top row ...
            assert "selected" in (rows.first.get_attribute("class") or "")
            page.keyboard.press("a")  # ... and accept it (keys.js clicks its Accept button)
            page.wait_for_selector(".flash.ok")
            assert "tech=chatbots" in page.url
            remaining = [r.get_attribute("data-flag") for r in page.locator("#queue tbody tr[data-flag]").all()]
            assert remaining == [str(ids["reach"])]
            assert store.query("SELECT status FROM flags WHERE id = ?", (ids["horizon"],))[0]["status"] == "accepted"

            page.goto(f"{base}/flags/{ids['horizon']}")
            assert page.locator("svg.spark polyline").count() == 1
            page.screenshot(path=str(_shots_dir(tmp_path) / "flag_tech.png"), full_page=True)
            page.goto(f"{base}/flags/{ids['emerging']}")
            quote = page.locator(".snippet blockquote").first
            assert "<img src=x onerror=alert(1)>" in quote.inner_text()
            assert page.locator(".evidence img").count() == 0
            assert page.locator("mark", has_text="generatieve AI").count() >= 1
            page.screenshot(path=str(_shots_dir(tmp_path) / "flag.png"), full_page=True)
            page.goto(f"{base}/flags/{ids['lowconf']}")
            assert "<img src=x onerror=alert(1)>" in page.locator("h1").inner_text()
            page.wait_for_timeout(300)
        finally:
            browser.close()
    assert dialogs == [], f"script from evidence ran: {dialogs}"
    assert console_errors == [], f"console errors (CSP violations?): {console_errors}"
