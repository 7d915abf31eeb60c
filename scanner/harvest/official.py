"""Official municipal sources (kind = "ori" | "sru" | "tenders"): the machinery the three kinds share.

Each kind (scanner/harvest/ori.py, sru.py, tenders.py) turns a source and one query into request pages and
response pages into document dicts; this module runs them:

- **queries**: one standing query (`query = "..."`) and/or one query per technology (`technologies = [...]`
  or `"all"`), built from the technology's lexicon terms;
- **incremental by date**: each query keeps a cursor in table `harvest_cursors`: the date to search from
  (`since`, the latest date seen by the last complete pass) and, while a pass is under way, its position;
- **streaming and resumable**: one page in memory at a time; each page's documents, the cursor and the
  fetch log commit in one transaction, so a killed run resumes at the next page and never stores a
  document twice (uids are stable per source and native id);
- **polite**: every request goes through the run's host limiter and the `[official]` minimum interval,
  retries 429/5xx/connection errors and honours Retry-After (capped by `retry_after_max_s`);
- **one-line errors**: a failed or malformed page stops the source with one summary line; what earlier
  pages stored is kept and the next run resumes there. A malformed record is skipped with a warning.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable
from urllib.parse import urlsplit

import httpx

from scanner.catalogue import TitleHints, load_catalogue
from scanner.config import complete
from scanner.errors import ScannerError
from scanner.harvest.fetch import Fetcher, _log_entry, _peer_problem, parse_retry_after
from scanner.harvest.items import base_document, finish, make_uid
from scanner.harvest.municipalities import CODE, MunicipalityIndex, default_index
from scanner.harvest.netguard import BlockedURL, check_url
from scanner.harvest.save import save_documents, store_lock
from scanner.harvest.sources import Source
from scanner.store import Store
from scanner.util import dumps, iso, utcnow

API_KINDS = ("ori", "sru", "tenders")
COMMON_KEYS = {"query", "technologies", "since", "page_size", "max_pages", "municipality", "max_terms"}
KIND_KEYS = {"ori": {"fields", "date_field", "document_types"},
             "sru": {"connection", "date_index", "term_index", "creator", "record_schema"},
             "tenders": {"api", "cpv", "country", "municipal_only", "fields"}}
EXTRA_KEYS = COMMON_KEYS.union(*KIND_KEYS.values())
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")

CURSOR_TABLE = ("CREATE TABLE IF NOT EXISTS harvest_cursors (source_id TEXT NOT NULL, query_key TEXT NOT NULL, "
                "state TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (source_id, query_key))")


class PageFailed(Exception):
    """A request or response that made the page unusable (its message is the one-line reason)."""


# ------------------------------------------------------------------------------------------ validation
def check_params(raw: dict[str, Any], where: str) -> None:
    """Validate the kind-specific keys of an ori/sru/tenders source (ScannerError one-liners)."""
    kind = raw.get("kind")
    allowed = COMMON_KEYS | KIND_KEYS.get(str(kind), set())
    stray = sorted(k for k in raw if k in EXTRA_KEYS and k not in allowed)
    if stray:
        raise ScannerError(f"{where}: key(s) {', '.join(stray)} not used by kind = \"{kind}\"")
    techs = raw.get("technologies")
    if techs is not None and techs != "all" and not (isinstance(techs, list) and all(isinstance(t, str) for t in techs)):
        raise ScannerError(f"{where}: technologies must be \"all\" or a list of technology ids")
    if raw.get("query") is not None and not isinstance(raw["query"], str):
        raise ScannerError(f"{where}: query must be a string")
    if techs is None and not raw.get("query") and kind != "tenders":
        raise ScannerError(f"{where}: kind = \"{kind}\" needs a standing `query` or `technologies`")
    if raw.get("since") is not None and not _DATE.match(str(raw["since"])):
        raise ScannerError(f"{where}: since must be a date YYYY-MM-DD, got {raw['since']!r}")
    for key in ("page_size", "max_pages", "max_terms"):
        if key in raw and (not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] < 1):
            raise ScannerError(f"{where}: {key} must be a positive integer")
    if raw.get("municipality") is not None and not CODE.match(str(raw["municipality"])):
        raise ScannerError(f"{where}: municipality must be a CBS code like GM0344, got {raw['municipality']!r}")
    if kind == "tenders" and raw.get("cpv") is not None:
        cpv = raw["cpv"]
        if not (isinstance(cpv, list) and cpv and all(re.fullmatch(r"\d{8}(?:-\d)?", str(c)) for c in cpv)):
            raise ScannerError(f"{where}: cpv must be a list of 8-digit CPV codes")
    if kind == "tenders" and raw.get("api") not in (None, "ted", "tenderned"):
        raise ScannerError(f"{where}: api must be \"ted\" or \"tenderned\", got {raw['api']!r}")


# ------------------------------------------------------------------------------------------ queries
@dataclass(frozen=True)
class Query:
    key: str                      # cursor key: "standing" or "tech:<id>"
    technology: str | None        # the technology whose terms make up the query
    terms: tuple[str, ...] = ()   # lexicon terms (OR-ed); empty for the standing query
    standing: str | None = None   # the source's own query string


def build_queries(source: Source, catalogue: Any = None) -> list[Query]:
    """The standing query (if any) and one query per selected technology (its lexicon terms)."""
    params = source.params
    queries: list[Query] = []
    if params.get("query"):
        queries.append(Query("standing", None, (), str(params["query"])))
    wanted = params.get("technologies")
    if wanted is None:
        return queries or [Query("standing", None, (), None)]
    if catalogue is None:
        catalogue = load_catalogue()
    ids = list(catalogue.technologies) if wanted == "all" else list(wanted)
    unknown = [i for i in ids if i not in catalogue.technologies]
    if unknown:
        raise ScannerError(f"source {source.id}: unknown technology id(s) {', '.join(unknown)}")
    limit = int(params.get("max_terms") or 12)
    for ident in ids:
        tech = catalogue.technologies[ident]
        terms = tuple(t for t in tech.all_terms() if len(t) > 2)[:limit]
        queries.append(Query(f"tech:{ident}", ident, terms, params.get("query")))
    return queries


# ------------------------------------------------------------------------------------------ cursors
def _ensure_cursor_table(store: Store) -> None:
    with store_lock(store):
        store.conn.execute(CURSOR_TABLE)


def load_cursor(store: Store, source_id: str, key: str) -> dict[str, Any]:
    _ensure_cursor_table(store)
    with store_lock(store):
        row = store.conn.execute("SELECT state FROM harvest_cursors WHERE source_id = ? AND query_key = ?",
                                 (source_id, key)).fetchone()
    try:
        return dict(json.loads(row[0])) if row else {}
    except (ValueError, TypeError):
        return {}


def _save_cursor(conn: Any, source_id: str, key: str, state: dict[str, Any]) -> None:
    conn.execute("INSERT OR REPLACE INTO harvest_cursors(source_id, query_key, state, updated_at) VALUES (?,?,?,?)",
                 (source_id, key, dumps(state), iso(utcnow())))


# ------------------------------------------------------------------------------------------ HTTP
@dataclass
class ApiResponse:
    status: int = 0
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class ApiClient:
    """JSON/XML API calls over the run's Fetcher: address guard, host limiter, body cap, retries."""

    _interval_lock = threading.Lock()
    _last_start: dict[str, float] = {}

    def __init__(self, fetcher: Fetcher, allow_private: bool, min_interval_s: float = 0.0) -> None:
        self.fetcher = fetcher
        self.allow_private = allow_private
        self.min_interval_s = max(0.0, min_interval_s)
        self.logs: list[dict[str, Any]] = []   # fetch_log entries not yet committed

    def take_logs(self) -> list[dict[str, Any]]:
        logs, self.logs = self.logs, []
        return logs

    def _pace(self, host: str) -> None:
        """A per-host minimum interval on top of the limiter's (APIs ask for gentler rates than sites)."""
        with self._interval_lock:
            now = time.monotonic()
            start = max(now, self._last_start.get(host, 0.0) + self.min_interval_s)
            self._last_start[host] = start
        if start > now:
            time.sleep(start - now)

    def call(self, method: str, url: str, *, params: Any = None,
             body: dict[str, Any] | None = None) -> ApiResponse:
        """One logical request with retries; raises PageFailed with a one-line reason."""
        cfg = self.fetcher.cfg
        retries = int(cfg["max_retries"])
        out = ApiResponse()
        reason: str | None = "no response"
        for attempt in range(retries + 1):
            retry_after, retryable, reason = self._attempt(method, url, params, body, out)
            if reason is None:
                return out
            if not retryable or attempt == retries:
                break
            time.sleep(self.fetcher._backoff(attempt, retry_after))
        raise PageFailed(reason)

    def _attempt(self, method: str, url: str, params: Any, body: dict[str, Any] | None,
                 out: ApiResponse) -> tuple[float | None, bool, str | None]:
        """(retry_after, retryable, error or None); fills out on success."""
        try:
            check_url(url, self.allow_private)
        except BlockedURL as exc:
            return None, False, str(exc)
        host = urlsplit(url).netloc.lower()
        self._pace(host)
        started = time.monotonic()
        status, error, retry_after, retryable, data = 0, None, None, False, b""
        shown = str(httpx.URL(url, params=params)) if params else url
        try:
            with self.fetcher.limiter.slot(host):
                with self.fetcher.client.stream(method, url, params=params, json=body,
                                                headers={"Accept": "application/json, application/xml;q=0.9"}) as resp:
                    problem = _peer_problem(resp, self.allow_private)
                    status = resp.status_code
                    out.headers = {k.lower(): v for k, v in resp.headers.items()}
                    if problem:
                        error = f"refused connected address: {problem}"
                    elif status == 429 or status >= 500:
                        error, retryable = f"HTTP {status}", True
                        retry_after = parse_retry_after(resp.headers.get("retry-after"))
                    elif status >= 300:
                        error = f"HTTP {status}" + (f" (redirect to {resp.headers.get('location')})"
                                                    if 300 <= status < 400 else "")
                    else:
                        data = self.fetcher._read(resp)
        except httpx.TimeoutException as exc:
            error, retryable = f"timeout: {type(exc).__name__}", True
        except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            error = f"connection error: {type(exc).__name__}: {exc}"[:300]
            retryable = isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.UnsupportedProtocol)
        except Exception as exc:  # body cap, decoding: not worth retrying
            error = f"{type(exc).__name__}: {exc}"[:300]
        self.logs.append(_log_entry(shown[:2000], status, len(data), time.monotonic() - started, error))
        if error is None:
            out.status, out.body = status, data
        return retry_after, retryable, error


# ------------------------------------------------------------------------------------------ pages
@dataclass
class Page:
    """One response page turned into records; `position` continues the pass, None when it is complete."""
    records: list[Record] = field(default_factory=list)
    position: Any = None
    total: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Record:
    """What a kind extracts from one hit; official_document() makes the stored document of it."""
    native_id: str
    title: str
    text: str
    url: str | None
    published: str | None
    municipality: str | None
    document_type: str | None
    stage_hint: str | None
    extra: dict[str, Any] = field(default_factory=dict)
    cursor_date: str | None = None   # the date the API filters on, when it is not `published`


def add_records(page: Page, items: list[Any], ctx: PassContext, record_of: Callable[[Any, PassContext], Record | None],
                what: str) -> None:
    """Records of a page of hits: a malformed hit is a warning, and a buyer that is no municipality is
    left out unless the source sets `municipal_only = false` (tender sources)."""
    municipal_only = ctx.source.params.get("municipal_only", True)
    for item in items:
        record = record_of(item, ctx)
        if record is None:
            page.warnings.append(f"skipped a malformed {what} ({str(item)[:60]})")
        elif record.municipality or not municipal_only:
            page.records.append(record)


def day(value: Any) -> str | None:
    """`2024-01-05+01:00`, `20240105`, `2024-01-05T10:00:00Z` -> `2024-01-05`; None when not a date."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    match = _DATE.match(str(value).strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def official_document(source: Source, rec: Record, query: Query) -> dict[str, Any]:
    doc = base_document(source, make_uid(source.id, rec.native_id), source.kind, rec.url)
    doc.update(guid=rec.native_id, title=rec.title or None, text=rec.text or "", published=rec.published,
               extraction="api")
    meta = {"municipality": rec.municipality or source.params.get("municipality"),
            "document_type": rec.document_type, "stage_hint": rec.stage_hint, "api": source.kind,
            "native_id": rec.native_id, "source_url": rec.url, "query": query.key}
    meta.update(rec.extra)
    doc["meta"] = {k: v for k, v in meta.items() if v not in (None, "", [])}
    return finish(doc, source)


@dataclass
class PassContext:
    """Everything a kind needs to request and parse one page of one query."""
    source: Source
    query: Query
    since: str | None
    page_size: int
    client: ApiClient
    index: MunicipalityIndex
    cfg: dict[str, Any]
    titles: TitleHints = field(default_factory=TitleHints)  # the catalogue's stage hints from titles (ori, sru, tenders)


def _kind_module(kind: str) -> Any:
    from scanner.harvest import ori, sru, tenders

    return {"ori": ori, "sru": sru, "tenders": tenders}[kind]


def collect(store: Store, source: Source, cfg: dict[str, Any], fetcher: Fetcher, got: Any, result: Any,
            failed: type[Exception], catalogue: Any = None) -> None:
    """The harvest collector of the three kinds: every query, page by page, each page committed."""
    kind = _kind_module(source.kind)
    official = complete("official", cfg.get("official"))  # [official] of the run, over defaults.toml's
    client = ApiClient(fetcher, source.allow_private, float(official["min_interval_s"]))
    index = default_index() if catalogue is None else MunicipalityIndex.from_municipal(catalogue.municipal)
    page_size = int(source.params.get("page_size") or official["page_size"])
    max_pages = int(source.params.get("max_pages") or official["max_pages"])
    catalogue = catalogue if catalogue is not None else load_catalogue()
    queries = build_queries(source, catalogue)
    titles = catalogue.title_hints(source.kind)
    try:
        for number, query in enumerate(queries):
            tick = _progress_tick(cfg, source.id, number, len(queries), result)
            if not _run_query(store, source, cfg, kind, client, index, query, page_size, max_pages, result, failed,
                              tick, titles):
                return
        tick(None, None, finished=True)
    finally:
        got.logs.extend(client.take_logs())  # the failed request's attempts, logged with the source


@dataclass(frozen=True)
class Progress:
    """What a paged harvest reports after each committed page (`cfg["progress"]` receives it)."""
    source_id: str
    query: int            # index of the query under way (0-based)
    queries: int          # queries of the source
    seen: int             # records read in this query's pass so far
    total: int | None     # matches the API reports for this query, when it does
    new_documents: int    # stored by the source in this run so far
    finished: bool = False


def _progress_tick(cfg: dict[str, Any], source_id: str, number: int, queries: int, result: Any) -> Any:
    """A function (seen, total, finished=False) that reports to cfg["progress"], if the caller gave one."""
    report = cfg.get("progress")

    def tick(seen: int | None, total: int | None, finished: bool = False) -> None:
        if report is not None:
            report(Progress(source_id, number, queries, seen or 0, total, result.new_documents, finished))
    return tick


def _run_query(store: Store, source: Source, cfg: dict[str, Any], kind: Any, client: ApiClient,
               index: MunicipalityIndex, query: Query, page_size: int, max_pages: int, result: Any,
               failed: type[Exception], tick: Any = None, titles: TitleHints | None = None) -> bool:
    """One query's pass from its cursor; False when the source's time limit stops the run."""
    state = load_cursor(store, source.id, query.key)
    resuming = state.get("position") is not None
    since = state.get("pass_since") if resuming else state.get("since")
    since = since or (day(source.params.get("since")) if source.params.get("since") else None)
    ctx = PassContext(source, query, since, page_size, client, index, cfg, titles or TitleHints())
    position = state["position"] if resuming else kind.first_position(ctx)
    high = state.get("high") or since
    deadline = cfg.get("deadline")
    seen = 0
    for _ in range(max_pages):
        if deadline is not None and time.monotonic() > deadline:
            result.warnings.append("time limit reached (source_timeout_s); the next run resumes")
            return False
        try:
            page = kind.fetch_page(ctx, position)
        except PageFailed as exc:
            raise failed(_failure(query, exc, result)) from None
        docs = [official_document(source, rec, query) for rec in page.records]
        high = max([d for d in [high, *(r.cursor_date or r.published for r in page.records)] if d], default=None)
        result.items += len(page.records)
        result.warnings.extend(page.warnings)
        done = page.position is None
        state = ({"since": high} if done else
                 {"since": state.get("since"), "pass_since": since, "position": page.position, "high": high})
        _commit_page(store, source, cfg, docs, query.key, state, client.take_logs(), result)
        seen += len(page.records)
        if tick is not None:
            tick(seen, page.total)
        if done:
            return True
        position = page.position
    return True


def _failure(query: Query, exc: Exception, result: Any) -> str:
    where = "" if query.key == "standing" else f" (query {query.key})"
    kept = f"; {result.new_documents} new document(s) kept, the next run resumes" if result.new_documents else ""
    return f"{exc}{where}{kept}"


def _commit_page(store: Store, source: Source, cfg: dict[str, Any], docs: list[dict[str, Any]], key: str,
                 state: dict[str, Any], logs: list[dict[str, Any]], result: Any) -> None:
    """The page's documents, the query cursor and the fetch log in one transaction."""
    _ensure_cursor_table(store)
    with store_lock(store), store.transaction() as conn:
        saved = save_documents(store, docs, cfg)
        _save_cursor(conn, source.id, key, state)
        conn.executemany(
            "INSERT INTO fetch_log(run_id, source_id, url, status, bytes, elapsed_ms, error, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(cfg.get("run_id"), source.id, e["url"], e["status"], e["bytes"], e["elapsed_ms"], e["error"],
              e["fetched_at"]) for e in logs])
    result.new_documents += saved.new
    result.duplicates += saved.duplicates


def parse_json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PageFailed(f"malformed {what} response: not JSON ({str(exc)[:80]})") from None


def check_official(fetcher: Fetcher, source: Source, catalogue: Any = None) -> dict[str, Any]:
    """`scanner sources check` for an API source: one live page of its first query, or why it failed."""
    kind = _kind_module(source.kind)
    client = ApiClient(fetcher, source.allow_private, 0.0)
    report: dict[str, Any] = {"id": source.id, "ok": False, "status": 0, "content_type": None, "items": 0,
                              "final_url": source.url, "note": None}
    try:
        index = default_index() if catalogue is None else MunicipalityIndex.from_municipal(catalogue.municipal)
        catalogue = catalogue if catalogue is not None else load_catalogue()
        query = build_queries(source, catalogue)[0]
        since = day(source.params.get("since")) if source.params.get("since") else None
        ctx = PassContext(source, query, since, 5, client, index, fetcher.cfg, catalogue.title_hints(source.kind))
        page = kind.fetch_page(ctx, kind.first_position(ctx))
    except (PageFailed, ScannerError) as exc:
        report["note"] = str(exc)
    else:
        codes = sorted({r.municipality for r in page.records if r.municipality})
        report.update(ok=True, status=200, items=len(page.records),
                      note=f"{page.total if page.total is not None else '?'} matching; first page municipalities: "
                           f"{', '.join(codes) or 'none'}" + (f"; {page.warnings[0]}" if page.warnings else ""))
    if client.logs:
        report["status"] = client.logs[-1]["status"]
    return report
