"""Writing documents: idempotent by uid, with exact and near-duplicate detection against the store."""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import Any, Iterable

from scanner.config import complete, setting
from scanner.harvest.dates import check_document_date
from scanner.harvest.canonical import unalias
from scanner.harvest.textguard import check_document_text
from scanner.harvest.dedup import content_hash, find_exact, find_near, index_signature, signature
from scanner.store import Store
from scanner.util import dumps, inserted_id, iso, utcnow

COLUMNS = ("uid", "source_id", "source_type", "kind", "url", "canonical_url", "guid", "title", "text",
           "summary", "author", "tags", "published", "published_estimated", "published_precision", "fetched_at",
           "language", "content_hash", "simhash", "duplicate_of", "extraction", "extraction_note", "meta")
_INSERT = (f"INSERT OR IGNORE INTO documents ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join('?' for _ in COLUMNS)})")
_locks: "weakref.WeakKeyDictionary[Store, threading.RLock]" = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


def store_lock(store: Store) -> threading.RLock:
    """One lock per Store object: harvest threads share its connection, so they take turns."""
    with _locks_guard:
        lock = _locks.get(store)
        if lock is None:
            lock = _locks[store] = threading.RLock()
        return lock


@dataclass
class SaveResult:
    new: int = 0
    duplicates: int = 0
    refused: int = 0
    ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _row(doc: dict[str, Any]) -> tuple[Any, ...]:
    values = dict(doc)
    if values.get("url"):  # the demo's random loopback origin is stored as its fixed placeholder
        values["url"] = unalias(values["url"])
    values["tags"] = dumps(values.get("tags") or [])
    values["meta"] = dumps(values.get("meta") or {})
    values["published_estimated"] = int(bool(values.get("published_estimated")))
    values.setdefault("fetched_at", iso(utcnow()))
    return tuple(values.get(col) for col in COLUMNS)


def _known(store: Store, uid: str) -> bool:
    return store.conn.execute("SELECT 1 FROM documents WHERE uid = ?", (uid,)).fetchone() is not None


def known_uids(store: Store, uids: Iterable[str]) -> set[str]:
    """The subset of uids already stored."""
    uids = list(uids)
    found: set[str] = set()
    with store_lock(store):
        for start in range(0, len(uids), 500):
            batch = uids[start:start + 500]
            marks = ",".join("?" for _ in batch)
            found.update(r[0] for r in store.conn.execute(f"SELECT uid FROM documents WHERE uid IN ({marks})", batch))
    return found


def save_documents(store: Store, docs: Iterable[dict[str, Any]], config: dict[str, Any] | None = None) -> SaveResult:
    """Insert new documents (by uid) in one transaction; copies get duplicate_of = first seen id."""
    if config is None:
        config = complete("harvest")
    threshold = float(config["near_dup_threshold"])
    result = SaveResult()
    with store_lock(store), store.transaction() as conn:
        for doc in docs:
            if _known(store, doc["uid"]):
                continue
            keep, warning = check_document_text(doc, config)
            if warning:
                result.warnings.append(warning)
            if not keep:
                result.refused += 1
                continue
            warning = check_document_date(doc, config)
            if warning:
                result.warnings.append(warning)
            text = doc.get("text") or ""
            doc["content_hash"] = content_hash(doc.get("title") or "", text, int(config["exact_min_chars"]))
            doc["_exact_hash_ok"] = len(text) >= int(config["exact_min_chars"])
            sig = None
            if len(text.split()) >= int(config["near_dup_min_words"]):
                sig = signature(text, int(config["shingle_words"]), int(config["minhash_perm"]),
                                int(setting(config, "harvest", "max_shingles")))
            dup = find_exact(conn, doc)
            if dup is None and sig is not None:
                dup = find_near(conn, sig, threshold)
            doc["duplicate_of"] = dup
            cur = conn.execute(_INSERT, _row(doc))
            if not cur.rowcount:
                continue
            doc_id = inserted_id(cur)
            if sig is not None:
                index_signature(conn, doc_id, sig, threshold)
            result.new += 1
            result.duplicates += dup is not None
            result.ids.append(doc_id)
    return result
