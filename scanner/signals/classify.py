"""Classify: run the tagger over documents not yet tagged by the current lexicon and model version.

Pieces for the Prefect flow: `pending_ids` picks work, `load_docs` reads a batch, `classify_batch` tags it
(any process), `write_rows` stores it (one writer, one transaction per batch).
"""
from __future__ import annotations

import logging
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator

from scanner.catalogue import Catalogue
from scanner.signals import lexdiff
from scanner.signals.feedback import reapply_relabels
from scanner.util import chunked, dumps, frozen, iso, utcnow

log = logging.getLogger(__name__)

_TAGGER: dict[str, Any] = {}


def default_tagger(catalogue: Catalogue | None = None) -> Any:
    """The real tagger, built once per process and catalogue version (analyst additions change it)."""
    from scanner.catalogue import load_catalogue
    from scanner.tag.tagger import Tagger

    catalogue = catalogue if catalogue is not None else load_catalogue()
    key = getattr(catalogue, "version", None)
    if "tagger" not in _TAGGER or _TAGGER.get("key") != key:
        _TAGGER["tagger"], _TAGGER["key"] = Tagger(catalogue), key
    return _TAGGER["tagger"]


def versions(tagger: Any, catalogue: Catalogue | None) -> tuple[str, str]:
    """(lexicon_version, model_version) stamped on every row."""
    lexicon = str(getattr(tagger, "lexicon_version", None) or getattr(catalogue, "version", "")
                  or getattr(tagger, "version", ""))
    model = getattr(tagger, "model_version", None)
    if model is None:
        full = str(getattr(tagger, "version", ""))
        model = full.replace(lexicon, "").strip("+-:/ ") or "rules"
    return lexicon, str(model)


def pending_ids(store, lexicon: str, model: str, reclassify: bool = False) -> list[int]:
    """Live documents (near-duplicates count once, so they are skipped) lacking tags of these versions.

    With `reclassify`, every live document, queued in `classify_queue` first; a queue left by a killed
    re-tag is resumed instead of refilled, so no document is tagged twice."""
    if reclassify:
        return queue_reclassify(store)
    else:
        sql = ("SELECT d.id FROM documents d LEFT JOIN doc_tags t ON t.document_id = d.id "
               "WHERE d.duplicate_of IS NULL AND (t.document_id IS NULL OR t.lexicon_version IS NOT ? "
               "OR t.model_version IS NOT ?) ORDER BY d.id")
        params = (lexicon, model)
    return [r[0] for r in store.conn.execute(sql, params)]


def queue_reclassify(store) -> list[int]:
    """The ids still queued by an unfinished re-tag, else every live document (queued now)."""
    left = [r[0] for r in store.conn.execute("SELECT document_id FROM classify_queue ORDER BY document_id")]
    if left:
        log.info("resuming a re-tag: %d documents left", len(left))
        return left
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO classify_queue(document_id) "
                     "SELECT id FROM documents WHERE duplicate_of IS NULL")
    return [r[0] for r in store.conn.execute("SELECT document_id FROM classify_queue ORDER BY document_id")]


def load_docs(store, ids: list[int]) -> list[dict[str, Any]]:
    marks = ",".join("?" for _ in ids)
    rows = store.conn.execute(
        f"SELECT id, title, COALESCE(NULLIF(text, ''), summary, '') AS text, published, "
        f"json_extract(meta, '$.municipality') FROM documents WHERE id IN ({marks}) ORDER BY id",
        tuple(ids)).fetchall()
    docs = [{"id": str(r[0]), "title": r[1] or "", "text": r[2] or "", "published": r[3]} for r in rows]
    for doc, row in zip(docs, rows):
        if row[4]:
            doc["municipality"] = str(row[4])  # the CBS code an official source (ori/sru/tenders) states
    return docs


def _source_municipality(doc: dict[str, Any], tagged: dict[str, Any]) -> None:
    """A document from an official source belongs to its municipality: every mention counts for its reach."""
    from scanner.harvest.municipalities import default_index

    name = default_index().name(doc.get("municipality"))
    if not name:
        return
    tagged["municipal"] = True
    for key in ("technologies", "processes"):
        for mention in tagged.get(key) or []:
            names = list(mention.get("municipalities") or [])
            if name not in names:
                mention["municipalities"] = names + [name]


def _mention_rows(doc_id: int, tagged: dict[str, Any], lexicon: str, model: str) -> list[tuple]:
    municipal = int(bool(tagged.get("municipal")))
    rows = []
    for kind, key in (("technology", "technologies"), ("process", "processes")):
        for m in tagged.get(key) or []:
            rows.append((doc_id, kind, m.get("id"), m.get("text"), m.get("start"), m.get("end"),
                         m.get("sentence"), m.get("sent_start"), m.get("sent_end"), m.get("stage") or "none",
                         m.get("stage_score"), municipal, lexicon, model, dumps(m.get("municipalities") or []),
                         m.get("sent_index")))
    return rows


def classify_batch(docs: list[dict[str, Any]], tagger: Any = None, catalogue: Catalogue | None = None,
                   batch_size: int = 64) -> dict[str, Any]:
    """Tag documents ({id, title, text, published}) -> rows for write_rows; no database access."""
    tagger = tagger or default_tagger(catalogue)
    lexicon, model = versions(tagger, catalogue if catalogue is not None else getattr(tagger, "catalogue", None))
    now = iso(utcnow())
    tags, mentions, errors = [], [], 0
    for doc, tagged in zip(docs, tagger.tag_many(docs, batch_size=batch_size)):
        doc_id = int(doc["id"])
        if doc.get("municipality") and "error" not in tagged:
            _source_municipality(doc, tagged)
        if "error" in tagged:
            errors += 1
            tags.append((doc_id, None, "none", dumps({}), 0, 0.0, "[]", "[]", dumps([{"error": tagged["error"]}]),
                         lexicon, model, now))
            continue
        tags.append((doc_id, tagged.get("language"), tagged.get("stage") or "none",
                     dumps(tagged.get("stage_scores") or {}), int(bool(tagged.get("municipal"))),
                     float(tagged.get("municipal_score") or 0.0), dumps(tagged.get("domains") or []),
                     dumps(tagged.get("candidates") or []), dumps(tagged.get("factors") or []), lexicon, model, now))
        mentions.extend(_mention_rows(doc_id, tagged, lexicon, model))
    return {"doc_tags": tags, "mentions": mentions, "errors": errors}


def write_rows(store, rows: dict[str, Any]) -> int:
    """Replace the tags and mentions of the batch's documents in one transaction; returns documents written."""
    ids = [(r[0],) for r in rows["doc_tags"]]
    with store.transaction() as conn:
        conn.executemany("DELETE FROM mentions WHERE document_id = ?", ids)
        conn.executemany(
            "INSERT OR REPLACE INTO doc_tags(document_id, language, stage, stage_scores, municipal, "
            "municipal_score, domains, candidates, factors, lexicon_version, model_version, tagged_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows["doc_tags"])
        conn.executemany(
            'INSERT INTO mentions(document_id, kind, target, text, start, "end", sentence, sent_start, sent_end, '
            "stage, stage_score, municipal, lexicon_version, model_version, municipalities, sent_index) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows["mentions"])
        reapply_relabels(store, [i for (i,) in ids])  # analysts' corrections survive re-tagging
        conn.executemany("DELETE FROM classify_queue WHERE document_id = ?", ids)
    return len(ids)


def _live_count(store) -> int:
    return store.conn.execute("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0]


def _worker_init(factory: Callable[[], Any] | None, catalogue: Catalogue | None = None) -> None:
    _TAGGER["tagger"] = factory() if factory else default_tagger(catalogue)


def _worker_batch(docs: list[dict[str, Any]]) -> dict[str, Any]:
    return classify_batch(docs, tagger=_TAGGER["tagger"])


BatchRunner = Callable[[Iterator[list[dict[str, Any]]]], Iterator[dict[str, Any]]]
"""Tags batches of documents somewhere (this process, a process pool, Prefect tasks) and yields their rows in order."""


def bounded(submit: Callable[[list[dict[str, Any]]], Any], batches: Iterable[list[dict[str, Any]]],
            in_flight: int) -> Iterator[dict[str, Any]]:
    """Rows of each batch in order, with at most `in_flight` submitted batches not yet collected (futures with
    .result(): a whole backlog submitted at once would sit in memory)."""
    pending: deque = deque()
    for docs in batches:
        pending.append(submit(docs))
        if len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _tagged_batches(batches: Iterator[list[dict[str, Any]]], workers: int, tagger: Any,
                    factory: Callable[[], Any] | None) -> Iterator[dict[str, Any]]:
    # the warm tagger frozen (scanner/util.py: frozen): in this process the collector no longer walks
    # it, and forked workers share it (built here once, not in every worker) without copying its pages
    warm = tagger.warm if (factory is None or workers <= 1) and hasattr(tagger, "warm") else None
    with frozen(warm):
        if workers <= 1:
            for docs in batches:
                yield classify_batch(docs, tagger=tagger)
            return
        import multiprocessing

        context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init,
                                 initargs=(factory, getattr(tagger, "catalogue", None))) as pool:
            yield from bounded(lambda docs: pool.submit(_worker_batch, docs), batches, 2 * workers)


def classify(store, catalogue: Catalogue | None = None, reclassify: bool = False, workers: int = 1, batch_size: int = 256,
             progress: Callable[[int, int], None] | None = None, tagger: Any = None,
             tagger_factory: Callable[[], Any] | None = None, runner: BatchRunner | None = None) -> dict[str, Any]:
    """Tag every live document lacking tags of the current versions; returns counts.

    Batches are tagged in this process, in `workers` processes, or by `runner` (the Prefect flow's tasks);
    this process alone writes them."""
    if tagger is None:
        from scanner.signals.catalog import resolve

        tagger = tagger_factory() if tagger_factory else default_tagger(resolve(store, catalogue))
    catalogue = catalogue if catalogue is not None else getattr(tagger, "catalogue", None)
    lexicon, model = versions(tagger, catalogue)
    restamped = 0 if reclassify else lexdiff.restamp_unaffected(store, catalogue, lexicon, model)
    ids = pending_ids(store, lexicon, model, reclassify)
    done = errors = mentions = 0
    batches = (load_docs(store, batch) for batch in chunked(ids, batch_size))
    tagged = runner(batches) if runner is not None else _tagged_batches(batches, workers, tagger, tagger_factory)
    for rows in tagged:
        done += write_rows(store, rows)
        errors += rows["errors"]
        mentions += len(rows["mentions"])
        if progress:
            progress(done, len(ids))
    lexdiff.remember(store, catalogue, lexicon)
    log.info("classified %d documents (%d mentions, %d errors)", done, mentions, errors)
    return {"documents": done, "mentions": mentions, "errors": errors, "restamped": restamped,
            "up_to_date": _live_count(store) - done, "lexicon_version": lexicon,
            "model_version": model}
