"""Synthetic stores for the signals tests: documents, doc_tags and mentions inserted directly."""
from __future__ import annotations

from dataclasses import replace
import itertools
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from scanner.catalogue import Catalogue, load_catalogue


_UIDS = itertools.count(1)


SIGNALS_LEXICON = Path(__file__).parent / "fixtures" / "signals_lexicon"  # 6 technologies, 56 processes


def small_catalogue(version: str = "fake-v1") -> Catalogue:
    """A small real catalogue from YAML (technologies with baselines; 56 processes split 18/14/24)."""
    return replace(load_catalogue(SIGNALS_LEXICON, validate=False), version=version)


def catalogue() -> Catalogue:
    return small_catalogue()


def day(value: str) -> date:
    return date.fromisoformat(value)


class Builder:
    """Insert documents with their tags and mentions; returns document ids."""

    def __init__(self, store) -> None:
        self.store = store
        self.n = 0

    def doc(self, published: date | str, mentions: Iterable[tuple] = (), source: str = "src0",
            source_type: str = "trade-press", municipal: bool = True, candidates: Iterable[str] = (),
            text: str = "", title: str | None = None, duplicate_of: int | None = None) -> int:
        """mentions: (kind, target, stage[, sentence]) tuples."""
        self.n += 1
        pub = published.isoformat() if isinstance(published, date) else published
        pub = pub if "T" in pub else pub + "T10:00:00+00:00"
        title = title or f"Doc {self.n}"
        conn = self.store.conn
        cur = conn.execute(
            "INSERT INTO documents(uid, source_id, source_type, kind, url, title, text, published, "
            "duplicate_of, language) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (f"u{next(_UIDS)}", source, source_type, "feed-item", f"https://example.org/{self.n}", title,
             text or title, pub, duplicate_of, "nl"))
        doc_id = cur.lastrowid
        conn.execute(
            "INSERT INTO doc_tags(document_id, language, stage, municipal, candidates, lexicon_version, "
            "model_version) VALUES (?,?,?,?,?,?,?)",
            (doc_id, "nl", "none", int(municipal), json.dumps(list(candidates)), "fake-v1", "rules"))
        for m in mentions:
            kind, target, stage = m[:3]
            sentence = m[3] if len(m) > 3 else f"{target} {stage} zin"
            conn.execute(
                "INSERT INTO mentions(document_id, kind, target, text, start, \"end\", sentence, stage, "
                "stage_score, municipal) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (doc_id, kind, target, target, 0, len(target), sentence, stage, 0.9, int(municipal)))
        return doc_id

    def background(self, start: date, months: int, per_month: int, tech_every: int = 0,
                   tech: str = "cameras", stage: str = "adoption", sources: int = 5) -> None:
        """A steady stream: per_month documents a month, every tech_every-th mentioning tech."""
        for mth in range(months):
            first = date(start.year + (start.month - 1 + mth) // 12, (start.month - 1 + mth) % 12 + 1, 1)
            for i in range(per_month):
                when = first + timedelta(days=(i * 27) // max(per_month, 1))
                ments = [("technology", tech, stage)] if tech_every and i % tech_every == 0 else []
                self.doc(when, ments, source=f"bg{i % sources}")


class StubTagger:
    """Same output shape as scanner.tag.tagger.Tagger.tag_many, from two keywords."""

    WORDS = {"chatbot": ("technologies", "chatbots"), "paspoort": ("processes", "p01")}

    def __init__(self, catalogue=None, version: str = "fake-v1") -> None:
        self.catalogue = catalogue or small_catalogue(version)
        self.model_version = "rules"
        self.version = f"{self.catalogue.version}+rules"

    def tag_many(self, docs, batch_size: int = 64):
        for doc in docs:
            full = (doc.get("title") + "\n" if doc.get("title") else "") + doc.get("text", "")
            if not doc.get("text"):
                yield {"id": doc["id"], "error": "empty text"}
                continue
            stage = "pilot" if "pilot" in full else "none"
            out = {"id": doc["id"], "language": "nl", "technologies": [], "processes": [], "domains": [],
                   "stage": stage, "stage_scores": {stage: 1.0}, "municipal": "gemeente" in full,
                   "candidates": ["taalmodel"] if "taalmodel" in full else [], "factors": [],
                   "municipal_score": 1.0 if "gemeente" in full else 0.0}
            for word, (key, ident) in self.WORDS.items():
                start = full.find(word)
                if start >= 0:
                    mention = {"id": ident, "text": word, "start": start, "end": start + len(word),
                               "sentence": full, "sent_start": 0, "sent_end": len(full), "stage": stage,
                               "stage_score": 0.8}
                    if key == "processes":
                        mention["domain"] = "dienstverlening"
                    out[key].append(mention)
            yield out


def stub_factory() -> StubTagger:
    return StubTagger()
