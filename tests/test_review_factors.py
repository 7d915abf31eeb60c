"""Review technology page: the drivers-and-barriers block (counts, catalogue names, escaping)."""
from __future__ import annotations

from dataclasses import replace
import json
import re

import pytest
from fastapi.testclient import TestClient

from scanner.review import auth
import review_sample as sample
from scanner.catalogue import Catalogue
from scanner.review.app import create_app
from scanner.store import Store

PASSWORD = "correct horse battery"
HOSTILE = "<script>alert(3)</script>"
FACTORS = {"factors": [{"id": "price", "name": "Prijs", "name_en": "Price"},
                       {"id": "regulation", "name": "Regelgeving", "name_en": f"Regulation {HOSTILE}"}],
           "functions": [{"id": "experimenting", "name": "Experimenteren"}]}


def _loader(store: Store) -> Catalogue:
    return replace(sample.catalogue(), factors=FACTORS)


def _doc(store: Store, uid: str, published: str, factors: list[tuple[str, str]], tech: str,
         duplicate_of: int | None = None) -> int:
    doc = int(store.conn.execute("INSERT INTO documents(uid, published, duplicate_of) VALUES (?, ?, ?)",
                                 (uid, published, duplicate_of)).lastrowid)
    tags = [{"factor": f, "polarity": p, "score": 0.8} for f, p in factors]
    store.conn.execute("INSERT INTO doc_tags(document_id, factors) VALUES (?, ?)", (doc, json.dumps(tags)))
    store.conn.execute("INSERT INTO mentions(document_id, kind, target) VALUES (?, 'technology', ?)", (doc, tech))
    return doc


@pytest.fixture
def client(tmp_path):
    path = tmp_path / "review.db"
    store = Store(path)
    sample.seed(store)
    with store.transaction():
        first = _doc(store, "f1", "2026-09-01", [("price", "driver"), ("regulation", "barrier")], "chatbots")
        _doc(store, "f2", "2026-08-01", [("price", "driver"), ("experimenting", "driver"),
                                         (HOSTILE, "barrier")], "chatbots")
        _doc(store, "f3", "2026-07-01", [("experimenting", "driver"), ("unknown-factor", "driver")], "chatbots")
        _doc(store, "f4", "2026-07-02", [("regulation", "barrier")], "chatbots")
        _doc(store, "dup", "2026-09-02", [("regulation", "barrier")], "chatbots", duplicate_of=first)
        _doc(store, "old", "2025-01-01", [("price", "barrier")], "chatbots")
    auth.add_user(store, "ana", PASSWORD, n=1024)
    app = create_app(path, catalogue_loader=_loader)
    with TestClient(app) as c:
        assert sample.login(c, "ana", PASSWORD).status_code == 303
        yield c
    app.state.store.close()
    store.close()


def _table(html: str, kind: str) -> list[tuple[str, str]]:
    block = re.search(rf'<table class="compact" data-factors="{kind}">(.*?)</table>', html, re.S)
    assert block, f"no {kind} table"
    return re.findall(r'<tr><td title="[^"]*">(.*?)</td><td class="num">(\d+)</td></tr>', block.group(1))


def test_top_drivers_and_barriers_with_names_and_counts(client):
    html = client.get("/technologies/chatbots").text
    assert "Drivers and barriers" in html and "last 12 months to 2026-10-05" in html
    assert _table(html, "drivers") == [("Experimenteren", "2"), ("Price", "2"), ("unknown-factor", "1")]
    barriers = _table(html, "barriers")
    assert barriers[0] == ("Regulation &lt;script&gt;alert(3)&lt;/script&gt;", "2")
    assert barriers[1] == ("&lt;script&gt;alert(3)&lt;/script&gt;", "1") and len(barriers) == 2
    assert HOSTILE not in html


def test_technology_without_factors_says_so(client):
    html = client.get("/technologies/drones").text
    assert "Drivers and barriers" in html and html.count("None named.") == 2
    assert 'data-factors="drivers"' not in html
