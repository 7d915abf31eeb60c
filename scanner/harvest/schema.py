"""Harvest tables: sources, HTTP cache, fetch log, runs, full-text index and the near-duplicate index."""
from __future__ import annotations

MIGRATIONS: list[str] = [
    """
    CREATE TABLE IF NOT EXISTS sources (
        id TEXT PRIMARY KEY, name TEXT, url TEXT, kind TEXT, source_type TEXT, language TEXT,
        enabled INTEGER DEFAULT 1, last_run_at TEXT, last_status TEXT, last_error TEXT,
        last_new INTEGER DEFAULT 0, documents INTEGER DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS http_cache (
        url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, body_hash TEXT,
        status INTEGER, fetched_at TEXT
    );
    CREATE TABLE IF NOT EXISTS harvest_runs (
        id INTEGER PRIMARY KEY, started_at TEXT, finished_at TEXT,
        sources_ok INTEGER, sources_failed INTEGER, new_documents INTEGER, duplicates INTEGER,
        summary TEXT
    );
    CREATE TABLE IF NOT EXISTS fetch_log (
        id INTEGER PRIMARY KEY, run_id INTEGER, source_id TEXT, url TEXT, status INTEGER,
        bytes INTEGER, elapsed_ms INTEGER, error TEXT, fetched_at TEXT
    );
    CREATE INDEX IF NOT EXISTS idx_fetch_log_source ON fetch_log(source_id, fetched_at);
    CREATE INDEX IF NOT EXISTS idx_documents_guid ON documents(guid);
    CREATE TABLE IF NOT EXISTS doc_minhash (document_id INTEGER PRIMARY KEY, sig BLOB);
    CREATE TABLE IF NOT EXISTS doc_lsh (band INTEGER, key INTEGER, document_id INTEGER);
    CREATE INDEX IF NOT EXISTS idx_doc_lsh ON doc_lsh(band, key);
    CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
        title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER IF NOT EXISTS documents_fts_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER IF NOT EXISTS documents_fts_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER IF NOT EXISTS documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
    """,
]
