"""Hostile sizes: huge pages and files, binary and NUL "text" never blow up memory or enter the store."""
from __future__ import annotations

import json
import random
import tracemalloc

import numpy as np
import pytest

from scanner.config import load_config
from scanner.harvest.dedup import sample_shingles, shingles, signature
from scanner.harvest.ingest import ingest_paths
from scanner.harvest.run import harvest
from scanner.harvest.textguard import binary_reason, cut_text
from test_harvest_run import Site
from test_harvest_support import article_html, fast_config, rss, src, words

CFG = load_config()["harvest"]


@pytest.fixture
def site(httpserver):
    return Site(httpserver)


def _long_text(seed: int, count: int) -> str:
    rng = random.Random(seed)
    vocab = [f"woord{n}" for n in range(5000)]
    return " ".join(rng.choice(vocab) for _ in range(count))


def test_signature_memory_is_bounded_for_a_long_text():
    text = _long_text(1, 400_000)  # the old signature held 1 KB per shingle: about 400 MB here
    tracemalloc.start()
    signature(text, 3, 128)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 60_000_000, f"signature peaked at {peak / 1e6:.0f} MB"


def test_short_text_signature_is_unchanged():
    from datasketch import MinHash

    text = words(3, 300)
    mh = MinHash(num_perm=128, seed=1)
    mh.update_batch(shingles(text, 3))
    assert np.array_equal(signature(text, 3, 128), (mh.hashvalues & 0xFFFFFFFF).astype("<u4"))


def test_sampled_signatures_still_find_shifted_copies_and_tell_texts_apart():
    base = _long_text(2, 60_000)
    copy = "Voorwoord van de redactie. " + base[: len(base) // 2] + " Een extra alinea. " + base[len(base) // 2:]
    other = _long_text(3, 60_000)
    assert len(list(sample_shingles(base, 3, 10_000))) <= 10_000
    a, b, c = (signature(t, 3, 128, 10_000) for t in (base, copy, other))
    assert float(np.mean(a == b)) > 0.9 and float(np.mean(a == c)) < 0.2


def test_binary_and_nul_text_is_recognised_and_real_text_is_not():
    assert "NUL" in binary_reason("\x00" * 10_000, CFG)
    garbage = random.Random(4).randbytes(50_000).decode("utf-8", "replace")
    assert "control or undecodable" in binary_reason(garbage, CFG)
    assert binary_reason(words(5, 2000) + " Café, naïve, één — “quotes”\t\n", CFG) is None


def test_cut_text_stops_at_whitespace():
    text = "aaaa " * 1000
    cut = cut_text(text, 2002)
    assert len(cut) <= 2002 and cut.endswith("aaaa") and cut_text("kort", 10) == "kort"


def test_ingest_refuses_binary_nul_and_oversized_files_and_cuts_long_text(store, tmp_path):
    (tmp_path / "nul.txt").write_bytes(b"\x00" * 1_000_000)
    (tmp_path / "garbage.txt").write_bytes(random.Random(5).randbytes(100_000))
    (tmp_path / "big.txt").write_bytes(b"groot " * 200_000)
    (tmp_path / "long.md").write_text("# Lang\n" + words(6, 30_000), encoding="utf-8")
    (tmp_path / "ok.md").write_text("# Gewoon\n" + words(7, 200), encoding="utf-8")
    cfg = dict(CFG, max_file_bytes=1_100_000, max_text_chars=50_000)
    summary = ingest_paths(store, [tmp_path], cfg)
    errors = "\n".join(summary.errors)
    assert len(summary.errors) == 3 and summary.new_documents == 2, errors
    assert "nul.txt: binary content refused (100% NUL characters)" in errors
    assert "garbage.txt: binary content refused" in errors
    assert "big.txt: file too large (1200000 bytes; max_file_bytes is 1100000)" in errors
    assert len(summary.warnings) == 1 and "long.md: text cut at" in summary.warnings[0]
    assert all("\n" not in line for line in summary.errors + summary.warnings)
    longest = store.query("SELECT max(length(text)) AS n, group_concat(extraction_note) AS notes FROM documents")[0]
    assert longest["n"] <= 50_000 and "max_text_chars" in longest["notes"]


def test_ingest_jsonl_long_line_binary_text_and_the_rest_kept(store, tmp_path):
    path = tmp_path / "x.jsonl"
    lines = [json.dumps({"title": "Eén", "text": words(1), "published": "2024-01"}),
             json.dumps({"title": "Lang", "text": "x" * 5000, "published": "2024-01"}),
             json.dumps({"title": "Binair", "text": "\x00\x01\x02" * 30, "published": "2024-01"}),
             json.dumps({"title": "Twee", "text": words(2), "published": "2024-02"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = ingest_paths(store, [path], dict(CFG, max_line_chars=1000))
    assert summary.new_documents == 2
    assert summary.errors == [f"{path}:2: line too long (over 1000 characters; max_line_chars)",
                              f"{path}:3: text: binary content refused (33% NUL characters)"]


def test_harvest_refuses_a_binary_item_cuts_a_huge_page_and_keeps_the_rest(store, site):
    site.routes["/ok.html"] = article_html("Gewoon", words(1, 120))
    site.routes["/huge.html"] = article_html("Enorm", words(2, 120) + " " + _long_text(9, 300_000))
    garbage = "".join(random.Random(6).choice("ab\ufffd\ufffd\x7f") for _ in range(5000))  # XML-safe binary
    site.routes["/feed.xml"] = rss([
        {"title": "Gewoon", "link": site.url("/ok.html"), "description": "Samenvatting."},
        {"title": "Enorm", "link": site.url("/huge.html"), "description": "Samenvatting."},
        {"title": "Binair", "link": "http://x.example.invalid/bin", "description": garbage},
    ])
    source = src("s", site.url("/feed.xml"), full_text=True)
    summary = harvest(store, [source], fast_config(max_text_chars=100_000, robots=False))
    result = summary.results[0]
    assert result.ok and result.new_documents == 2, result.line()
    assert any("bin: text: binary content refused" in w for w in result.warnings), result.warnings
    assert any("text cut at" in w for w in result.warnings)
    assert store.query("SELECT max(length(text)) AS n FROM documents")[0]["n"] <= 100_000


def test_bench_big_page_peak_rss_under_600_mb():
    from scanner.bench.harvest import big_page_bench

    figures = big_page_bench(24.0)
    assert figures["big_page_mb"] >= 23.5 and figures["big_page_result"].startswith("bench000: ok")
    assert figures["big_page_peak_rss_mb"] < 600, figures
