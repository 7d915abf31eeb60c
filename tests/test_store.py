from scanner.store import Store


def test_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "s.db"
    s = Store(path)
    versions = {r["component"]: r["version"] for r in s.query("SELECT * FROM schema_version")}
    assert versions["core"] >= 1
    s.close()
    s = Store(path)
    assert {r["component"]: r["version"] for r in s.query("SELECT * FROM schema_version")} == versions


def test_wal_mode(tmp_path):
    s = Store(tmp_path / "w.db")
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_transaction_rolls_back(store):
    try:
        with store.transaction():
            store.conn.execute("INSERT INTO documents(uid, title) VALUES (?, ?)", ("a", "t"))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.count("documents") == 0


def test_meta_roundtrip(store):
    store.meta_set("k", "v")
    store.meta_set("k", "w")
    assert store.meta_get("k") == "w"
    assert store.meta_get("missing", "d") == "d"


def test_not_a_database(tmp_path):
    import pytest

    from scanner.errors import ScannerError

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ScannerError):
        Store(bad)


def test_unusable_folder_is_a_clear_error(tmp_path):
    import pytest

    from scanner.errors import ScannerError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ScannerError, match="cannot create the folder"):
        Store(blocker / "sub" / "s.db")
