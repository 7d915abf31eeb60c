"""Smaller hostile cases: IPv6 forms of private addresses, slow-drip hosts, empty feeds and sources files."""
from __future__ import annotations

import ipaddress
import time

import pytest
from werkzeug import Request, Response

from scanner.harvest.feeds import parse_feed
from scanner.harvest.netguard import BlockedURL, address_problem, check_url
from scanner.harvest.run import harvest
from test_harvest_run import Site
from test_harvest_support import fast_config, rss, src


@pytest.fixture
def site(httpserver):
    return Site(httpserver)


@pytest.mark.parametrize("address, inner", [
    ("64:ff9b::7f00:1", "127.0.0.1"),          # NAT64 of loopback
    ("64:ff9b::a00:1", "10.0.0.1"),            # NAT64 of a private address
    ("64:ff9b::a9fe:a9fe", "169.254.169.254"), # NAT64 of the metadata address
    ("2002:7f00:1::", "127.0.0.1"),            # 6to4 of loopback
    ("2002:c0a8:101::1", "192.168.1.1"),       # 6to4 of a private address
    ("::127.0.0.1", "127.0.0.1"),              # IPv4-compatible
    ("::10.0.0.1", "10.0.0.1"),
    ("::ffff:127.0.0.1", "127.0.0.1"),         # IPv4-mapped
])
def test_ipv6_forms_of_private_addresses_are_refused(address, inner):
    problem = address_problem(ipaddress.ip_address(address), allow_private=False)
    assert problem and f"{inner} inside" in problem
    with pytest.raises(BlockedURL):
        check_url(f"http://[{address}]/feed.xml")


def test_local_use_nat64_is_private_and_public_forms_pass():
    assert "local-use NAT64" in address_problem(ipaddress.ip_address("64:ff9b:1::a00:1"), False)
    for public in ("64:ff9b::808:808", "2002:808:808::1", "2a00:1450:4001::1", "8.8.8.8"):
        assert address_problem(ipaddress.ip_address(public), False) is None
    assert address_problem(ipaddress.ip_address("64:ff9b::a00:1"), allow_private=True) is None
    assert address_problem(ipaddress.ip_address("64:ff9b::a9fe:a9fe"), allow_private=True)  # metadata: never


def test_slow_drip_pages_are_bounded_by_source_timeout(store, site):
    def drip(request: Request) -> Response:
        def body():
            yield b"<html><body><article><p>"
            for _ in range(300):  # 30 s in all, each byte well within the read timeout
                time.sleep(0.1)
                yield b"x"
        return Response(body(), content_type="text/html")

    for n in range(4):
        site.routes[f"/slow{n}.html"] = drip
    site.routes["/feed.xml"] = rss([{"title": f"Traag {n}", "link": site.url(f"/slow{n}.html"),
                                     "description": "Samenvatting."} for n in range(4)])
    cfg = fast_config(source_timeout_s=2.0, read_timeout_s=5.0, total_timeout_s=120.0, per_host=2, robots=False)
    started = time.monotonic()
    summary = harvest(store, [src("drip", site.url("/feed.xml"), full_text=True)], cfg)
    elapsed = time.monotonic() - started
    assert elapsed < 8, f"source ran {elapsed:.1f} s past its 2 s limit"
    assert summary.results[0].line().startswith("drip: FAILED timed out (source_timeout_s)")


def test_a_feed_with_no_entries_is_ok(store, site):
    site.routes["/empty.xml"] = rss([])
    site.routes["/atom.xml"] = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Leeg</title>'
                                b"<id>urn:x</id><updated>2026-01-01T00:00:00Z</updated></feed>")
    summary = harvest(store, [src("empty", site.url("/empty.xml")), src("atom", site.url("/atom.xml"))], fast_config())
    assert summary.sources_failed == 0
    assert [r.line() for r in summary.results] == [
        "empty: ok, 0 items, 0 new, 0 duplicates, 1 warning(s): no entries in feed",
        "atom: ok, 0 items, 0 new, 0 duplicates, 1 warning(s): no entries in feed"]
    assert parse_feed(b"<html><body>no feed</body></html>", "http://x.invalid/").error.startswith("not a feed")


@pytest.mark.parametrize("content, message", [
    ("", "no sources: the sources file has no [[source]] tables"),
    ("# nothing yet\n", "no sources: the sources file has no [[source]] tables"),
    ('[[source]]\nid = "a"\nname = "A"\nurl = "https://example.org/f"\nenabled = false\n',
     "no enabled sources: all 1 are disabled"),
])
def test_empty_sources_file_is_one_clear_line(tmp_path, content, message):
    import subprocess
    import sys

    path = tmp_path / "sources.toml"
    path.write_text(content, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "scanner", "--db", str(tmp_path / "t.db"), "harvest",
                           "--sources", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}")
