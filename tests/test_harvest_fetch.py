"""Fetcher against a local HTTP server: caching, retries, timeouts, caps, redirects, address guard."""
from __future__ import annotations

import gzip
import time

import pytest
from werkzeug import Request, Response

from scanner.harvest.fetch import USER_AGENT, Fetcher, parse_retry_after
from scanner.harvest.netguard import BlockedURL, check_url
from test_harvest_support import fast_config


@pytest.fixture
def fetcher():
    f = Fetcher(fast_config())
    yield f
    f.close()


def test_user_agent_and_plain_get(httpserver, fetcher):
    httpserver.expect_request("/a", headers={"User-Agent": USER_AGENT}).respond_with_data("hello")
    result = fetcher.fetch(httpserver.url_for("/a"), allow_private=True)
    assert result.ok and result.body == b"hello" and result.status == 200
    assert len(result.log) == 1 and result.log[0]["bytes"] == 5 and result.log[0]["error"] is None


def test_conditional_get_304_marks_not_modified(httpserver):
    cache = {}
    fetcher = Fetcher(fast_config(), cache_lookup=lambda url: cache.get(url))
    url = httpserver.url_for("/feed")
    httpserver.expect_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    httpserver.expect_request("/feed").respond_with_data("body", headers={"ETag": '"v1"'})
    first = fetcher.fetch(url, allow_private=True, conditional=True)
    assert first.ok and not first.not_modified and first.cache_update["etag"] == '"v1"'
    cache[url] = first.cache_update
    second = fetcher.fetch(url, allow_private=True, conditional=True)
    assert second.ok and second.not_modified and second.body is None
    fetcher.close()


def test_unchanged_body_is_detected_without_validators(httpserver):
    cache = {}
    fetcher = Fetcher(fast_config(), cache_lookup=lambda url: cache.get(url))
    url = httpserver.url_for("/feed")
    httpserver.expect_request("/feed").respond_with_data("same body")
    first = fetcher.fetch(url, allow_private=True, conditional=True)
    cache[url] = first.cache_update
    second = fetcher.fetch(url, allow_private=True, conditional=True)
    assert not first.unchanged and second.unchanged and second.status == 200
    fetcher.close()


def test_429_with_retry_after_is_honoured_then_succeeds(httpserver, fetcher):
    httpserver.expect_ordered_request("/x").respond_with_data("slow down", status=429, headers={"Retry-After": "0"})
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    result = fetcher.fetch(httpserver.url_for("/x"), allow_private=True)
    assert result.ok and result.body == b"ok"
    assert [e["status"] for e in result.log] == [429, 200]


def test_retry_after_is_capped():
    fetcher = Fetcher(fast_config(retry_after_max_s=0.1))
    assert fetcher._backoff(0, 3600.0) == 0.1
    assert parse_retry_after("120") == 120.0 and parse_retry_after("garbage") is None
    fetcher.close()


def test_500_then_200_retries(httpserver, fetcher):
    httpserver.expect_ordered_request("/y").respond_with_data("boom", status=500)
    httpserver.expect_ordered_request("/y").respond_with_data("fine")
    result = fetcher.fetch(httpserver.url_for("/y"), allow_private=True)
    assert result.ok and result.body == b"fine" and len(result.log) == 2


def test_404_is_not_retried(httpserver, fetcher):
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    result = fetcher.fetch(httpserver.url_for("/missing"), allow_private=True)
    assert not result.ok and result.error == "HTTP 404" and len(result.log) == 1


def test_read_timeout_is_an_error_not_a_hang(httpserver):
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response("late")
    httpserver.expect_request("/slow").respond_with_handler(slow)
    fetcher = Fetcher(fast_config(read_timeout_s=0.2, max_retries=1))
    started = time.monotonic()
    result = fetcher.fetch(httpserver.url_for("/slow"), allow_private=True)
    fetcher.close()
    assert not result.ok and result.error.startswith("timeout")
    assert len(result.log) == 2 and time.monotonic() - started < 3


def test_body_over_cap_is_refused(httpserver):
    httpserver.expect_request("/big").respond_with_data(b"x" * 50_000)
    fetcher = Fetcher(fast_config(max_bytes=10_000))
    result = fetcher.fetch(httpserver.url_for("/big"), allow_private=True)
    fetcher.close()
    assert not result.ok and "over the cap" in result.error and result.body is None


def test_gzip_bomb_is_capped_on_decompressed_size(httpserver):
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(bomb) < 100_000
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    fetcher = Fetcher(fast_config(max_bytes=1_000_000))
    result = fetcher.fetch(httpserver.url_for("/bomb"), allow_private=True)
    fetcher.close()
    assert not result.ok and "decompressed" in result.error


def test_gzip_body_is_decoded(httpserver, fetcher):
    httpserver.expect_request("/gz").respond_with_data(gzip.compress(b"<rss/>"), headers={"Content-Encoding": "gzip"})
    assert fetcher.fetch(httpserver.url_for("/gz"), allow_private=True).body == b"<rss/>"


def test_redirect_loop_stops(httpserver, fetcher):
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    result = fetcher.fetch(httpserver.url_for("/a"), allow_private=True)
    assert not result.ok and "too many redirects" in result.error and len(result.log) == 6


def test_redirect_followed_and_each_hop_guarded(httpserver, fetcher):
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("moved")
    result = fetcher.fetch(httpserver.url_for("/old"), allow_private=True)
    assert result.ok and result.final_url.endswith("/new") and result.body == b"moved"
    httpserver.expect_request("/evil").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    evil = fetcher.fetch(httpserver.url_for("/evil"), allow_private=True)
    assert not evil.ok and "metadata" in evil.error


def test_loopback_refused_without_allow_private(httpserver, fetcher):
    httpserver.expect_request("/p").respond_with_data("secret")
    result = fetcher.fetch(httpserver.url_for("/p"), allow_private=False)
    assert not result.ok and "loopback" in result.error and len(httpserver.log) == 0


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.com/x", "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/", "http://10.1.2.3/", "http://192.168.0.1/", "http://127.0.0.1/", "gopher://x/",
])
def test_address_guard_refuses(url):
    with pytest.raises(BlockedURL):
        check_url(url, allow_private=False)


def test_allow_private_permits_loopback_but_never_metadata():
    check_url("http://127.0.0.1:9/", allow_private=True)
    check_url("http://10.0.0.5/", allow_private=True)
    with pytest.raises(BlockedURL):
        check_url("http://169.254.169.254/", allow_private=True)
    with pytest.raises(BlockedURL):
        check_url("file:///etc/passwd", allow_private=True)


def test_brotli_and_deflate_bodies_are_decoded(httpserver, fetcher):
    import zlib

    import brotli

    httpserver.expect_request("/br").respond_with_data(brotli.compress(b"<feed/>"), headers={"Content-Encoding": "br"})
    httpserver.expect_request("/df").respond_with_data(zlib.compress(b"<rdf/>"), headers={"Content-Encoding": "deflate"})
    assert fetcher.fetch(httpserver.url_for("/br"), allow_private=True).body == b"<feed/>"
    assert fetcher.fetch(httpserver.url_for("/df"), allow_private=True).body == b"<rdf/>"


def test_brotli_bomb_is_capped(httpserver):
    import brotli

    httpserver.expect_request("/brb").respond_with_data(brotli.compress(b"\0" * 5_000_000), headers={"Content-Encoding": "br"})
    fetcher = Fetcher(fast_config(max_bytes=100_000))
    result = fetcher.fetch(httpserver.url_for("/brb"), allow_private=True)
    fetcher.close()
    assert not result.ok and "over the cap" in result.error


def test_connected_address_is_checked_too(httpserver, monkeypatch):
    """If DNS answers differently at connect time (rebinding), the connected peer is still refused."""
    import scanner.harvest.fetch as fetch_module

    httpserver.expect_request("/r").respond_with_data("internal")
    monkeypatch.setattr(fetch_module, "check_url", lambda url, allow_private=False: None)
    fetcher = Fetcher(fast_config())
    result = fetcher.fetch(httpserver.url_for("/r"), allow_private=False)
    fetcher.close()
    assert not result.ok and "connected address" in result.error and result.body is None
