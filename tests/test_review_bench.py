"""`scanner bench ui` runs, and the queue's SQL stays index-only (the 10,000-flag target depends on it)."""
from __future__ import annotations

from scanner.review import queries
import review_sample as sample
from scanner.review.catalog import from_catalogue


def test_bench_ui_small():
    from scanner.bench.ui import bench_ui

    result = bench_ui(flags=200, repeats=2)
    assert result["flags"] == 200 and result["queue_ms"] > 0 and result["ok"] is True


def test_queue_queries_use_indexes_without_sorting(store, monkeypatch):
    sample.seed_many(store, 300)
    view = from_catalogue(sample.catalogue())
    plans: list[str] = []
    execute = store.conn.execute

    class Spy:
        def execute(self, sql, params=()):
            if sql.lstrip().startswith("SELECT") and "FROM flags" in sql:
                plans.append(" | ".join(r[3] for r in execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()))
            return execute(sql, params)

        def __getattr__(self, name):
            return getattr(conn, name)

    conn = store.conn
    monkeypatch.setattr(store, "conn", Spy())
    for filters in (queries.Filters(), queries.Filters(type="burst"), queries.Filters(tech="drones", page=2)):
        result = queries.queue(store, filters, view, 50)
        assert result["flags"]
    monkeypatch.setattr(store, "conn", conn)
    assert len(plans) == 9
    for plan in plans:
        assert "SCAN flags" not in plan and "TEMP B-TREE" not in plan, plan
