from flows.artifacts import summary_markdown


def test_summary_names_failed_sources_changes_and_digest():
    text = summary_markdown({
        "harvest": {"new_documents": 12, "duplicates": 3,
                    "sources": [{"source": "a", "ok": True}, {"source": "b", "ok": False, "error": "HTTP 500"}]},
        "classify": {"tagged": 12},
        "signals": {"horizon_changes": ["drones: 0-3 -> in-use"], "new_flags": 4},
        "digest": "data/digests/2026-10/index.html"})
    assert "**New documents**: 12" in text
    assert "`b`: HTTP 500" in text
    assert "drones: 0-3 -> in-use" in text
    assert "data/digests/2026-10/index.html" in text
