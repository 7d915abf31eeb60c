"""Duplicate detection: exact (guid, canonical URL, content hash) and near (MinHash + LSH bands in SQLite)."""
from __future__ import annotations

import hashlib
import re
import sqlite3
import zlib
from collections import deque
from functools import lru_cache
from typing import Any, Iterator

import numpy as np

from scanner.util import sha256

_WORD = re.compile(r"\w+", re.UNICODE)


def normalize(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def content_hash(title: str, text: str, min_chars: int) -> str:
    """Hash of the normalised text (title included when the text alone is too short to be telling)."""
    body = normalize(text)
    if len(body) < min_chars:
        body = normalize(title) + "\n" + body
    return sha256(body)[:32]


def iter_shingles(text: str, size: int) -> Iterator[bytes]:
    """Word shingles in text order, streamed (a text shorter than size words is one shingle)."""
    window: deque[str] = deque(maxlen=size)
    count = 0
    for match in _WORD.finditer(text.lower()):
        window.append(match.group())
        count += 1
        if count >= size:
            yield " ".join(window).encode()
    if 0 < count < size:
        yield " ".join(window).encode()


def shingles(text: str, size: int) -> list[bytes]:
    return list(iter_shingles(text, size))


def _sample_level(hashes: np.ndarray, limit: int) -> int:
    """Smallest j such that the distinct hashes divisible by 2**j number at most limit."""
    distinct = np.unique(hashes)
    level = 0
    while len(distinct) > limit and level < 32:
        level += 1
        distinct = distinct[(distinct & np.uint32((1 << level) - 1)) == 0]
    return level


def sample_shingles(text: str, size: int, limit: int) -> Iterator[bytes]:
    """The distinct shingles, or for long texts a content-defined sample of at most about limit of them.

    A shingle is kept when its CRC-32 is divisible by 2**j (j as small as the limit allows): the rule
    depends on the shingle alone, so two copies of a long text keep the same shingles wherever they sit,
    and their Jaccard similarity survives the sampling. Memory: 4 bytes per shingle, plus the sample.
    """
    hashes = np.fromiter((zlib.crc32(s) for s in iter_shingles(text, size)), dtype=np.uint32)
    level = _sample_level(hashes, limit) if len(hashes) > limit else 0
    del hashes
    mask = (1 << level) - 1
    seen: set[bytes] = set()
    for shingle in iter_shingles(text, size):
        if not zlib.crc32(shingle) & mask and shingle not in seen:
            seen.add(shingle)
            yield shingle


@lru_cache(maxsize=8)
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, num_perm, 0.5, 0.5)


def signature(text: str, shingle_words: int, num_perm: int, max_shingles: int = 10000) -> np.ndarray:
    """MinHash signature (uint32 per permutation) over (a bounded sample of) the word shingles."""
    from datasketch import MinHash

    mh = MinHash(num_perm=num_perm, seed=1)
    batch: list[bytes] = []
    for shingle in sample_shingles(text, shingle_words, max_shingles):
        batch.append(shingle)
        if len(batch) >= 1000:  # datasketch builds a batch x num_perm uint64 matrix: keep it small
            mh.update_batch(batch)
            batch = []
    if batch:
        mh.update_batch(batch)
    return (mh.hashvalues & 0xFFFFFFFF).astype("<u4")  # 32-bit schemes; 64-bit ones keep their low half


def band_keys(sig: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    bands, rows = _bands(threshold, len(sig))
    keys = []
    for band in range(bands):
        digest = hashlib.blake2b(sig[band * rows:(band + 1) * rows].tobytes(), digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "big", signed=True)))
    return keys


def _root(conn: sqlite3.Connection, doc_id: int) -> int:
    row = conn.execute("SELECT duplicate_of FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return row[0] if row and row[0] else doc_id


def find_exact(conn: sqlite3.Connection, doc: dict[str, Any]) -> int | None:
    """The first-seen document sharing canonical URL, a global-looking guid or the content hash."""
    hits = []
    if doc.get("canonical_url"):
        hits.append(conn.execute("SELECT min(id) FROM documents WHERE canonical_url = ?", (doc["canonical_url"],)).fetchone()[0])
    guid = doc.get("guid") or ""
    if ":" in guid or len(guid) >= 24:  # numeric post ids collide between sites; URLs/URNs/UUIDs do not
        hits.append(conn.execute("SELECT min(id) FROM documents WHERE guid = ?", (guid,)).fetchone()[0])
    if doc.get("_exact_hash_ok") and doc.get("content_hash"):
        hits.append(conn.execute("SELECT min(id) FROM documents WHERE content_hash = ?", (doc["content_hash"],)).fetchone()[0])
    found = [h for h in hits if h is not None]
    return _root(conn, min(found)) if found else None


def find_near(conn: sqlite3.Connection, sig: np.ndarray, threshold: float) -> int | None:
    """The first-seen document whose MinHash Jaccard estimate reaches threshold (LSH candidates verified)."""
    candidates: set[int] = set()
    for band, key in band_keys(sig, threshold):
        candidates.update(r[0] for r in conn.execute(
            "SELECT document_id FROM doc_lsh WHERE band = ? AND key = ?", (band, key)))
    best: list[int] = []
    for doc_id in sorted(candidates):
        row = conn.execute("SELECT sig FROM doc_minhash WHERE document_id = ?", (doc_id,)).fetchone()
        if row and len(row[0]) == sig.nbytes:
            other = np.frombuffer(row[0], dtype="<u4")
            if float(np.mean(other == sig)) >= threshold:
                best.append(_root(conn, doc_id))
    return min(best) if best else None


def index_signature(conn: sqlite3.Connection, doc_id: int, sig: np.ndarray, threshold: float) -> None:
    conn.execute("INSERT OR REPLACE INTO doc_minhash(document_id, sig) VALUES (?, ?)", (doc_id, sig.tobytes()))
    conn.executemany("INSERT INTO doc_lsh(band, key, document_id) VALUES (?, ?, ?)",
                     [(band, key, doc_id) for band, key in band_keys(sig, threshold)])
