"""SQL aggregates the signals measures start from: near-duplicates and later documents left out."""
from __future__ import annotations

from collections.abc import Sequence

import json
import uuid
from datetime import date

import numpy as np
import pandas as pd

from scanner.signals.periods import cutoff
from scanner.store import Store

# When a document could first have been read: a date printed as a year or a month counts from the end of
# that period, so an as-of date never sees a document before it can have existed (no look-ahead).
AVAILABLE = ("(CASE d.published_precision WHEN 'year' THEN date(substr(d.published, 1, 10), '+1 year', '-1 day') "
             "WHEN 'month' THEN date(substr(d.published, 1, 10), '+1 month', '-1 day') ELSE d.published END)")
LIVE_DOCS = f"d.duplicate_of IS NULL AND d.published IS NOT NULL AND {AVAILABLE} < ?"


def frame(store: Store, sql: str, params: tuple) -> pd.DataFrame:
    cur = store.conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return pd.DataFrame.from_records(cur.fetchall(), columns=cols)


_CACHE: dict[str, tuple[tuple, pd.DataFrame]] = {}


def _state(store: Store, as_of: date) -> tuple:
    """Changes when the database does: this connection's writes or another connection's commits."""
    version = store.conn.execute("PRAGMA data_version").fetchone()[0]
    token = store.__dict__.setdefault("_signals_cache_token", uuid.uuid4().hex)
    return (token, as_of, store.conn.total_changes, version)


def live_docs(store: Store, as_of: date) -> pd.DataFrame:
    """live_docs_uncached, remembered for one (store, as_of, database state): trends and horizons share it."""
    key = _state(store, as_of)
    hit = _CACHE.get("docs")
    if hit and hit[0] == key:
        return hit[1]
    df = live_docs_uncached(store, as_of)
    _CACHE["docs"] = (key, df)
    return df


def clear_cache() -> None:
    _CACHE.clear()


def live_docs_uncached(store: Store, as_of: date) -> pd.DataFrame:
    """Columns document_id, day, epoch_day, month, week (Monday), source_id, source_type, doc_municipal."""
    sql = (f"SELECT d.id AS document_id, substr({AVAILABLE}, 1, 10) AS day, d.source_id, d.source_type, "
           "COALESCE(t.municipal, 0) AS doc_municipal FROM documents d "
           f"LEFT JOIN doc_tags t ON t.document_id = d.id WHERE {LIVE_DOCS}")
    df = frame(store, sql, (cutoff(as_of),))
    if df.empty:
        return df.assign(epoch_day=pd.Series(dtype="int64"), month=pd.Series(dtype=str), week=pd.Series(dtype=str))
    days = pd.to_datetime(df["day"], errors="coerce", format="%Y-%m-%d").to_numpy(dtype="datetime64[D]")
    epoch = days.astype(np.int64)
    weeks = (epoch - (epoch + 3) % 7).astype("datetime64[D]")
    df["epoch_day"] = epoch
    df["month"] = df["day"].str[:7]
    df["week"] = np.datetime_as_string(weeks, unit="D")
    return df


def tech_mentions(store: Store, docs: pd.DataFrame, stages: Sequence[str] | None = None,
                  detail: bool = True) -> pd.DataFrame:
    """Technology mentions of live documents joined with their document columns (one sequential scan).

    detail adds stage_score, mention_id and municipal (the horizon needs them, trends do not).
    """
    cols = "m.target, m.document_id, COALESCE(m.stage, 'none') AS stage"
    if detail:
        cols += (", COALESCE(m.stage_score, 0) AS stage_score, m.id AS mention_id, "
                 "COALESCE(m.municipal, 0) AS municipal, m.municipalities")
    where, params = "m.kind = 'technology'", tuple[str, ...]()
    if stages:
        where += f" AND m.stage IN ({','.join('?' for _ in stages)})"
        params = tuple(stages)
    df = frame(store, f"SELECT {cols} FROM mentions m NOT INDEXED WHERE {where}", params)
    if df.empty:
        return df.assign(**{c: pd.Series(dtype=object) for c in docs.columns if c != "document_id"})
    df["target"] = df["target"].astype("category")
    df["stage"] = df["stage"].astype("category")
    if detail:
        df["municipalities"] = [json.loads(v) if v else [] for v in df["municipalities"]]
    return df.merge(docs, on="document_id", how="inner")


def first_month(store: Store, as_of: date) -> str | None:
    row = store.conn.execute(
        f"SELECT MIN(substr({AVAILABLE}, 1, 7)) FROM documents d WHERE {LIVE_DOCS}", (cutoff(as_of),)
    ).fetchone()
    return row[0] if row else None


# a technology and a process "meet" in one sentence or adjacent ones (rows tagged before sentence
# indices were stored fall back to the whole document)
NEAR = "(p.sent_index IS NULL OR t.sent_index IS NULL OR ABS(p.sent_index - t.sent_index) <= 1)"


def co_mentions(store: Store, as_of: date) -> pd.DataFrame:
    """Columns tech, process, month, documents: technologies and processes named in the same or adjacent
    sentences of one document."""
    sql = (
        f"SELECT t.target AS tech, p.target AS process, substr({AVAILABLE}, 1, 7) AS month, "
        "COUNT(DISTINCT t.document_id) AS documents "
        f"FROM mentions t JOIN mentions p ON p.document_id = t.document_id AND p.kind = 'process' AND {NEAR} "
        f"JOIN documents d ON d.id = t.document_id WHERE t.kind = 'technology' AND {LIVE_DOCS} "
        "GROUP BY t.target, p.target, month ORDER BY t.target, p.target, month"
    )
    return frame(store, sql, (cutoff(as_of),))


def reach_evidence(store: Store, tech: str, process: str, as_of: date, limit: int) -> list[dict]:
    """The documents and sentences where a technology meets a process, newest first."""
    return store.query(
        "SELECT DISTINCT d.id AS document_id, d.title, COALESCE(d.canonical_url, d.url) AS url, d.source_id, "
        "d.published, t.sentence || CASE WHEN p.sentence != t.sentence THEN ' ' || p.sentence ELSE '' END "
        "AS sentence, t.stage, t.id AS mention_id FROM mentions t "
        f"JOIN mentions p ON p.document_id = t.document_id AND p.kind = 'process' AND {NEAR} "
        "JOIN documents d ON d.id = t.document_id "
        f"WHERE t.kind = 'technology' AND t.target = ? AND p.target = ? AND {LIVE_DOCS} "
        "GROUP BY d.id ORDER BY d.published DESC, d.id LIMIT ?",
        (tech, process, cutoff(as_of), limit))


def burst_evidence(store: Store, tech: str, start: str, end: str | None, as_of: date, limit: int) -> list[dict]:
    """Mentions of a technology in documents published during a burst (start..end), newest first."""
    return store.query(
        "SELECT d.id AS document_id, d.title, COALESCE(d.canonical_url, d.url) AS url, d.source_id, d.published, "
        "m.sentence, m.stage, m.id AS mention_id FROM mentions m JOIN documents d ON d.id = m.document_id "
        f"WHERE m.kind = 'technology' AND m.target = ? AND {LIVE_DOCS} AND d.published >= ? "
        "AND substr(d.published, 1, 10) <= ? GROUP BY d.id ORDER BY d.published DESC, d.id LIMIT ?",
        (tech, cutoff(as_of), str(start)[:10], str(end or as_of.isoformat())[:10], limit))


def source_names(store: Store) -> dict[str, str]:
    """Source id -> display name from the sources table (empty when the harvest tables are missing)."""
    if not store.db["sources"].exists():
        return {}
    rows = store.query("SELECT id, name FROM sources WHERE name IS NOT NULL AND name != ''")
    return {r["id"]: r["name"] for r in rows}


def document_details(store: Store, ids: list[int]) -> dict[int, dict]:
    """Title, url, source and date of a few documents, for evidence lists."""
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    rows = store.query(
        "SELECT id, title, COALESCE(canonical_url, url) AS url, source_id, published FROM documents "
        f"WHERE id IN ({marks})", tuple(ids))
    return {r["id"]: r for r in rows}


def mention_sentences(store: Store, ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    rows = store.query(f"SELECT id, sentence, stage, text FROM mentions WHERE id IN ({marks})", tuple(ids))
    return {r["id"]: r for r in rows}


def low_confidence_mentions(store: Store, since: date, as_of: date, threshold: float,
                            limit: int) -> list[dict]:
    """Municipal technology mentions published in [since, as_of] whose stage score is below threshold."""
    return store.query(
        "SELECT m.id AS mention_id, m.target, m.stage, m.stage_score, m.sentence, m.start, d.id AS document_id, "
        "d.uid, d.title, d.url, d.source_id, d.published FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE m.kind = 'technology' AND m.stage != 'none' AND m.municipal = 1 AND m.stage_score < ? "
        "AND d.duplicate_of IS NULL AND d.published >= ? AND d.published < ? "
        "ORDER BY m.stage_score, d.published DESC, m.id LIMIT ?",
        (threshold, since.isoformat(), cutoff(as_of), limit))
