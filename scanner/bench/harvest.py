"""`scanner bench harvest`: 100 feeds x 20 items on loopback with per-request latency, full text on;
then, in a process of its own, a feed whose article page is about 24 MB (peak RSS reported)."""
from __future__ import annotations

import logging
import random
import resource
import tempfile
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from scanner.config import load_config
from scanner.harvest.run import harvest
from scanner.harvest.sources import Source
from scanner.store import Store

log = logging.getLogger(__name__)
ORIGIN = "https://demo.horizonscan.invalid"
WORDS = ("gemeente proef chatbot wmo digitale tweeling sensoren parkeren afval data platform burger inwoners "
         "dienstverlening inkoop pilot raad wethouder algoritme register cloud camera drone toezicht wijk "
         "omgevingswet vergunning subsidie privacy beveiliging netwerk software leverancier aanbesteding "
         "energie warmtenet mobiliteit verkeer zorg jeugd onderwijs archief zaaksysteem api koppeling").split()


def _text(rng: random.Random, count: int) -> str:
    sentences = []
    while count > 0:
        n = rng.randint(8, 16)
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
        count -= n
    return " ".join(sentences)


def _article(title: str, body: str, day: datetime) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split(". ") if p)
    return (f'<!doctype html><html lang="nl"><head><title>{title}</title>'
            f'<meta property="article:published_time" content="{day.date().isoformat()}"></head><body>'
            f'<nav><a href="/">Home</a><a href="/nieuws">Nieuws</a><a href="/contact">Contact</a></nav>'
            f'<div class="cookie">Wij gebruiken cookies.</div><article><h1>{title}</h1>{paragraphs}</article>'
            f'<aside><a href="/a0.html">Gerelateerd</a></aside><footer>Colofon en privacy</footer></body></html>')


def build_site(root: Path, feeds: int, items: int, seed: int = 7) -> list[Path]:
    """One folder per feed (feed.xml, article pages, robots.txt); links use the demo placeholder origin."""
    rng = random.Random(seed)
    start = datetime(2026, 10, 1, tzinfo=timezone.utc)
    folders = []
    for f in range(feeds):
        folder = root / f"feed{f:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        entries = []
        for i in range(items):
            day = start - timedelta(hours=f * items + i)
            title = f"Bericht {f}-{i}: " + " ".join(rng.choice(WORDS) for _ in range(5))
            (folder / f"a{i}.html").write_text(_article(title, _text(rng, 220), day), encoding="utf-8")
            entries.append(f"<item><title>{title}</title><link>{ORIGIN}/a{i}.html</link>"
                           f"<guid>{ORIGIN}/a{i}.html</guid><pubDate>{format_datetime(day)}</pubDate>"
                           f"<description>{_text(rng, 40)}</description></item>")
        (folder / "feed.xml").write_text(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {f}</title>'
            f"<link>{ORIGIN}/</link><description>bench</description>{''.join(entries)}</channel></rss>",
            encoding="utf-8")
        (folder / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
        folders.append(folder)
    return folders


def _no_nagle(server: Any) -> None:
    """Headers and body go out in two writes; with Nagle on, each response waits ~40 ms for a delayed ACK."""
    handler = server.RequestHandlerClass
    if not getattr(handler, "disable_nagle_algorithm", False):
        server.RequestHandlerClass = type(handler.__name__, (handler,), {"disable_nagle_algorithm": True})


def _sources(bases: list[str]) -> list[Source]:
    return [Source(id=f"bench{n:03d}", name=f"Bench {n}", url=f"{base}/feed.xml", source_type="trade-press",
                   language="nl", full_text=True, allow_private=True) for n, base in enumerate(bases)]


def _timed(store: Store, sources: list[Source], cfg: dict[str, Any]) -> tuple[float, int, int]:
    """(seconds, requests made, new documents) of one harvest run."""
    before = store.count("fetch_log")
    started = time.perf_counter()
    summary = harvest(store, sources, cfg)
    seconds = time.perf_counter() - started
    if summary.sources_failed:
        raise RuntimeError(f"bench sources failed: {[r.line() for r in summary.results if not r.ok][:3]}")
    return seconds, store.count("fetch_log") - before, summary.new_documents


def _serve_all(folders: list[Path], latency: float, conn: Any) -> None:
    """Child process: one demo server per folder; sends the base URLs, then serves until told to stop."""
    from scanner.demo.server import serve_directory, stop

    servers = [serve_directory(folder, latency=latency) for folder in folders]
    for server, _base in servers:
        _no_nagle(server)
    conn.send([base for _server, base in servers])
    conn.recv()
    for server, _base in servers:
        stop(server)


def build_big_page(root: Path, megabytes: float, seed: int = 11) -> Path:
    """A feed with one article whose page is about `megabytes` MB of paragraphs (under the 25 MB cap)."""
    rng = random.Random(seed)
    folder = root / "big"
    folder.mkdir(parents=True, exist_ok=True)
    day = datetime(2026, 10, 1, tzinfo=timezone.utc)
    paragraph = " ".join(_text(rng, 400) for _ in range(5))
    count = max(1, int(megabytes * 1_000_000 / (len(paragraph) + 8)))
    with (folder / "big.html").open("w", encoding="utf-8") as handle:
        handle.write('<!doctype html><html lang="nl"><head><title>Groot rapport</title></head><body><article>'
                     "<h1>Groot rapport</h1>")
        for n in range(count):  # every paragraph a little different, as a real long report would be
            handle.write(f"<p>{n} {paragraph[n % 97:]}</p>")
        handle.write("</article></body></html>")
    (folder / "feed.xml").write_text(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big</title>'
        f"<link>{ORIGIN}/</link><description>bench</description><item><title>Groot rapport</title>"
        f"<link>{ORIGIN}/big.html</link><guid>{ORIGIN}/big.html</guid><pubDate>{format_datetime(day)}</pubDate>"
        f"<description>{_text(rng, 40)}</description></item></channel></rss>", encoding="utf-8")
    return folder


def peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM (reset by exec) where Linux has it; ru_maxrss would also count the
    parent's memory copied by the fork that preceded the exec of a spawned process."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _harvest_child(base: str, db: str, cfg: dict[str, Any], conn: Any) -> None:
    """Child process: harvest the big-page feed with the run's [harvest] cfg, send (summary line, peak RSS MB) back."""
    store = Store(db)
    summary = harvest(store, _sources([base]), cfg)
    conn.send(([r.line() for r in summary.results], peak_rss_mb()))


def big_page_bench(megabytes: float = 24.0, cfg: dict[str, Any] | None = None) -> dict[str, Any]:
    """Peak RSS of a harvest (in its own process) whose only article page is `megabytes` MB.

    cfg: the run's [harvest] section (loaded here when not given)."""
    import multiprocessing

    from scanner.demo.server import serve_directory, stop

    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="bench-big-") as tmp:
        folder = build_big_page(Path(tmp), megabytes)
        size = (folder / "big.html").stat().st_size
        server, base = serve_directory(folder)
        parent, child = ctx.Pipe()
        started = time.perf_counter()
        harvest_cfg = cfg if cfg is not None else load_config().harvest
        process = ctx.Process(target=_harvest_child, args=(base, str(Path(tmp) / "big.db"), harvest_cfg, child),
                              daemon=True)
        process.start()
        try:
            lines, peak = parent.recv()
        finally:
            process.join(timeout=60)
            stop(server)
    return {"big_page_mb": round(size / 1_000_000, 1), "big_page_seconds": round(time.perf_counter() - started, 2),
            "big_page_peak_rss_mb": round(peak, 1), "big_page_result": lines[0] if lines else None}


def run_bench(feeds: int = 100, items: int = 20, latency: float = 0.05, sample: int = 4,
              big_page_mb: float = 24.0) -> dict[str, Any]:
    """Parallel run, unchanged rerun, and a one-at-a-time run over `sample` feeds for the sequential estimate.

    The servers run in a child process so their CPU does not compete with the harvester for the GIL.
    """
    import multiprocessing

    config = load_config()  # once per bench run
    cfg = dict(config.harvest)
    cfg["source_workers"] = max(int(cfg["source_workers"]), feeds)  # hosts wait on politeness, not CPU
    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="bench-harvest-") as tmp:
        folders = build_site(Path(tmp) / "site", feeds, items)
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_serve_all, args=(folders, latency, child), daemon=True)
        process.start()
        try:
            sources = _sources(parent.recv())  # one host (port) per feed
            store = Store(Path(tmp) / "bench.db")
            seconds, requests, documents = _timed(store, sources, cfg)
            noop_s, noop_requests, noop_new = _timed(store, sources, cfg)
            seq_cfg = dict(cfg, max_concurrency=1, per_host=1, source_workers=1, host_delay_s=0.0, extract_processes=0)
            seq_s, seq_requests, _ = _timed(Store(Path(tmp) / "seq.db"), sources[:sample], seq_cfg)
        finally:
            parent.send("stop")
            process.join(timeout=10)
    processing = max(0.0, seq_s - seq_requests * latency) / max(seq_requests, 1)
    sequential = requests * (latency + processing)
    big = big_page_bench(big_page_mb, config.harvest) if big_page_mb > 0 else {}
    return {**big, "seconds": round(seconds, 2), "sequential_estimate_s": round(sequential, 2),
            "speedup": round(sequential / seconds, 2), "noop_rerun_s": round(noop_s, 2),
            "requests": requests, "documents": documents, "noop_new_documents": noop_new,
            "noop_requests": noop_requests, "per_request_processing_ms": round(processing * 1000, 2),
            "latency_s": latency, "feeds": feeds, "items": items,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
