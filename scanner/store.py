"""The embedded store: one SQLite database in WAL mode, with per-component migrations."""
from __future__ import annotations

import importlib
import logging
import os
import sqlite3
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from scanner.errors import ScannerError

log = logging.getLogger(__name__)

DEFAULT_DB = Path("data/scanner.db")

CORE_MIGRATIONS: list[str] = [
    """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS documents (
        id INTEGER PRIMARY KEY,
        uid TEXT UNIQUE NOT NULL,
        source_id TEXT, source_type TEXT, kind TEXT,
        url TEXT, canonical_url TEXT, guid TEXT,
        title TEXT, text TEXT, summary TEXT, author TEXT, tags TEXT,
        published TEXT, published_estimated INTEGER DEFAULT 0,
        fetched_at TEXT, language TEXT,
        content_hash TEXT, simhash TEXT, duplicate_of INTEGER,
        extraction TEXT, extraction_note TEXT, meta TEXT
    );
    CREATE INDEX IF NOT EXISTS idx_documents_published ON documents(published);
    CREATE INDEX IF NOT EXISTS idx_documents_source ON documents(source_id);
    CREATE INDEX IF NOT EXISTS idx_documents_canonical ON documents(canonical_url);
    CREATE INDEX IF NOT EXISTS idx_documents_hash ON documents(content_hash);
    CREATE TABLE IF NOT EXISTS doc_tags (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        language TEXT, stage TEXT, stage_scores TEXT,
        municipal INTEGER, municipal_score REAL, domains TEXT, candidates TEXT, factors TEXT,
        lexicon_version TEXT, model_version TEXT, tagged_at TEXT
    );
    CREATE TABLE IF NOT EXISTS mentions (
        id INTEGER PRIMARY KEY,
        document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
        kind TEXT, target TEXT, text TEXT, start INTEGER, "end" INTEGER,
        sentence TEXT, sent_start INTEGER, sent_end INTEGER,
        stage TEXT, stage_score REAL, municipal INTEGER,
        lexicon_version TEXT, model_version TEXT
    );
    CREATE INDEX IF NOT EXISTS idx_mentions_target ON mentions(target, document_id);
    CREATE INDEX IF NOT EXISTS idx_mentions_document ON mentions(document_id);
    CREATE TABLE IF NOT EXISTS lexicon_additions (
        id INTEGER PRIMARY KEY, kind TEXT, technology TEXT, term TEXT, data TEXT,
        created_by TEXT, created_at TEXT, active INTEGER DEFAULT 1
    );
    """,
    # Dates at the door: the precision of `published` (year | month | day | time | unknown); dates stored
    # before it existed that no one can believe (before 1990, or over a day after the fetch) become
    # "date unknown" (the fetch time, estimated).
    """
    ALTER TABLE documents ADD COLUMN published_precision TEXT;
    UPDATE documents SET published = fetched_at, published_estimated = 1, published_precision = 'unknown'
     WHERE fetched_at IS NOT NULL AND published IS NOT NULL
       AND (published < '1990-01-01' OR julianday(published) > julianday(fetched_at) + 1);
    """,
    # municipal reach and process reach: the municipalities a mention concerns (JSON list of names, from
    # its own and the adjacent sentences) and the index of its sentence in the document
    """
    ALTER TABLE mentions ADD COLUMN municipalities TEXT;
    ALTER TABLE mentions ADD COLUMN sent_index INTEGER;
    """,
]

COMPONENTS: list[str] = [
    "scanner.harvest.schema",
    "scanner.signals.schema",
    "scanner.review.schema",
]


def explain_db_error(exc: sqlite3.Error, path: str | Path) -> str:
    """One line saying what an SQLite error means for the user of database `path`."""
    text = str(exc)
    low = text.lower()
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return (f"database {path} is damaged ({text}); restore a backup, or recover what is left with "
                f"`sqlite3 {path} .recover`")
    if "readonly" in low or "read-only" in low:
        return f"database {path} is read-only ({text}); check the permissions of the file and its folder"
    if "locked" in low or "busy" in low:
        return (f"database {path} is locked by another process past the busy timeout ({text}); try again "
                f"when it has finished, or raise [store] busy_timeout_ms")
    if "disk" in low and "full" in low:
        return f"database {path}: the disk is full ({text})"
    if "unable to open" in low:
        return f"cannot open database {path} ({text})"
    return f"database {path}: {text}"


def default_db_path() -> Path:
    return Path(os.environ.get("SCANNER_DB") or DEFAULT_DB)


def _component_migrations() -> list[tuple[str, list[str]]]:
    found = [("core", CORE_MIGRATIONS)]
    for name in COMPONENTS:
        found.append((name, list(importlib.import_module(name).MIGRATIONS)))
    return found


class Store:
    """One SQLite database; `store.db` is the sqlite_utils.Database, `store.conn` its connection."""

    def __init__(self, path: str | Path = ":memory:", busy_timeout_ms: int = 30000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ScannerError(f"cannot create the folder for database {self.path}: {exc.strerror}") from None
        try:
            conn = sqlite3.connect(
                self.path, timeout=busy_timeout_ms / 1000, check_same_thread=False,
                isolation_level=None,  # autocommit; explicit BEGIN IMMEDIATE in transaction()
            )
        except sqlite3.OperationalError as exc:
            raise ScannerError(explain_db_error(exc, self.path)) from None
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._pragmas(busy_timeout_ms)
        try:
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise ScannerError(explain_db_error(exc, self.path)) from None

    def _pragmas(self, busy_timeout_ms: int) -> None:
        try:
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            raise ScannerError(explain_db_error(exc, self.path)) from None

    def migrate(self) -> None:
        """Apply each component's migrations that this database has not seen yet."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER)"
        )
        for component, scripts in _component_migrations():
            row = self.conn.execute(
                "SELECT version FROM schema_version WHERE component = ?", (component,)
            ).fetchone()
            done = row[0] if row else 0
            for number, script in enumerate(scripts[done:], start=done + 1):
                log.debug("migrating %s to version %d", component, number)
                self._apply(component, number, script)

    def _apply(self, component: str, number: int, script: str) -> None:
        """Run one migration script and record it, atomically."""
        try:
            self.conn.executescript("BEGIN IMMEDIATE;" + script)  # leaves the transaction open
            self.conn.execute(
                "INSERT INTO schema_version(component, version) VALUES (?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                (component, number),
            )
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error (nesting joins the outer one)."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        cols = [c[0] for c in cur.description or ()]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def count(self, table: str) -> int:
        if not self.db[table].exists():
            return 0
        return self.db[table].count

    def meta_get(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def meta_set(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        self.conn.close()


def open_store(path: str | Path | None = None, config: Mapping[str, Any] | None = None) -> Store:
    """Open (creating when missing) the database at path, $SCANNER_DB or data/scanner.db.

    config: the run's configuration (its [store] busy_timeout_ms); loaded here when not given."""
    from scanner.config import load_config

    timeout = int((config if config is not None else load_config())["store"]["busy_timeout_ms"])
    return Store(path or default_db_path(), busy_timeout_ms=timeout)
