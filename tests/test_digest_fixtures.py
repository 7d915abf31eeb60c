"""A small store with known movements for the digest tests (helpers only; the tests live beside it).

October 2026: eight news items about a court stopping facial recognition (setbacks) move
`gezichtsherkenning` (forecast 0-3 in 2019) to a later ring; government roll-outs of blockchain start a burst;
"generatieve ai" appears as a new candidate term; an analyst accepts a flag with a reason; one source
fails. A steady background about cameras runs from November 2024.
"""
from __future__ import annotations

from dataclasses import replace
import json
from datetime import date, timedelta
from pathlib import Path

from scanner.catalogue import Catalogue, load_catalogue
from scanner.store import Store

MONTH = "2026-10"
XSS_TITLE = '<script>alert("x")</script> Rechter stopt gezichtsherkenning'
XSS_URL = "javascript:alert(1)"
SETBACK_TITLES = [f"Rechter stopt gezichtsherkenning in gemeente {i}" for i in range(7)] + [XSS_TITLE]
EXAMPLE = 'Gemeenten testen generatieve ai <img src=x onerror="alert(2)"> in de dienstverlening.'


DIGEST_LEXICON = Path(__file__).parent / "fixtures" / "digest_lexicon"


def catalogue() -> Catalogue:
    """9 technologies in the 8 families; 56 processes split 18/14/24 over the 6 domains (a YAML fixture)."""
    return replace(load_catalogue(DIGEST_LEXICON, validate=False), version="digest-test-v1")


TECHS = list(catalogue().technologies.values())


class Builder:
    """Insert documents with doc_tags and mentions directly (what classify would write)."""

    def __init__(self, store: Store) -> None:
        self.store, self.n = store, 0

    def doc(self, day: date, mentions: list[tuple] = (), source: str = "bb", source_type: str = "trade-press",
            title: str | None = None, url: str | None = None, candidates: list[str] = (),
            language: str = "nl", text: str = "") -> int:
        """mentions: (kind, target, stage, sentence) tuples."""
        self.n += 1
        title = title or f"Bericht {self.n}"
        cur = self.store.conn.execute(
            "INSERT INTO documents(uid, source_id, source_type, kind, url, title, text, published, language) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            (f"u{self.n}", source, source_type, "feed-item", url or f"https://example.org/{self.n}", title,
             text or title, day.isoformat() + "T10:00:00+00:00", language))
        doc_id = cur.lastrowid
        self.store.conn.execute(
            "INSERT INTO doc_tags(document_id, language, stage, municipal, candidates, factors, lexicon_version, "
            "model_version) VALUES (?,?,?,?,?,?,?,?)",
            (doc_id, language, "none", 1, json.dumps(list(candidates)),
             json.dumps([{"factor": "privacy", "polarity": "barrier", "score": 0.9}]), "t", "rules"))
        for kind, target, stage, sentence in mentions:
            self.store.conn.execute(
                'INSERT INTO mentions(document_id, kind, target, text, start, "end", sentence, stage, stage_score, '
                "municipal) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (doc_id, kind, target, target, 0, len(target), sentence, stage, 0.9, 1))
        return doc_id


def _month_days(year: int, month: int, n: int) -> list[date]:
    return [date(year, month, 1) + timedelta(days=(i * 27) // max(n, 1)) for i in range(n)]


def build_store(store: Store) -> Store:
    """Fill store with the known movements described in the module docstring."""
    b = Builder(store)
    for k in range(24):
        year, month = 2024 + (10 + k) // 12, (10 + k) % 12 + 1
        for i, day in enumerate(_month_days(year, month, 12)):
            ments = [("technology", "cameras", "adoption", "Camera's zijn in gebruik.")] if i % 3 == 0 else []
            b.doc(day, ments, source=f"bg{i % 4}", language="nl" if i % 4 else "en")
    for i, title in enumerate(SETBACK_TITLES):
        url = XSS_URL if title == XSS_TITLE else f"https://nieuws.example.org/gezicht/{i}"
        b.doc(date(2026, 10, 2 + i), [("technology", "gezichtsherkenning", "setback",
                                       "De rechter verbiedt het gebruik van gezichtsherkenning.")],
              source=f"news{i}", source_type="news", title=title, url=url)
    for i in range(8):
        b.doc(date(2026, 10, 3 + i), [("technology", "blockchain", "adoption", "Blockchain landelijk ingevoerd."),
                                      ("process", "p01", "adoption", "Paspoort via blockchain.")],
              source=f"gov{i % 4}", source_type="government", title=f"Blockchain uitgerold {i}")
    for i in range(6):
        b.doc(date(2026, 8 + i // 2, 5 + i), [], source=f"cand{i % 3}", title=EXAMPLE,
              candidates=["generatieve ai"], text=EXAMPLE)
    _decisions(store)
    return store


def _decisions(store: Store) -> None:
    conn = store.conn
    cur = conn.execute(
        "INSERT INTO flags(type, subject, tech, month, score, title, evidence, status, created_at, dedup_key) "
        "VALUES ('horizon-change', 'gezichtsherkenning', 'gezichtsherkenning', ?, 1.0, "
        "'Gezichtsherkenning verschuift', '[]', 'accepted', '2026-10-20T09:00:00+00:00', 'digest-test-1')", (MONTH,))
    conn.execute("INSERT INTO flag_events(flag_id, action, actor, at, reason) VALUES (?,?,?,?,?)",
                 (cur.lastrowid, "accept", "anna", "2026-10-21T09:30:00+00:00", "Uitspraak rechtbank bevestigd"))
    conn.execute("INSERT INTO fetch_log(source_id, url, status, error, fetched_at) VALUES (?,?,?,?,?)",
                 ("kapotte-bron", "https://kapot.example.org/feed", 500, "HTTP 500", "2026-10-15T06:00:00+00:00"))
