"""Digest: the drivers-and-barriers table for the technologies with the most momentum (nl and en)."""
from __future__ import annotations

from dataclasses import replace
import json
from datetime import date

import pytest

from scanner.digest import context
from scanner.digest.build import build_digest
from scanner.digest.months import month_end
from scanner.store import Store
from test_digest_fixtures import MONTH, Builder, build_store, catalogue

HOSTILE = "<b>Wet</b> | *regels*"
FACTORS = {"factors": [{"id": "privacy", "name": "Privacy", "name_en": "Privacy"},
                       {"id": "regulation", "name": f"Regelgeving {HOSTILE}", "name_en": "Regulation"},
                       {"id": "product-performance", "name": "Productprestatie", "name_en": "Product performance"}],
           "functions": [{"id": "legitimacy", "name": "Legitimiteit", "name_en": "Legitimacy"}]}
FACE = "gezichtsherkenning"


def _tagged(b: Builder, day: date, factors: list[tuple[str, str]], duplicate_of: int | None = None) -> int:
    doc = b.doc(day, [("technology", FACE, "pilot", "Gezichtsherkenning getest.")], source="fx")
    tags = [{"factor": f, "polarity": p, "score": 0.8} for f, p in factors]
    b.store.conn.execute("UPDATE doc_tags SET factors = ? WHERE document_id = ?", (json.dumps(tags), doc))
    b.store.conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (duplicate_of, doc))
    return doc


@pytest.fixture(scope="module")
def digest(tmp_path_factory) -> dict:
    store = build_store(Store(":memory:"))
    b = Builder(store)
    b.n = store.count("documents") + 1000  # fresh uids after build_store's own builder
    first = _tagged(b, date(2026, 10, 20), [("regulation", "barrier"), ("product-performance", "driver")])
    _tagged(b, date(2026, 9, 1), [("regulation", "barrier"), ("product-performance", "driver"),
                                  ("legitimacy", "driver")])
    _tagged(b, date(2025, 11, 1), [("regulation", "barrier"), ("product-performance", "driver")])
    _tagged(b, date(2025, 10, 31), [("price", "driver"), ("legitimacy", "driver")])  # before the window
    _tagged(b, date(2026, 11, 2), [("price", "driver")])  # after the digest month
    _tagged(b, date(2026, 10, 21), [("price", "driver"), ("legitimacy", "driver")], duplicate_of=first)
    cat = replace(catalogue(), factors=FACTORS)
    root = tmp_path_factory.mktemp("factors")
    out = {lang: build_digest(store, MONTH, root / lang, lang, catalogue=cat).parent for lang in ("nl", "en")}
    again = build_digest(store, MONTH, root / "again", "nl", catalogue=cat).parent
    yield {"store": store, "cat": cat, "out": out, "again": again,
           "ctx": context.gather(store, MONTH, "en", catalogue=cat)}
    store.close()


def test_rows_follow_momentum_with_top_two_each(digest):
    table = digest["ctx"]["factor_table"]
    active = [t for t in digest["ctx"]["technologies"] if t["documents_total"] > 0]
    expected = [t["id"] for t in sorted(active, key=lambda t: (-t["momentum"], t["name"].lower()))][:10]
    assert table["months"] == 12 and [r["id"] for r in table["rows"]] == expected
    face = next(r for r in table["rows"] if r["id"] == FACE)
    assert [(f["name"], f["documents"]) for f in face["drivers"]] == [("Product performance", 3), ("Legitimacy", 1)]
    assert [(f["name"], f["documents"]) for f in face["barriers"]] == [("Privacy", 8), ("Regulation", 3)]
    cameras = next(r for r in table["rows"] if r["id"] == "cameras")
    assert cameras["drivers"] == [] and [f["factor"] for f in cameras["barriers"]] == ["privacy"]


def test_limits_come_from_config(digest):
    ctx = digest["ctx"]
    table = context._factor_table(digest["store"], ctx["technologies"], month_end(MONTH), {},
                                  {"months": 1, "digest_technologies": 1, "digest_top": 1})
    assert len(table["rows"]) == 1 and table["months"] == 1
    assert all(len(r["drivers"]) <= 1 and len(r["barriers"]) <= 1 for r in table["rows"])


def test_html_tables_in_both_languages_are_escaped(digest):
    nl = (digest["out"]["nl"] / "index.html").read_text(encoding="utf-8")
    en = (digest["out"]["en"] / "index.html").read_text(encoding="utf-8")
    assert "Drijvers en barrières (laatste 12 maanden)" in nl and "Belangrijkste barrières" in nl
    assert "Drivers and barriers (last 12 months)" in en and "Top drivers" in en
    row = nl[nl.index(f'<tr data-tech="{FACE}">'):]
    row = row[:row.index("</tr>")]
    assert "Productprestatie (3), Legitimiteit (1)" in row
    assert "Privacy (8), Regelgeving &lt;b&gt;Wet&lt;/b&gt; | *regels* (3)" in row
    assert HOSTILE not in nl
    assert "Product performance (3), Legitimacy (1)" in en


def test_markdown_table_in_both_languages(digest):
    nl = (digest["out"]["nl"] / "digest.md").read_text(encoding="utf-8")
    en = (digest["out"]["en"] / "digest.md").read_text(encoding="utf-8")
    assert "### Drijvers en barrières (laatste 12 maanden)" in nl
    assert ("| Gezichtsherkenning | Productprestatie (3), Legitimiteit (1) | "
            "Privacy (8), Regelgeving &lt;b&gt;Wet&lt;/b&gt; \\| \\*regels\\* (3) |") in nl
    assert "| Facial recognition | Product performance (3), Legitimacy (1) | Privacy (8), Regulation (3) |" in en
    assert "| Camera's | – | Privacy (" in nl


def test_output_is_deterministic(digest):
    for name in ("index.html", "digest.md"):
        assert (digest["out"]["nl"] / name).read_bytes() == (digest["again"] / name).read_bytes()
