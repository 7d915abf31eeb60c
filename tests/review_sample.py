"""A small synthetic review store (flags, documents, mentions, trends) for the tests, with hostile strings."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scanner.catalogue import Catalogue, load_catalogue
from scanner.store import Store
from scanner.bench.ui import login  # noqa: F401  (the tests log in like the bench)
from scanner.bench.ui import seed_flags as seed_many  # noqa: F401  (many open flags for paging tests)
from scanner.util import dumps, iso, utcnow

REVIEW_LEXICON = Path(__file__).parent / "fixtures" / "review_lexicon"  # chatbots, digital-twins, drones
XSS = "<img src=x onerror=alert(1)>"


def catalogue() -> Catalogue:
    """The review tests' small real catalogue (a YAML fixture)."""
    return load_catalogue(REVIEW_LEXICON, validate=False)


def sample_loader(store: Store) -> Catalogue:
    """Stands in for scanner.catalogue.load_catalogue(store=...) in the review app of the tests."""
    return catalogue()


def _document(store: Store, uid: str, title: str, text: str, url: str, published: str) -> int:
    cur = store.conn.execute(
        "INSERT INTO documents(uid, source_id, source_type, title, text, url, published, language) "
        "VALUES (?, 'demo', 'news', ?, ?, ?, ?, 'nl')",
        (uid, title, text, url, published),
    )
    return int(cur.lastrowid)


def _mention(store: Store, doc: int, kind: str, target: str, text: str, sentence: str, stage: str) -> int:
    cur = store.conn.execute(
        'INSERT INTO mentions(document_id, kind, target, text, start, "end", sentence, stage, stage_score) '
        "VALUES (?, ?, ?, ?, 0, ?, ?, ?, 0.9)",
        (doc, kind, target, text, len(text), sentence, stage),
    )
    return int(cur.lastrowid)


def add_flag(store: Store, type_: str, subject: str, score: float, title: str, evidence: list[dict[str, Any]],
             tech: str | None = None, process: str | None = None, month: str = "2026-10") -> int:
    cur = store.conn.execute(
        "INSERT INTO flags(type, subject, tech, process, month, score, title, evidence, status, created_at, "
        "dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
        (type_, subject, tech, process, month, score, title, dumps(evidence), iso(utcnow()),
         f"{type_}:{subject}:{month}:{score}"),
    )
    store.conn.execute("INSERT INTO flag_events(flag_id, action, actor, at, reason, after) "
                       "VALUES (?, 'created', 'signals', ?, NULL, 'open')", (cur.lastrowid, iso(utcnow())))
    return int(cur.lastrowid)


def seed(store: Store) -> dict[str, int]:
    """Five flags (one per type, one with hostile evidence), documents, mentions, trends, history."""
    ids: dict[str, int] = {}
    with store.transaction():
        d1 = _document(store, "d1", "Gemeente start pilot met chatbot", "Tekst", "https://example.org/chatbot",
                       "2026-10-03")
        d2 = _document(store, "d2", XSS, "Tekst", "javascript:alert(2)", "2026-10-05")
        s1 = "De gemeente Utrecht start een pilot met een chatbot voor paspoortvragen."
        s2 = f"Leverancier belooft {XSS} generatieve AI in elke gemeente."
        ids["m_chatbot"] = _mention(store, d1, "technology", "chatbots", "chatbot", s1, "pilot")
        ids["m_process"] = _mention(store, d1, "process", "paspoort-aanvragen", "paspoortvragen", s1, "pilot")
        ids["m_twin"] = _mention(store, d2, "technology", "digital-twins", "digital twin", s2, "research")
        ev1 = [{"document_id": d1, "title": "Gemeente start pilot met chatbot", "url": "https://example.org/chatbot",
                "source": "demo", "published": "2026-10-03", "sentence": s1, "stage": "pilot",
                "mention_id": ids["m_chatbot"]}]
        ev2 = [{"document_id": d2, "title": XSS, "url": "javascript:alert(2)", "source": "demo",
                "published": "2026-10-05", "sentence": s2, "stage": "research", "term": "generatieve AI"}]
        ids["horizon"] = add_flag(store, "horizon-change", "chatbots", 0.95, "Chatbots: 0-3 -> in-use", ev1,
                                  tech="chatbots")
        ids["burst"] = add_flag(store, "burst", "drones", 0.80, "Burst: drones", [], tech="drones")
        ids["emerging"] = add_flag(store, "emerging-term", "generatieve ai", 0.70, "New term: generatieve ai", ev2)
        ids["lowconf"] = add_flag(store, "low-confidence", "digital-twins", 0.40, f"Unsure: {XSS}", ev2,
                                  tech="digital-twins")
        ids["reach"] = add_flag(store, "process-reach", "chatbots:paspoort-aanvragen", 0.60,
                                "Chatbots reach paspoort-aanvragen", ev1, tech="chatbots",
                                process="paspoort-aanvragen")
        store.conn.execute("UPDATE flags SET detail = ? WHERE id = ?",
                           (dumps({"previous": "0-3", "estimate": "in-use", "evidence": 8}), ids["horizon"]))
        store.conn.execute(
            "INSERT INTO emerging_terms(term, score, documents, sources, first_seen, examples, status) "
            "VALUES ('generatieve ai', 3.2, 12, 4, '2026-06-01', '[]', 'open')")
        store.conn.execute("INSERT INTO process_impact(process, domain, technologies) VALUES (?, ?, ?)",
                           ("bouwinspectie", "ruimtelijk-fysiek", dumps(["drones"])))
        for i, month in enumerate(("2026-07", "2026-08", "2026-09", "2026-10")):
            store.conn.execute(
                "INSERT INTO trend_monthly(tech, month, documents, share_of_voice, momentum) VALUES (?, ?, ?, ?, ?)",
                ("chatbots", month, 10 + i, 0.02 + 0.01 * i, 60 + i))
            store.conn.execute(
                "INSERT INTO horizon_history(tech, month, estimate, previous, evidence) VALUES (?, ?, ?, ?, ?)",
                ("chatbots", month, "in-use" if i == 3 else "0-3", "0-3", 5 + i))
    return ids


def csrf_of(html: str) -> str:
    """The CSRF token of a rendered page (tests and scripts that post forms)."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    return found.group(1) if found else ""
