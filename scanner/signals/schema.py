"""Tables written by the signals stage and read by the digest and the review UI."""

MIGRATIONS: list[str] = [
    """
    CREATE TABLE IF NOT EXISTS trend_monthly (
        tech TEXT, month TEXT, documents INTEGER, mentions INTEGER, sources INTEGER,
        source_types INTEGER, share_of_voice REAL, stage_mix TEXT, growth REAL,
        slope_12 REAL, slope_24 REAL, momentum REAL, as_of TEXT,
        PRIMARY KEY (tech, month)
    );
    CREATE TABLE IF NOT EXISTS trend_weekly (
        tech TEXT, week TEXT, documents INTEGER, share_of_voice REAL, as_of TEXT,
        PRIMARY KEY (tech, week)
    );
    CREATE TABLE IF NOT EXISTS bursts (
        tech TEXT, start TEXT, "end" TEXT, strength REAL, as_of TEXT,
        PRIMARY KEY (tech, start)
    );
    CREATE TABLE IF NOT EXISTS horizon_history (
        tech TEXT, month TEXT, estimate TEXT, previous TEXT, probabilities TEXT,
        expected_year REAL, evidence INTEGER, overridden INTEGER DEFAULT 0, explanation TEXT,
        computed_at TEXT,
        PRIMARY KEY (tech, month)
    );
    CREATE TABLE IF NOT EXISTS emerging_terms (
        term TEXT PRIMARY KEY, score REAL, documents INTEGER, sources INTEGER, first_seen TEXT,
        growth REAL, examples TEXT, as_of TEXT, status TEXT DEFAULT 'open'
    );
    CREATE TABLE IF NOT EXISTS process_impact (
        process TEXT PRIMARY KEY, domain TEXT, baseline TEXT, estimate TEXT, technologies TEXT,
        as_of TEXT
    );
    CREATE TABLE IF NOT EXISTS flags (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,          -- horizon-change|burst|emerging-term|low-confidence|process-reach
        subject TEXT NOT NULL,       -- technology slug, term or process id
        tech TEXT, process TEXT, month TEXT,
        score REAL, title TEXT, detail TEXT,
        evidence TEXT,               -- JSON list of {document_id, title, url, source, published, sentence, stage, mention_id}
        status TEXT NOT NULL DEFAULT 'open',   -- open|accepted|rejected|snoozed
        snooze_until TEXT, reason TEXT, decided_by TEXT, decided_at TEXT,
        created_at TEXT, dedup_key TEXT UNIQUE NOT NULL
    );
    CREATE INDEX IF NOT EXISTS idx_flags_status ON flags(status, score);
    CREATE TABLE IF NOT EXISTS flag_events (
        id INTEGER PRIMARY KEY, flag_id INTEGER, action TEXT, actor TEXT, at TEXT,
        reason TEXT, before TEXT, after TEXT, undone INTEGER DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS overrides (
        id INTEGER PRIMARY KEY, tech TEXT, estimate TEXT, reason TEXT, created_by TEXT,
        created_at TEXT, active INTEGER DEFAULT 1
    );
    """,
    """
    -- scanner classify --reclassify: the documents still to re-tag; write_rows removes each batch in
    -- its own transaction, so a killed run resumes where it stopped and tags nothing twice
    CREATE TABLE IF NOT EXISTS classify_queue (document_id INTEGER PRIMARY KEY);
    """,
]
