"""Tables owned by the analyst review: accounts, sessions, login attempts, API tokens, relabels."""

MIGRATIONS: list[str] = [
    """
    CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY,
        name TEXT UNIQUE NOT NULL,
        password_hash TEXT NOT NULL,          -- scrypt$n$r$p$salt_hex$hash_hex
        created_at TEXT, active INTEGER DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,          -- sha256 of the cookie value; the value is never stored
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL, flash TEXT,
        created_at TEXT, expires_at TEXT
    );
    CREATE INDEX IF NOT EXISTS idx_sessions_expires ON sessions(expires_at);
    CREATE TABLE IF NOT EXISTS login_attempts (
        id INTEGER PRIMARY KEY, username TEXT, ip TEXT, at TEXT, ok INTEGER
    );
    CREATE INDEX IF NOT EXISTS idx_login_attempts ON login_attempts(username, ip, at);
    CREATE TABLE IF NOT EXISTS api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash TEXT UNIQUE NOT NULL, created_at TEXT, last_used TEXT, active INTEGER DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS relabels (
        id INTEGER PRIMARY KEY,
        mention_id INTEGER, document_id INTEGER, sentence TEXT,
        field TEXT NOT NULL,                  -- stage|technology|process
        old TEXT, new TEXT, actor TEXT, at TEXT, undone INTEGER DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS idx_relabels_mention ON relabels(mention_id);
    CREATE INDEX IF NOT EXISTS idx_review_flag_events ON flag_events(flag_id, id);
    CREATE INDEX IF NOT EXISTS idx_review_flags_type ON flags(type, status, score);
    """,
    """
    -- counts per type on the queue read only this covering index (no row fetches)
    CREATE INDEX IF NOT EXISTS idx_review_flags_counts ON flags(status, type, tech, process);
    """,
    """
    -- where the mention sits, so relabels can be re-applied after a re-classify gives it a new id
    ALTER TABLE relabels ADD COLUMN kind TEXT;
    ALTER TABLE relabels ADD COLUMN text TEXT;
    ALTER TABLE relabels ADD COLUMN start INTEGER;
    ALTER TABLE relabels ADD COLUMN "end" INTEGER;
    CREATE INDEX IF NOT EXISTS idx_relabels_document ON relabels(document_id);
    """,
    """
    -- login limits per address across accounts; API tokens expire (tokens made before expire in 90 days)
    CREATE INDEX IF NOT EXISTS idx_login_attempts_ip ON login_attempts(ip, at);
    ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
    UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '+90 days')
     WHERE expires_at IS NULL;
    """,
]
