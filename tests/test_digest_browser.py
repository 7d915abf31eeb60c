"""Render the fixture digest in headless Chromium to a PNG (kept in tmp_path, never in git)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scanner.digest.build import build_digest
from scanner.digest.months import month_end
from scanner.signals import api
from scanner.store import Store
from test_digest_fixtures import MONTH, build_store, catalogue

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

pytestmark = pytest.mark.browser


def screenshot(page: Path, png: Path, size: str = "1200,3000") -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--hide-scrollbars", f"--screenshot={png}", f"--window-size={size}",
         page.resolve().as_uri()],
        capture_output=True, text=True, timeout=90)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    store = build_store(Store(":memory:"))
    api.run_signals(store, month_end(MONTH), catalogue=catalogue())
    yield build_digest(store, MONTH, tmp_path_factory.mktemp("digest"), "nl", catalogue=catalogue())
    store.close()


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (/usr/bin/chromium): "
                                              "`make browser` or `apt-get install -y chromium` enables this test")
@pytest.mark.parametrize("size", ["1200,3000", "390,2400"])
def test_digest_renders_in_headless_chromium(page, tmp_path, size):
    """Desktop and phone widths; look at the PNG in tmp_path to judge the layout."""
    png = tmp_path / f"digest-{size.split(',')[0]}.png"
    result = screenshot(page, png, size)
    assert result.returncode == 0, result.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000
    width = int.from_bytes(data[16:20], "big")
    assert width == int(size.split(",")[0])
    keep = os.environ.get("SCANNER_SCREENSHOT_DIR")  # e.g. docs/screenshots (git-ignored) for the README
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / png.name)


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (/usr/bin/chromium): "
                                              "`make browser` or `apt-get install -y chromium` enables this test")
@pytest.mark.parametrize("width", [1400, 390])
def test_digest_fits_laptop_and_phone_widths(page, width):
    """Nothing wider than the screen (tables scroll in their own box), the radar and scatter scale down,
    every radar number and every scatter label is drawn."""
    pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            view = browser.new_page(viewport={"width": width, "height": 900})
            view.goto(page.resolve().as_uri())
            assert view.evaluate("document.documentElement.scrollWidth") <= width + 1
            for selector in ("svg.radar", "#certainty svg, svg[aria-labelledby^='certainty']"):
                box = view.locator(selector).first.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (selector, box)
            numbers = view.locator("svg.radar g.blip text").all_text_contents()
            assert sorted(int(n) for n in numbers) == list(range(1, len(numbers) + 1))
        finally:
            browser.close()
