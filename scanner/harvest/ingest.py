"""Local files into the store: licensed reports (PDF), saved pages (HTML), notes (TXT/MD) and JSONL."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from scanner.config import complete
from scanner.harvest.dates import EXPECTED, Published, check_document_date, parse_published
from scanner.harvest.extract import clip_html, extract_article
from scanner.harvest.textguard import binary_reason, cut_long, refusal
from scanner.harvest.lang import language_of
from scanner.harvest.pdf import PdfError, parse_pdf
from scanner.harvest.save import save_documents
from scanner.harvest.sources import SOURCE_TYPES
from scanner.store import Store
from scanner.util import chunked, iso, sha256, utcnow

log = logging.getLogger(__name__)
SUFFIXES = {".pdf", ".html", ".htm", ".txt", ".md", ".jsonl"}
SOURCE = "ingest"


@dataclass
class IngestSummary:
    files: int = 0
    new_documents: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"files": self.files, "new_documents": self.new_documents, "duplicates": self.duplicates,
                "errors": len(self.errors)}


def iter_files(paths: Iterable[str | Path], errors: list[str]) -> Iterator[Path]:
    """Files with a supported suffix; folders are walked recursively in sorted order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                yield path
            else:
                errors.append(f"{path}: unsupported file type {path.suffix or '(none)'}")
        else:
            errors.append(f"{path}: no such file or folder")


def _mtime(path: Path) -> str:
    return iso(datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc))


def _base(path: Path, data: bytes) -> dict[str, Any]:
    return {"uid": f"{SOURCE}:{sha256(data)[:24]}", "source_id": SOURCE, "source_type": "local",
            "kind": "file", "url": path.resolve().as_uri(), "fetched_at": iso(utcnow()),
            "published": _mtime(path), "published_estimated": 1, "extraction": "file",
            "meta": {"path": str(path), "bytes": len(data)}}


def _read_capped(path: Path, limit: int) -> bytes:
    """The file's bytes; ValueError (before reading) when it is over max_file_bytes."""
    size = path.stat().st_size
    if size > limit:
        raise ValueError(f"file too large ({size} bytes; max_file_bytes is {limit})")
    return path.read_bytes()


def _door(doc: dict[str, Any], cfg: dict[str, Any], summary: IngestSummary, name: str) -> None:
    """Binary text is an error (ValueError); over-long text is cut with a warning."""
    reason = refusal(doc, cfg)
    if reason:
        raise ValueError(reason)
    note = cut_long(doc, cfg)
    if note:
        summary.warnings.append(f"{name}: {note}")


def _file_document(path: Path, cfg: dict[str, Any]) -> dict[str, Any]:
    """One document from a PDF/HTML/TXT/MD file; raises ValueError with the reason on failure."""
    data = _read_capped(path, int(cfg["max_file_bytes"]))
    doc = _base(path, data)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        try:
            pdf = parse_pdf(data)
        except PdfError as exc:
            raise ValueError(str(exc)) from None
        doc.update(title=pdf.title, text=pdf.text, author=pdf.author, extraction="pdf")
        if pdf.published:
            doc.update(published=pdf.published, published_estimated=0)
        doc["meta"]["pages"] = len(pdf.pages)
    elif suffix in (".html", ".htm"):
        extracted = extract_article(clip_html(data, int(cfg["max_extract_bytes"])), doc["url"])
        if extracted is None:
            raise ValueError("no main text found")
        doc.update(title=extracted.title or path.stem, text=extracted.text)
        if extracted.published:
            doc.update(published=extracted.published, published_estimated=0, published_precision="day")
    else:
        text = data.decode("utf-8", "replace").strip()
        if not text:
            raise ValueError("empty file")
        reason = binary_reason(text, cfg)
        if reason:
            raise ValueError(reason)
        first = text.splitlines()[0].lstrip("# ").strip()
        doc.update(title=first[:300] or path.stem, text=text)
    doc["language"] = language_of(f"{doc['title']}\n{doc['text']}")
    return doc


def _published(value: Any) -> Published:
    """A JSONL 'published' (YYYY, YYYY-MM, YYYY-MM-DD, ISO timestamp, RFC 2822); ValueError naming the value."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'published' is required ({EXPECTED}), got {json.dumps(value)}")
    return parse_published(value)


def jsonl_document(record: Any, path: Path) -> dict[str, Any]:
    """One JSONL line (contract schema) as a document; raises ValueError naming the problem."""
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    for key in ("title", "text"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise ValueError(f"'{key}' is required (a non-empty string)")
    source = str(record.get("source") or SOURCE)
    key = record.get("url") or f"{record['title']}\n{record['text']}"
    uid = str(record["id"]) if record.get("id") not in (None, "") else f"{source}:{sha256(str(key))[:24]}"
    source_type = record.get("source_type") if record.get("source_type") in SOURCE_TYPES else "local"
    lang = record.get("language")
    published = _published(record.get("published"))
    return {"uid": uid, "source_id": source, "source_type": source_type, "kind": "file",
            "url": record.get("url"), "title": record["title"].strip(), "text": record["text"],
            "published": published.value, "published_precision": published.precision,
            "_published_given": record["published"], "fetched_at": iso(utcnow()),
            "language": lang if lang in ("nl", "en", "other") else language_of(f"{record['title']}\n{record['text']}"),
            "extraction": "given", "meta": {"path": str(path)}}


def _lines(handle: Any, limit: int) -> Iterator[tuple[int, str | None]]:
    """(number, line) with lines over limit characters skipped unread beyond the limit (line None)."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith("\n"):
            while (rest := handle.readline(limit + 1)) and not rest.endswith("\n"):
                pass
            yield number, None
        else:
            yield number, line


def _jsonl_documents(path: Path, summary: IngestSummary, cfg: dict[str, Any]) -> Iterator[dict[str, Any]]:
    limit = int(cfg["max_line_chars"])
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in _lines(handle, limit):
            where = f"{path}:{number}"
            if line is None:
                summary.errors.append(f"{where}: line too long (over {limit} characters; max_line_chars)")
                continue
            if not line.strip():
                continue
            try:
                doc = jsonl_document(json.loads(line), path)
                _door(doc, cfg, summary, where)
            except (ValueError, TypeError, RecursionError) as exc:
                summary.errors.append(f"{where}: {exc}")
                continue
            warning = check_document_date(doc, cfg, name=where)
            if warning:
                summary.warnings.append(warning)
            yield doc


def ingest_paths(store: Store, paths: Iterable[str | Path], config: dict[str, Any] | None = None) -> IngestSummary:
    """Ingest files and folders; each file commits on its own, bad inputs are listed in .errors."""
    summary = IngestSummary()
    cfg = complete("harvest", config["harvest"] if config and "harvest" in config else config)
    for path in iter_files(paths, summary.errors):
        summary.files += 1
        try:
            if path.suffix.lower() == ".jsonl":
                for batch in chunked(_jsonl_documents(path, summary, cfg), int(cfg["ingest_batch"])):
                    _save(store, batch, cfg, summary)
                continue
            doc = _file_document(path, cfg)
            _door(doc, cfg, summary, str(path))
        except (ValueError, OSError) as exc:
            summary.errors.append(f"{path}: {exc}")
            continue
        _save(store, [doc], cfg, summary)
    return summary


def _save(store: Store, docs: list[dict[str, Any]], cfg: dict[str, Any], summary: IngestSummary) -> None:
    saved = save_documents(store, docs, cfg)
    summary.new_documents += saved.new
    summary.warnings.extend(saved.warnings)
    summary.duplicates += saved.duplicates
