"""The analyst's month in real headless Chromium: log in -> queue -> a flag with its evidence -> relabel,
accept and undo -> the technology page -> the month's digest through the UI's link.

Screenshots go to $REVIEW_SCREENSHOTS when set (the README's pictures come from there)."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import review_sample as sample
from scanner.signals.periods import last_complete_month

from test_ui_browser import ARGS, CHROMIUM, PASSWORD, served  # noqa: F401  (the served fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _shots(tmp_path: Path) -> Path:
    target = Path(os.environ.get("REVIEW_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def _digest(root: Path) -> str:
    """A digest file where `scanner digest` writes it for this database (data/x.db -> data/digests/M)."""
    month = last_complete_month()
    folder = root / "digests" / month
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(
        f"<!doctype html><html lang=nl><head><title>Trenddigest {month}</title><style>h1{{color:#12324a}}</style>"
        f"</head><body><h1 id=top>Trenddigest technologie {month}</h1></body></html>", encoding="utf-8")
    return month


def test_the_analysts_month(served):  # noqa: F811
    from playwright.sync_api import sync_playwright

    base, store, ids, tmp_path = served
    store.conn.execute("INSERT INTO sources(id, name) VALUES ('demo', 'Demo Nieuws')")
    store.conn.execute("UPDATE horizon_history SET explanation = ? WHERE tech = 'chatbots'",
                       (json.dumps({"municipalities": 4}),))
    month = _digest(tmp_path)
    shots = _shots(tmp_path)
    mention = ids["m_chatbot"]
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/")
            page.fill("#username", "ana")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#queue")
            page.screenshot(path=str(shots / "month-1-queue.png"), full_page=True)

            # a flag with its evidence: sentence, document link, source name, date; relabel offered
            page.click(f"#queue tr[data-flag='{ids['horizon']}'] a[href='/flags/{ids['horizon']}']")
            page.wait_for_url(f"**/flags/{ids['horizon']}")
            snippet = page.locator(".evidence .snippet").first
            assert "Utrecht start een pilot" in snippet.locator("blockquote").inner_text()
            assert snippet.locator("a[href='https://example.org/chatbot']").count() >= 1
            assert "Demo Nieuws" in snippet.inner_text() and "2026-10-03" in snippet.inner_text()
            page.screenshot(path=str(shots / "month-2-flag.png"), full_page=True)

            # relabel the evidence's stage ...
            snippet.locator("details.relabel summary").click()
            form = snippet.locator("details.relabel form")
            form.locator("select[name=field]").select_option("stage")
            form.locator("input[name=value]").fill("adoption")
            form.locator("input[name=reason]").fill("contract signed")
            form.locator("button[type=submit]").click()
            page.wait_for_selector(".flash.ok")
            assert store.query("SELECT stage FROM mentions WHERE id = ?", (mention,))[0]["stage"] == "adoption"

            # ... accept the flag ...
            page.goto(f"{base}/flags/{ids['horizon']}")
            page.click("#accept-form button[type=submit]")
            page.wait_for_selector(".flash.ok")
            assert store.query("SELECT status FROM flags WHERE id = ?", (ids["horizon"],))[0]["status"] == "accepted"

            # ... and undo both from the flag's audit trail
            page.goto(f"{base}/flags/{ids['horizon']}")
            for _ in range(2):
                page.locator(".audit form button", has_text="Undo").first.click()
                page.wait_for_selector(".flash.ok")
                page.goto(f"{base}/flags/{ids['horizon']}")
            assert store.query("SELECT status FROM flags WHERE id = ?", (ids["horizon"],))[0]["status"] == "open"
            assert store.query("SELECT stage FROM mentions WHERE id = ?", (mention,))[0]["stage"] == "pilot"
            page.screenshot(path=str(shots / "month-3-undone.png"), full_page=True)

            # the technology page: estimate and municipalities of the last complete month
            page.click("dl.facts a[href='/technologies/chatbots']")
            page.wait_for_url("**/technologies/chatbots")
            assert re.match(r"4 ", page.locator("#municipalities").inner_text())
            assert page.locator("svg.spark").count() == 1
            assert "Demo Nieuws" in page.locator(".snippet .source").first.inner_text()  # a name, not an id
            page.screenshot(path=str(shots / "month-4-technology.png"), full_page=True)

            # the digest link in the navigation opens this month's digest
            page.click("nav a[href='/digest']")
            page.wait_for_url(f"**/digest/{month}")
            assert f"Trenddigest technologie {month}" in page.locator("h1").inner_text()
            page.screenshot(path=str(shots / "month-5-digest.png"), full_page=True)
        finally:
            browser.close()
    assert errors == [], errors
    kinds = [r["action"] for r in store.query("SELECT action FROM flag_events WHERE flag_id = ? ORDER BY id",
                                                (ids["horizon"],))]
    assert {"accept", "relabel-stage", "undo"} <= set(kinds), kinds
    assert sample  # the seeded store of test_ui_browser
