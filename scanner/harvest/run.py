"""Harvest runs: each source fetched, parsed and committed in one transaction; failures stay per source."""
from __future__ import annotations

import logging
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

from scanner.config import complete
from scanner.errors import ScannerError
from scanner.harvest.feeds import parse_feed
from scanner.harvest.fetch import FetchResult, Fetcher
from scanner.harvest.items import feed_document, item_uid, linked_document, make_uid
from scanner.harvest.robots import RobotsCache
from scanner.harvest.canonical import canonical_url
from scanner.harvest.items import apply_pdf, base_document, finish
from scanner.harvest.pdf import PdfError
from scanner.harvest.save import SaveResult, known_uids, save_documents, store_lock
from scanner.harvest.lang import warm_up
from scanner.harvest.order import CommitOrder
from scanner.harvest.sources import Source
from scanner.harvest.textguard import check_document_text
from scanner.harvest.workers import extraction_pool
from scanner.store import Store
from scanner.util import dumps, inserted_id, iso, utcnow

log = logging.getLogger(__name__)

__all__ = ["harvest", "harvest_source", "save_documents", "HarvestSummary", "SourceResult", "SourceFailed",
           "CommitOrder", "make_fetcher", "select_sources", "section", "start_run", "finish_run"]


class SourceFailed(Exception):
    """The source as a whole yielded nothing usable (its message is the summary line).

    retryable: trying again soon may help (timeouts, 5xx, 429, dropped connections); a name that does
    not resolve, a refused address, a 404 or a broken feed will not change within minutes.
    """

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass
class SourceResult:
    source_id: str
    ok: bool = True
    status: str = "ok"            # ok | not-modified | unchanged | failed
    items: int = 0
    new_documents: int = 0
    duplicates: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    retryable: bool = False       # a failure that retrying soon may cure (see SourceFailed)

    def line(self) -> str:
        if not self.ok:
            return f"{self.source_id}: FAILED {self.error}"
        if self.status != "ok":
            return f"{self.source_id}: {self.status}, nothing new"
        extra = f", {len(self.warnings)} warning(s): {self.warnings[0]}" if self.warnings else ""
        return (f"{self.source_id}: ok, {self.items} items, {self.new_documents} new, "
                f"{self.duplicates} duplicates{extra}")


@dataclass
class HarvestSummary:
    results: list[SourceResult] = field(default_factory=list)
    run_id: int | None = None

    @property
    def sources_ok(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def sources_failed(self) -> int:
        return sum(not r.ok for r in self.results)

    @property
    def new_documents(self) -> int:
        return sum(r.new_documents for r in self.results)

    @property
    def duplicates(self) -> int:
        return sum(r.duplicates for r in self.results)

    def as_dict(self) -> dict[str, int]:
        """The contract's final JSON line."""
        return {"sources_ok": self.sources_ok, "sources_failed": self.sources_failed,
                "new_documents": self.new_documents, "duplicates": self.duplicates}


@dataclass
class _Collected:
    docs: list[dict[str, Any]] = field(default_factory=list)
    logs: list[dict[str, Any]] = field(default_factory=list)
    cache: list[dict[str, Any]] = field(default_factory=list)


def section(config: dict[str, Any]) -> dict[str, Any]:
    """The whole [harvest] table: from the whole config or a (partial) [harvest] section, over defaults.toml's.
    Entry points complete it once, so the code below reads cfg[key] without defaults of its own."""
    return complete("harvest", config["harvest"] if "harvest" in config else config)


def make_fetcher(store: Store, config: dict[str, Any]) -> Fetcher:
    """A Fetcher whose conditional GETs read the store's http_cache."""
    def lookup(url: str) -> dict[str, Any] | None:
        with store_lock(store):
            rows = store.query("SELECT * FROM http_cache WHERE url = ?", (url,))
        return rows[0] if rows else None
    return Fetcher(section(config), cache_lookup=lookup)


def _source_fetch(fetcher: Fetcher, source: Source, got: _Collected,
                  deadline: float | None = None) -> FetchResult | None:
    """Conditional GET of the source URL; None when it is unchanged since the last run."""
    result = fetcher.fetch(source.url, allow_private=source.allow_private, conditional=True, deadline=deadline)
    got.logs.extend(result.log)
    if not result.ok:
        raise SourceFailed(result.error or f"HTTP {result.status}", retryable=result.retryable)
    if result.cache_update:
        got.cache.append(result.cache_update)
    return None if (result.not_modified or result.unchanged) else result


def _parallel(func: Callable[[Any], Any], args: list[Any], workers: int,
              deadline: float | None = None) -> list[Any]:
    """Map func over args in threads; past the source's deadline the whole source fails (and retries later)."""
    def timed(arg: Any) -> Any:
        if deadline is not None and time.monotonic() > deadline:
            raise SourceFailed("timed out (source_timeout_s); nothing stored, the next run retries")
        return func(arg)

    if workers <= 1 or len(args) <= 1:
        return [timed(a) for a in args]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="harvest-page") as pool:
        return list(pool.map(timed, args))


def _item_name(item: dict[str, Any]) -> str:
    return str(item.get("url") or item.get("guid") or item.get("title") or "item")[:200]


def _isolated(make: Callable[[], Any], name: str) -> tuple[Any, str | None]:
    """(make(), None), or (None, one-line error) when building this one item raised: the source goes on."""
    try:
        return make(), None
    except SourceFailed:
        raise
    except Exception as exc:  # noqa: BLE001 (any bug or odd input in one item stays with that item)
        log.debug("item %s failed", name, exc_info=True)
        return None, f"{name}: item failed: {type(exc).__name__}: {exc}"[:300]


def _keep(doc: dict[str, Any], cfg: dict[str, Any], got: _Collected, result: SourceResult) -> None:
    """Collect a built document after the text door (binary refused, long text cut, each with a warning)."""
    keep, warning = check_document_text(doc, cfg)
    if warning:
        result.warnings.append(warning)
    if keep:
        got.docs.append(doc)


def _collect_feed(store: Store, source: Source, cfg: dict[str, Any], fetcher: Fetcher,
                  robots: RobotsCache | None, got: _Collected, result: SourceResult) -> None:
    fetched = _source_fetch(fetcher, source, got, cfg.get("deadline"))
    if fetched is None:
        result.status = "not-modified"
        return
    parsed = parse_feed(fetched.body or b"", fetched.final_url, fetched.headers, int(cfg["max_items"]))
    if parsed.error:
        raise SourceFailed(parsed.error)
    if parsed.warning:
        result.warnings.append(parsed.warning)
    result.items = len(parsed.items)
    keyed = {item_uid(source, item): item for item in parsed.items}
    known = known_uids(store, keyed)
    fresh = [(uid, item) for uid, item in keyed.items() if uid not in known]
    summary_only = replace(source, full_text=False)

    def build(pair: tuple[str, dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None, list[dict[str, Any]]]:
        logs: list[dict[str, Any]] = []
        doc, error = _isolated(lambda: feed_document(source, pair[1], pair[0], fetcher, robots, logs, cfg),
                               _item_name(pair[1]))
        if doc is None and source.full_text:  # the summary alone, so the item is not lost
            doc, _ = _isolated(lambda: feed_document(summary_only, pair[1], pair[0], fetcher, robots, logs, cfg),
                               _item_name(pair[1]))
            if doc is not None:
                doc["extraction_note"] = error
        return doc, error, logs

    workers = int(cfg["per_host"]) if source.full_text else 1
    for doc, error, logs in _parallel(build, fresh, workers, cfg.get("deadline")):
        got.logs.extend(logs)
        if error:
            result.warnings.append(error)
        if doc is not None:
            _keep(doc, cfg, got, result)


def _collect_page(store: Store, source: Source, cfg: dict[str, Any], fetcher: Fetcher,
                  robots: RobotsCache | None, got: _Collected, result: SourceResult) -> None:
    from scanner.harvest.extract import find_links

    fetched = _source_fetch(fetcher, source, got, cfg.get("deadline"))
    if fetched is None:
        result.status = "not-modified"
        return
    pattern = re.compile(source.link_pattern or ".")
    links = find_links(fetched.body or b"", fetched.final_url, pattern, int(cfg["max_links"]))
    result.items = len(links)
    if not links:
        result.warnings.append("no links match link_pattern")
    keyed = {make_uid(source.id, canonical_url(url)): (url, text) for url, text in links}
    known = known_uids(store, keyed)
    fresh = [pair for uid, pair in keyed.items() if uid not in known]

    def build(pair: tuple[str, str]) -> tuple[dict[str, Any] | None, str | None, list[dict[str, Any]]]:
        logs: list[dict[str, Any]] = []
        found, error = _isolated(lambda: linked_document(
            source, pair[0], pair[1], fetcher, robots, logs, bool(cfg.get("extract_fast")),
            int(cfg["max_extract_bytes"]), cfg.get("deadline")), pair[0])
        doc, why = found if found is not None else (None, None)
        return doc, error or why, logs

    for doc, error, logs in _parallel(build, fresh, int(cfg["per_host"]), cfg.get("deadline")):
        got.logs.extend(logs)
        if doc is not None:
            _keep(doc, cfg, got, result)
        if error:
            result.warnings.append(error)


def _collect_pdf(store: Store, source: Source, cfg: dict[str, Any], fetcher: Fetcher,
                 robots: RobotsCache | None, got: _Collected, result: SourceResult) -> None:
    fetched = _source_fetch(fetcher, source, got, cfg.get("deadline"))
    if fetched is None:
        result.status = "not-modified"
        return
    result.items = 1
    doc = base_document(source, make_uid(source.id, canonical_url(source.url)), "pdf", source.url)
    try:
        apply_pdf(doc, fetched.body or b"")
    except PdfError as exc:
        fetched.log[-1]["error"] = f"pdf: {exc}"
        got.cache.clear()  # let the next run try again
        raise SourceFailed(str(exc)) from None
    _keep(finish(doc, source), cfg, got, result)


def _collect_official(store: Store, source: Source, cfg: dict[str, Any], fetcher: Fetcher,
                      robots: RobotsCache | None, got: _Collected, result: SourceResult) -> None:
    """ori | sru | tenders: paged API harvests that commit page by page (scanner/harvest/official.py)."""
    from scanner.harvest.official import collect

    collect(store, source, cfg, fetcher, got, result, SourceFailed)


COLLECTORS = {"feed": _collect_feed, "page": _collect_page, "pdf": _collect_pdf,
              "ori": _collect_official, "sru": _collect_official, "tenders": _collect_official}


def harvest_source(store: Store, source: Source, config: dict[str, Any], client: Fetcher | None = None,
                   robots: RobotsCache | None = None, run_id: int | None = None,
                   order: CommitOrder | None = None) -> SourceResult:
    """Fetch, parse and store one source; everything it yields commits in one transaction.

    With `order`, the commit waits for the sources before this one (deterministic first-seen copies).
    """
    try:
        return _harvest_source(store, source, config, client, robots, run_id, order)
    finally:
        if order is not None:
            order.release(source.id)


def _harvest_source(store: Store, source: Source, config: dict[str, Any], client: Fetcher | None,
                    robots: RobotsCache | None, run_id: int | None, order: CommitOrder | None) -> SourceResult:
    cfg = section(config)
    cfg = {**cfg, "deadline": time.monotonic() + float(cfg["source_timeout_s"]), "run_id": run_id,
           "official": {**(config.get("official") or {}), **(cfg.get("official") or {})}}  # ori|sru|tenders
    warm_up()
    fetcher = client or make_fetcher(store, cfg)
    if robots is None and cfg["robots"]:
        robots = RobotsCache(fetcher)
    result = SourceResult(source.id)
    got = _Collected()
    try:
        COLLECTORS[source.kind](store, source, cfg, fetcher, robots, got, result)
    except SourceFailed as exc:
        result.ok, result.status, result.error, result.retryable = False, "failed", str(exc), exc.retryable
    except Exception as exc:  # one broken source must never stop the others
        log.debug("source %s crashed", source.id, exc_info=True)
        result.ok, result.status = False, "failed"
        result.error = f"internal error: {type(exc).__name__}: {exc}"[:300]
    finally:
        if client is None:
            fetcher.close()
    if not result.ok:
        got.docs, got.cache = [], []
    if order is not None:
        order.take(source.id)
    try:
        _commit(store, source, cfg, got, result, run_id)
    except Exception as exc:  # e.g. a locked or full database: report it, keep the other sources going
        log.debug("cannot store results of %s", source.id, exc_info=True)
        result.ok, result.status, result.new_documents, result.duplicates = False, "failed", 0, 0
        result.error = f"cannot store results: {type(exc).__name__}: {exc}"[:300]
        result.retryable = True
    return result


def _commit(store: Store, source: Source, cfg: dict[str, Any], got: _Collected, result: SourceResult,
            run_id: int | None) -> None:
    """Documents, HTTP cache, fetch log and source state: all or nothing."""
    now = iso(utcnow())
    with store_lock(store), store.transaction() as conn:
        saved = save_documents(store, got.docs, cfg) if got.docs else SaveResult()
        result.new_documents += saved.new  # += : paged kinds (official.py) have already committed pages
        result.duplicates += saved.duplicates
        result.warnings.extend(saved.warnings)
        conn.executemany(
            "INSERT OR REPLACE INTO http_cache(url, etag, last_modified, body_hash, status, fetched_at) "
            "VALUES (:url, :etag, :last_modified, :body_hash, :status, :fetched_at)", got.cache)
        conn.executemany(
            "INSERT INTO fetch_log(run_id, source_id, url, status, bytes, elapsed_ms, error, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, source.id, e["url"], e["status"], e["bytes"], e["elapsed_ms"], e["error"], e["fetched_at"])
             for e in got.logs])
        conn.execute(
            "INSERT INTO sources(id, name, url, kind, source_type, language, enabled, last_run_at, last_status, "
            "last_error, last_new, documents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT count(*) FROM documents WHERE source_id = ?)) "
            "ON CONFLICT(id) DO UPDATE SET name=excluded.name, url=excluded.url, kind=excluded.kind, "
            "source_type=excluded.source_type, language=excluded.language, enabled=excluded.enabled, "
            "last_run_at=excluded.last_run_at, last_status=excluded.last_status, last_error=excluded.last_error, "
            "last_new=excluded.last_new, documents=excluded.documents",
            (source.id, source.name, source.url, source.kind, source.source_type, source.language,
             int(source.enabled), now, result.status, result.error, result.new_documents, source.id))


def select_sources(sources: Iterable[Source], only: Iterable[str] | None) -> list[Source]:
    """Enabled sources, or exactly the ids asked for (unknown ids are a usage error)."""
    sources = list(sources)
    if not sources:
        raise ScannerError("no sources: the sources file has no [[source]] tables (see README, Harvesting)")
    if not only:
        enabled = [s for s in sources if s.enabled]
        if not enabled:
            raise ScannerError(f"no enabled sources: all {len(sources)} are disabled (scanner sources enable ID)")
        return enabled
    by_id = {s.id: s for s in sources}
    missing = [i for i in only if i not in by_id]
    if missing:
        raise ScannerError(f"unknown source id(s): {', '.join(missing)}")
    return [by_id[i] for i in dict.fromkeys(only)]


def _start_run(store: Store) -> int:
    with store_lock(store), store.transaction() as conn:
        return inserted_id(conn.execute("INSERT INTO harvest_runs(started_at) VALUES (?)", (iso(utcnow()),)))


def _finish_run(store: Store, run_id: int | None, summary: HarvestSummary) -> None:
    counts = summary.as_dict()
    with store_lock(store), store.transaction() as conn:
        conn.execute(
            "UPDATE harvest_runs SET finished_at = ?, sources_ok = ?, sources_failed = ?, new_documents = ?, "
            "duplicates = ?, summary = ? WHERE id = ?",
            (iso(utcnow()), counts["sources_ok"], counts["sources_failed"], counts["new_documents"],
             counts["duplicates"], dumps([r.line() for r in summary.results]), run_id))


start_run, finish_run = _start_run, _finish_run  # public names for callers that run sources one by one (flows)


def harvest(store: Store, sources: Iterable[Source], config: dict[str, Any],
            only: Iterable[str] | None = None,
            on_result: Callable[[SourceResult], None] | None = None,
            on_progress: Callable[[Any], None] | None = None) -> HarvestSummary:
    """Harvest the selected sources in parallel (source_workers); on_result sees each as it finishes,
    on_progress each committed page of a paged (ori | sru | tenders) source (scanner.harvest.official.Progress)."""
    cfg = section(config)
    cfg = {**cfg, "official": {**(config.get("official") or {}), **(cfg.get("official") or {})},  # ori|sru|tenders
           "progress": on_progress}
    chosen = select_sources(sources, only)
    summary = HarvestSummary(run_id=_start_run(store))
    stop = threading.Event()  # an interrupt in one worker stops sources not yet started
    warm_up()
    processes = int(cfg["extract_processes"]) if any(s.full_text or s.kind == "page" for s in chosen) else 0
    with make_fetcher(store, cfg) as fetcher, extraction_pool(processes):
        robots = RobotsCache(fetcher) if cfg["robots"] else None

        order = CommitOrder([s.id for s in chosen], float(cfg["source_timeout_s"]) + 60)

        def one(source: Source) -> SourceResult | None:
            if stop.is_set():
                order.release(source.id)
                return None
            try:
                res = harvest_source(store, source, cfg, fetcher, robots, summary.run_id, order)
            except BaseException:
                stop.set()
                raise
            if on_result is not None:
                on_result(res)
            return res

        workers = max(1, min(int(cfg["source_workers"]), len(chosen)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="harvest-source") as pool:
            summary.results = [r for r in pool.map(one, chosen) if r is not None]
    _finish_run(store, summary.run_id, summary)
    return summary
