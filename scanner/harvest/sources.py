"""The sources file (contract TOML schema): load with validation, add and disable keeping comments."""
from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scanner.errors import ScannerError

API_KINDS = ("ori", "sru", "tenders")   # official municipal sources: scanner/harvest/official.py
KINDS = ("feed", "page", "pdf") + API_KINDS
SOURCE_TYPES = ("research", "consultancy", "trade-press", "government", "news", "local")
LANGUAGES = ("nl", "en", "auto")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KNOWN_KEYS = {"id", "name", "url", "kind", "source_type", "language", "full_text", "allow_private",
              "enabled", "link_pattern", "publisher"}
API_KEYS = {"query", "technologies", "since", "page_size", "max_pages", "municipality", "max_terms", "fields",
            "date_field", "document_types", "connection", "date_index", "term_index", "creator", "record_schema",
            "api", "cpv", "country", "municipal_only"}


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    url: str
    kind: str = "feed"
    source_type: str = "news"
    language: str = "auto"
    full_text: bool = False
    allow_private: bool = False
    enabled: bool = True
    link_pattern: str | None = None
    publisher: str | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)  # kind-specific keys

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if v is not None and k != "params"}
        return {**out, **self.params}


def _check(raw: dict[str, Any], where: str) -> Source:
    unknown = set(raw) - KNOWN_KEYS - (API_KEYS if raw.get("kind") in API_KINDS else set())
    if unknown:
        raise ScannerError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("id", "name", "url"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ScannerError(f"{where}: '{key}' is required (a string)")
    if not SLUG.match(raw["id"]):
        raise ScannerError(f"{where}: id {raw['id']!r} must be a lower-case slug")
    if not re.match(r"(?i)^https?://[^/\s]+", raw["url"]):
        raise ScannerError(f"{where}: url must be http(s)://..., got {raw['url'][:80]!r}")
    choices = {"kind": KINDS, "source_type": SOURCE_TYPES, "language": LANGUAGES}
    for key, allowed in choices.items():
        if key in raw and raw[key] not in allowed:
            raise ScannerError(f"{where}: {key} must be one of {'|'.join(allowed)}, got {raw[key]!r}")
    for key in ("full_text", "allow_private", "enabled"):
        if key in raw and not isinstance(raw[key], bool):
            raise ScannerError(f"{where}: {key} must be true or false")
    if raw.get("kind") == "page":
        try:
            re.compile(raw.get("link_pattern") or "")
        except re.error as exc:
            raise ScannerError(f"{where}: invalid link_pattern: {exc}") from None
        if not raw.get("link_pattern"):
            raise ScannerError(f"{where}: kind = \"page\" needs a link_pattern regex")
    params = {k: v for k, v in raw.items() if k in API_KEYS}
    if raw.get("kind") in API_KINDS:
        from scanner.harvest.official import check_params
        check_params(raw, where)
    fields: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items() if k not in API_KEYS}
    return Source(**fields, params=params)


def parse_sources(data: dict[str, Any], origin: str = "sources") -> list[Source]:
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ScannerError(f"{origin}: expected [[source]] tables")
    sources: list[Source] = []
    seen: set[str] = set()
    for number, raw in enumerate(entries, start=1):
        label = f"{origin}: source #{number}" + (f" ({raw.get('id')})" if isinstance(raw, dict) and raw.get("id") else "")
        if not isinstance(raw, dict):
            raise ScannerError(f"{label}: expected a table")
        source = _check(raw, label)
        if source.id in seen:
            raise ScannerError(f"{label}: duplicate id {source.id!r}")
        seen.add(source.id)
        sources.append(source)
    return sources


def load_sources(path: str | Path) -> list[Source]:
    """All sources in the file (enabled or not); problems raise ScannerError one-liners."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScannerError(f"sources file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScannerError(f"invalid TOML in {path}: {exc}") from None
    return parse_sources(data, str(path))


def add_source(path: str | Path, fields: dict[str, Any]) -> Source:
    """Append a [[source]] table (validated, comments in the file kept)."""
    import tomlkit

    path = Path(path)
    existing = load_sources(path) if path.exists() else []
    source = _check(fields, f"new source {fields.get('id')!r}")
    if any(s.id == source.id for s in existing):
        raise ScannerError(f"source {source.id!r} already exists in {path}")
    doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    if "source" not in doc:
        doc["source"] = tomlkit.aot()
    table = tomlkit.table()
    for key, value in source.as_dict().items():
        table[key] = value
    doc["source"].append(table)
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return source


def set_enabled(path: str | Path, source_id: str, enabled: bool) -> None:
    """Flip `enabled` for one source in place, keeping the file's comments and layout."""
    import tomlkit

    path = Path(path)
    load_sources(path)
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    for table in doc.get("source", []):
        if table.get("id") == source_id:
            table["enabled"] = enabled
            path.write_text(tomlkit.dumps(doc), encoding="utf-8")
            return
    raise ScannerError(f"no source with id {source_id!r} in {path}")
