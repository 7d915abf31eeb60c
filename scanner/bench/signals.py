"""`scanner bench signals`: a generated store (documents, tags, mentions over 36 months), timed measures."""
from __future__ import annotations

import json
import logging
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from scanner.catalogue import STAGES as CATALOGUE_STAGES, Catalogue, load_catalogue
from scanner.store import Store

log = logging.getLogger(__name__)

AS_OF = "2026-10-31"
MONTHS = 36
STAGES = ["none", *CATALOGUE_STAGES]  # sampled in this order: none, then the catalogue's stages ...
STAGE_P = [0.35, 0.15, 0.2, 0.08, 0.12, 0.05, 0.05]  # ... with these shares (research 0.15, pilot 0.2, ...)
TYPES = ["trade-press", "news", "government", "research", "consultancy", "local"]
WORDS = ("gemeente wethouder raad inwoners dienstverlening project budget wijk afval parkeren zorg jeugd "
         "wonen vergunning data systeem leverancier samenwerking regio provincie rijk beleid").split()
EMERGING = ["generatieve ai", "taalmodel", "ai-agent", "quantum computing"]
OLD_CANDIDATES = ["slimme meters", "edge computing", "digitale kluis", "ai-toepassing"]


def _month_start_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Publication days over 36 months with a growing harvest (later months hold more documents)."""
    start = np.datetime64("2023-11-01")
    span = (np.datetime64(AS_OF) - start).astype(int)
    u = rng.random(n) ** 0.8
    return start + np.sort((u * span).astype(int)).astype("timedelta64[D]")


def _texts(rng: np.random.Generator, days: np.ndarray) -> tuple[list[str], list[str]]:
    words = np.array(WORDS)
    picks = words[rng.integers(0, len(words), size=(len(days), 12))]
    texts, cands = [], []
    recent = days >= np.datetime64("2026-04-01")
    for i, row in enumerate(picks):
        extra: list[str] = []
        if rng.random() < 0.05:
            extra.append(OLD_CANDIDATES[i % len(OLD_CANDIDATES)])
        if recent[i] and rng.random() < 0.08:
            extra.append(EMERGING[i % len(EMERGING)])
        texts.append("De " + " ".join(row) + ". " + " ".join(f"Het {e} helpt." for e in extra))
        cands.append(json.dumps(extra))
    return texts, cands


def generate(path: Path, n_docs: int, n_mentions: int, catalogue: Catalogue, seed: int = 7) -> Store:
    """Write the bench store (or reuse it when it already holds this size)."""
    store = Store(path)
    stamp = f"{n_docs}:{n_mentions}:{seed}:{catalogue.version}"
    if store.meta_get("bench.signals.size") == stamp:
        return store
    rng = np.random.default_rng(seed)
    days = _month_start_days(rng, n_docs)
    texts, cands = _texts(rng, days)
    sources = rng.integers(0, 80, n_docs)
    dup = np.where(rng.random(n_docs) < 0.03, np.maximum(np.arange(1, n_docs + 1) - 5, 1), 0)
    docs = [(i + 1, f"bench:{i}", f"src{s}", TYPES[s % len(TYPES)], "feed-item", f"https://bench.invalid/{i}",
             f"Bericht {i}", texts[i], f"{days[i]}T09:00:00+00:00", int(dup[i]) or None, "nl")
            for i, s in enumerate(sources)]
    tags = [(i + 1, "nl", "none", int(m), cands[i], catalogue.version, "bench", AS_OF)
            for i, m in enumerate(rng.random(n_docs) < 0.6)]
    tech_ids, proc_ids = sorted(catalogue.technologies), sorted(catalogue.processes) or ["none"]
    doc_of = np.sort(rng.integers(1, n_docs + 1, n_mentions))
    is_tech = rng.random(n_mentions) < 0.8
    popularity = rng.dirichlet(np.ones(len(tech_ids)) * 0.7)
    target = np.where(is_tech, np.array(tech_ids)[rng.choice(len(tech_ids), n_mentions, p=popularity)],
                      np.array(proc_ids)[rng.integers(0, len(proc_ids), n_mentions)])
    stage = np.array(STAGES)[rng.choice(len(STAGES), n_mentions, p=STAGE_P)]
    municipal = (rng.random(n_mentions) < 0.6).astype(int)
    ments = [(int(d), "technology" if t else "process", str(g), str(g), 0, 5, f"Zin over {g} ({s}).", str(s),
              0.8, int(m), catalogue.version, "bench")
             for d, t, g, s, m in zip(doc_of, is_tech, target, stage, municipal)]
    with store.transaction() as conn:
        for table in ("mentions", "doc_tags", "documents"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany("INSERT INTO documents(id, uid, source_id, source_type, kind, url, title, text, published, "
                         "duplicate_of, language) VALUES (?,?,?,?,?,?,?,?,?,?,?)", docs)
        conn.executemany("INSERT INTO doc_tags(document_id, language, stage, municipal, candidates, lexicon_version, "
                         "model_version, tagged_at) VALUES (?,?,?,?,?,?,?,?)", tags)
        conn.executemany('INSERT INTO mentions(document_id, kind, target, text, start, "end", sentence, stage, '
                         "stage_score, municipal, lexicon_version, model_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                         ments)
    store.meta_set("bench.signals.size", stamp)
    store.conn.execute("ANALYZE")
    return store


CPU: dict[str, float] = {}


def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Wall seconds (returned) and CPU seconds (kept in CPU under the function's name: the machine is shared)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    CPU[fn.__name__] = round(time.process_time() - cpu, 3)
    return out, round(time.perf_counter() - start, 3)


def classify_rate(store: Store, sample: int = 2000) -> float:
    """Documents per second of the real tagger on generated documents."""
    from scanner.signals.classify import classify_batch, load_docs
    from scanner.tag.tagger import Tagger

    tagger = Tagger(load_catalogue())
    docs = load_docs(store, list(range(1, sample + 1)))
    classify_batch(docs[:50], tagger=tagger)  # warm-up: pipeline construction
    _, seconds = _timed(classify_batch, docs, tagger=tagger, batch_size=256)
    return round(len(docs) / seconds, 1)


def run_size(cache_dir: Path, n_docs: int, per_doc: int, classify_sample: int) -> dict[str, Any]:
    from scanner.signals import api as signals

    catalogue = load_catalogue()
    store, gen_s = _timed(generate, cache_dir / f"bench-signals-{n_docs}.db", n_docs, n_docs * per_doc, catalogue)
    from scanner.signals import frames

    _, horizon_cold_s = _timed(signals.horizons, store, AS_OF, catalogue=catalogue)
    frames.clear_cache()
    _, trends_s = _timed(signals.trends, store, AS_OF, catalogue=catalogue)
    trends_cpu = CPU["trends"]
    _, horizon_s = _timed(signals.horizons, store, AS_OF, catalogue=catalogue)
    horizon_cpu = CPU["horizons"]
    _, emerging_s = _timed(signals.emerging, store, AS_OF, catalogue=catalogue)
    rate = classify_rate(store, classify_sample) if classify_sample else None
    store.close()
    return {"documents": n_docs, "mentions": n_docs * per_doc, "classify_docs_per_s": rate, "trends_s": trends_s,
            "horizon_s": horizon_s, "emerging_s": emerging_s,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "horizon_cold_s": horizon_cold_s, "generate_s": gen_s,
            "cpu_s": {"trends": trends_cpu, "horizon": horizon_cpu, "emerging": CPU["emerging"]}}
