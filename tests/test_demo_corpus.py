"""The bundled demo corpus (data/demo) and its loopback server (scanner.demo.server)."""
from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path
from urllib.request import Request, urlopen
from urllib.error import HTTPError

import feedparser
import pypdf
import pytest

from scanner.demo.server import PLACEHOLDER, demo_sources, serve_directory, stop
from scanner.errors import ScannerError

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
GENAI = re.compile(r"generatieve AI|generative AI|taalmodel|large language model|\bLLM|AI-agent|agentic AI|\bGPT", re.I)


def stamp(entry) -> time.struct_time | None:
    """The entry's date without feedparser's deprecated updated/published fallback."""
    return dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")


def generate(out: Path) -> None:
    subprocess.run([sys.executable, str(DEMO / "generate.py"), "--out", str(out)], check=True,
                   capture_output=True, timeout=120)


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def feeds() -> dict[str, feedparser.FeedParserDict]:
    return {p.name: feedparser.parse(p.read_bytes()) for p in sorted((DEMO / "site" / "feeds").iterdir())}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def site(tmp_path: Path):
    (tmp_path / "feed.xml").write_text(f"<rss><channel><link>{PLACEHOLDER}/a.html</link></channel></rss>")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4 " + PLACEHOLDER.encode())
    (tmp_path / "sub").mkdir()
    (tmp_path.parent / "secret.txt").write_text("outside root")
    server, base = serve_directory(tmp_path)
    yield server, base
    stop(server)


def raw_get(base: str, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    """A request whose path is sent exactly as given (urllib would normalise '/../')."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


def test_generator_is_deterministic_and_matches_committed_output(tmp_path: Path) -> None:
    generate(tmp_path / "a")
    generate(tmp_path / "b")
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert first == second
    committed = tree(DEMO / "site")
    text_files = [k for k in first if not k.endswith(".pdf")]
    assert set(first) == {f"site/{k}" for k in committed} | {"sources.toml", "manifest.json", "README.md"}
    assert all(first[k] == (DEMO / k).read_bytes() for k in text_files), "rerun data/demo/generate.py"


def test_feeds_parse_with_enough_items_in_every_format(feeds) -> None:
    versions = Counter(d.version for d in feeds.values())
    assert len(feeds) >= 10
    assert versions["rss20"] >= 2 and versions["atom10"] >= 2 and versions["rss10"] >= 2
    assert sum(len(d.entries) for d in feeds.values()) >= 1500
    assert all(len(d.entries) > 50 for d in feeds.values())


def test_dates_span_the_24_months(feeds) -> None:
    months = Counter(time.strftime("%Y-%m", stamp(e)) for d in feeds.values() for e in d.entries if stamp(e))
    assert min(months) == "2024-11" and max(months) == "2026-10" and len(months) == 24
    early = sum(months[m] for m in ("2024-11", "2024-12", "2025-01"))
    late = sum(months[m] for m in ("2026-08", "2026-09", "2026-10"))
    assert late > 1.6 * early  # overall volume grows


def test_languages_are_mostly_dutch(manifest) -> None:
    langs = manifest["totals"]["by_language"]
    assert 0.6 < langs["nl"] / (langs["nl"] + langs["en"]) < 0.7


def test_malformed_items_and_bozo_feed(feeds, manifest) -> None:
    bozo = feeds["demo-govtech-europe.rss"]
    assert bozo.bozo and len(bozo.entries) == manifest["totals"]["by_feed"]["demo-govtech-europe"]
    assert sum(1 for d in feeds.values() if d.bozo) == 1
    defects = Counter(m["defect"] for m in manifest["malformed"])
    assert set(defects) == {"missing-link", "missing-date", "unparseable-date", "broken-entities", "empty-description"}
    nolink = [e for d in feeds.values() for e in d.entries if not e.get("link")]
    undated = [e for d in feeds.values() for e in d.entries if not stamp(e)]
    assert len(nolink) == 1 and len(undated) == 3


def test_generative_ai_terms_absent_before_2025_and_growing(feeds) -> None:
    months = Counter()
    for d in feeds.values():
        for e in d.entries:
            if stamp(e) and GENAI.search(e.title + " " + e.get("summary", "")):
                months[time.strftime("%Y-%m", stamp(e))] += 1
    assert min(months) == "2025-01"
    assert months["2026-10"] > 5 * max(1, months["2025-03"])


def test_planted_trends_documented_in_manifest(manifest) -> None:
    dt = manifest["trends"]["digital-twins"]
    first, last = dt["2024-11"], dt["2026-10"]
    assert sum(last.values()) >= 5 * sum(first.values())
    assert first.get("adoption", 0) + first.get("procurement", 0) == 0
    assert last["adoption"] + last["procurement"] > 3 * (last.get("research", 0) + last.get("pilot", 0))
    drones = manifest["trends"]["drones"]
    weeks = drones["by_week"]
    burst = [weeks[w] for w in drones["burst_weeks"]]
    normal = [n for w, n in weeks.items() if w not in drones["burst_weeks"]]
    assert len(burst) >= 8 and min(burst) >= 5 * max(normal)
    gez = manifest["trends"]["gezichtsherkenning"]
    assert all(gez[m].get("setback", 0) == 0 for m in manifest["months"] if m < "2025-09")
    assert all(gez[m]["setback"] >= 3 for m in manifest["months"] if m >= "2025-09")


def test_syndicated_copies_differ_in_title_and_url(manifest) -> None:
    items = {i["uid"]: i for i in manifest["items"]}
    groups = manifest["syndication"]["originals"]
    assert len(groups) >= 30 and all(2 <= len(c) <= 4 for c in groups.values())
    for original, copies in groups.items():
        feeds_used = {items[original]["feed"]} | {items[c]["feed"] for c in copies}
        assert len(feeds_used) == len(copies) + 1
        assert all(items[c]["title"] != items[original]["title"] for c in copies)


def test_article_pages_and_reports() -> None:
    pages = list((DEMO / "site" / "articles").glob("*.html"))
    assert len(pages) >= 300
    html = pages[0].read_text(encoding="utf-8")
    assert 'property="article:published_time"' in html and "cookie-banner" in html
    reports = DEMO / "site" / "reports"
    good = [p for p in reports.glob("*.pdf") if not p.name.startswith("broken")]
    assert len(good) >= 3
    for pdf in good:
        reader = pypdf.PdfReader(pdf)
        assert len(reader.pages) >= 2 and reader.metadata.title and reader.metadata.creation_date
        assert len(reader.pages[1].extract_text()) > 300
    with pytest.raises(Exception):
        pypdf.PdfReader(reports / "broken-report-2026.pdf").pages[0].extract_text()


def test_sources_file_points_at_existing_files() -> None:
    sources = tomllib.loads((DEMO / "sources.toml").read_text(encoding="utf-8"))["source"]
    assert len({s["id"] for s in sources}) == len(sources)
    assert Counter(s["kind"] for s in sources) == {"feed": 12, "page": 1, "pdf": 1}
    for s in sources:
        assert s["allow_private"] and s["url"].startswith(PLACEHOLDER + "/")
        assert (DEMO / "site" / s["url"].removeprefix(PLACEHOLDER + "/")).is_file()
    page = next(s for s in sources if s["kind"] == "page")
    listing = (DEMO / "site" / "reports" / "index.html").read_text(encoding="utf-8")
    links = [u for u in re.findall(r'href="([^"]+)"', listing) if re.search(page["link_pattern"], u)]
    assert len(links) == 5  # four reports and the broken one


def test_server_rewrites_origin_and_sends_validators(site) -> None:
    _, base = site
    with urlopen(f"{base}/feed.xml") as resp:
        body, headers = resp.read(), resp.headers
    assert f"{base}/a.html".encode() in body and PLACEHOLDER.encode() not in body
    assert headers["Content-Type"].startswith("application/xml") and headers["ETag"] and headers["Last-Modified"]
    with urlopen(f"{base}/doc.pdf") as resp:  # binary files are served untouched
        assert PLACEHOLDER.encode() in resp.read() and resp.headers["Content-Type"] == "application/pdf"


def test_server_answers_304_for_conditional_get(site) -> None:
    _, base = site
    with urlopen(f"{base}/feed.xml") as resp:
        etag, modified = resp.headers["ETag"], resp.headers["Last-Modified"]
    assert raw_get(base, "/feed.xml", {"If-None-Match": etag}).status == 304
    assert raw_get(base, "/feed.xml", {"If-None-Match": '"other"'}).status == 200
    assert raw_get(base, "/feed.xml", {"If-Modified-Since": modified}).status == 304


def test_server_refuses_traversal_and_404s(site) -> None:
    _, base = site
    for path in ("/../secret.txt", "/sub/../../secret.txt", "/sub/..%2f..%2fsecret.txt", "/%2e%2e/secret.txt"):
        assert raw_get(base, path).status == 403, path
    assert raw_get(base, "/missing.xml").status == 404
    assert raw_get(base, "/sub/").status == 404  # no directory listing
    with pytest.raises(HTTPError) as err:
        urlopen(f"{base}/nope.html")
    assert err.value.code == 404


def test_server_latency_and_demo_sources() -> None:
    server, base = serve_directory(DEMO / "site", latency=0.2)
    try:
        started = time.perf_counter()
        sources = demo_sources(base)
        feed = next(s for s in sources if s["id"] == "demo-ibestuur")
        parsed = feedparser.parse(urlopen(feed["url"]).read())
        assert time.perf_counter() - started >= 0.2
        assert all(s["url"].startswith(base + "/") for s in sources)
        link = parsed.entries[0].link
        assert link.startswith(base + "/articles/")
        assert b"<article>" in urlopen(link).read()
    finally:
        stop(server)


def test_server_head_and_missing_root(site, tmp_path: Path) -> None:
    _, base = site
    with urlopen(Request(f"{base}/feed.xml", method="HEAD")) as resp:
        assert resp.status == 200 and resp.read() == b"" and int(resp.headers["Content-Length"]) > 0
    with pytest.raises(ScannerError):
        serve_directory(tmp_path / "does-not-exist")
