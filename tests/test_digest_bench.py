"""`scanner bench digest` on a small generated store: the JSON figures and a real digest behind them."""
from __future__ import annotations

import pytest

from scanner.bench.digest import run


@pytest.mark.slow
def test_bench_builds_a_digest_on_the_generated_store(tmp_path):
    figures = run(tmp_path, n_docs=3000, per_doc=3)
    assert figures["documents"] == 3000 and figures["mentions"] == 9000
    assert 0 < figures["seconds"] < 60 and figures["cpu_seconds"] > 0
    assert 50_000 < figures["size_bytes"] < 3_000_000
    assert (tmp_path / "bench-signals-3000.db").is_file()
