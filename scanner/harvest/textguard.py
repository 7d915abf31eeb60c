"""Text at the door: binary or NUL-heavy "text" is refused, over-long text is cut, both with a one-line reason."""
from __future__ import annotations

import re
from typing import Any

from scanner.config import setting

_BAD = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_SPACE = re.compile(r"\s")
_WINDOW = 65536


def _sample(text: str) -> str:
    """At most three windows (head, middle, tail): enough to tell text from binary in bounded time."""
    if len(text) <= 3 * _WINDOW:
        return text
    middle = len(text) // 2
    return text[:_WINDOW] + text[middle:middle + _WINDOW] + text[-_WINDOW:]


def binary_reason(text: str, cfg: dict[str, Any]) -> str | None:
    """Why text looks like binary data (NUL bytes, control or undecodable characters), or None."""
    sample = _sample(text)
    if not sample:
        return None
    nul = sample.count("\x00") / len(sample)
    if nul > float(setting(cfg, "harvest", "max_nul_share")):
        return f"binary content refused ({nul:.0%} NUL characters)"
    bad = len(_BAD.findall(sample)) / len(sample)
    if bad > float(setting(cfg, "harvest", "max_control_share")):
        return f"binary content refused ({bad:.0%} control or undecodable characters)"
    return None


def cut_text(text: str, limit: int) -> str:
    """text up to limit characters, cut at the last whitespace of the final 1,000 when there is one."""
    if len(text) <= limit:
        return text
    window = text[max(0, limit - 1000):limit + 1]
    spaces = [m.start() for m in _SPACE.finditer(window)]
    end = max(0, limit - 1000) + spaces[-1] if spaces else limit
    return text[:end].rstrip()


def refusal(doc: dict[str, Any], cfg: dict[str, Any]) -> str | None:
    """Why the document's text, summary or title is binary data, or None."""
    for key in ("text", "summary", "title"):
        value = doc.get(key)
        if isinstance(value, str) and value:
            reason = binary_reason(value, cfg)
            if reason:
                return f"{key}: {reason}"
    return None


def cut_long(doc: dict[str, Any], cfg: dict[str, Any]) -> str | None:
    """Cut text and summary over max_text_chars in place (noted on the document); the note, or None."""
    limit = int(setting(cfg, "harvest", "max_text_chars"))
    notes = []
    for key in ("text", "summary"):
        value = doc.get(key)
        if isinstance(value, str) and len(value) > limit:
            doc[key] = cut_text(value, limit)
            doc.setdefault("meta", {})[f"{key}_chars"] = len(value)
            notes.append(f"{key} cut at {len(doc[key])} of {len(value)} characters (max_text_chars)")
    if isinstance(doc.get("title"), str) and len(doc["title"]) > 1000:
        doc["title"] = cut_text(doc["title"], 1000)
    if not notes:
        return None
    doc["extraction_note"] = "; ".join(n for n in (doc.get("extraction_note"), *notes) if n)
    return "; ".join(notes)


def check_document_text(doc: dict[str, Any], cfg: dict[str, Any], name: str | None = None) -> tuple[bool, str | None]:
    """(keep, one-line warning): binary text refuses the document; over-long text is cut."""
    name = name or doc.get("url") or doc.get("uid") or "document"
    reason = refusal(doc, cfg)
    if reason:
        return False, f"{name}: {reason}"
    note = cut_long(doc, cfg)
    return True, f"{name}: {note}" if note else None
