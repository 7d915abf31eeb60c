"""Feed parsing and canonical URLs: bozo feeds, encodings, entity bombs, dates."""
from __future__ import annotations

import time

from scanner.harvest.canonical import canonical_url
from scanner.harvest.extract import html_to_text
from scanner.harvest.feeds import parse_feed
from test_harvest_support import rss

URL = "http://feeds.example.invalid/rss"


def test_items_have_canonical_urls_and_utc_dates():
    body = rss([{"title": "Proef met chatbot", "link": "HTTP://Example.NL/a/?utm_source=rss&id=3#x",
                 "guid": "urn:x:1", "description": "<p>Gemeente &amp; chatbot</p>"}])
    parsed = parse_feed(body, URL)
    item = parsed.items[0]
    assert parsed.error is None and parsed.warning is None
    assert item["canonical_url"] == "http://example.nl/a?id=3"
    assert item["published"] == "2026-03-02T09:00:00+00:00"
    assert item["summary"] == "Gemeente & chatbot" and item["guid"] == "urn:x:1"


def test_missing_date_gives_none():
    parsed = parse_feed(rss([{"title": "Zonder datum", "link": "http://x.nl/a", "date": False}]), URL)
    assert parsed.items[0]["published"] is None


def test_malformed_xml_with_entries_is_kept_with_warning():
    body = rss([{"title": "Eerste", "link": "http://x.nl/1"}, {"title": "Tweede", "link": "http://x.nl/2"}])
    broken = body.replace(b"</channel></rss>", b"<item><title>kapot & half</title></item>")
    parsed = parse_feed(broken, URL)
    assert parsed.error is None and parsed.warning and "malformed" in parsed.warning
    assert {i["title"] for i in parsed.items} >= {"Eerste", "Tweede"}


def test_garbage_is_a_source_error():
    assert parse_feed(b"<html><body>no feed here</body></html>", URL).error
    assert parse_feed(b"\x00\x01binary", URL).error
    assert parse_feed(b"", URL).error


def test_wrong_declared_encoding_still_yields_text():
    body = rss([{"title": "Café", "link": "http://x.nl/c", "description": "Één overzicht van België"}],
               encoding="iso-8859-1").replace(b'encoding="iso-8859-1"', b'encoding="utf-8"')
    parsed = parse_feed(body, URL, {"content-type": "application/rss+xml; charset=utf-8"})
    assert parsed.items and parsed.warning  # bozo: declared utf-8, bytes are latin-1
    assert parsed.items[0]["title"] in ("Café", "Caf\ufffd")


def test_billion_laughs_does_not_expand():
    lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>'
            '<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title>'
            '<link>http://x.nl/a</link></item></channel></rss>').encode()
    started = time.monotonic()
    parsed = parse_feed(body, URL)
    assert time.monotonic() - started < 5
    text = "".join(i["title"] + i["summary"] for i in parsed.items)
    assert len(text) < 10_000


def test_canonical_url_rules():
    assert canonical_url("https://WWW.Site.nl:443/path/?fbclid=1&b=2&gclid=3") == "https://www.site.nl/path?b=2"
    assert canonical_url("http://site.nl:8080/") == "http://site.nl:8080"
    assert canonical_url("http://site.nl/a#frag") == canonical_url("http://site.nl/a/")


def test_html_to_text():
    assert html_to_text("<p>Een&nbsp;<b>test</b></p><p>twee</p>") == "Een test\ntwee"
