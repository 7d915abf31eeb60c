"""Small helpers shared by every area."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from contextlib import contextmanager
from datetime import datetime, timezone
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(dt: datetime) -> str:
    """ISO-8601 UTC string; naive datetimes are taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def sha256(text: str | bytes) -> str:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def slugify(text: str) -> str:
    """Lower-case ASCII slug: 'Digitale Tweeling!' -> 'digitale-tweeling'."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@contextmanager
def frozen(warm: Callable[[], Any] | None = None) -> Iterator[None]:
    """Call `warm` (a tagger's warm: pipelines, models), then keep every object alive now in the
    collector's permanent generation until the block ends. For the loops that tag many documents
    (`scanner tag`, `classify`, and the tag bench measuring them), not `Tagger.tag_many` itself: a warm
    tagger is ~270,000 long-lived objects that every full collection walked (~6% of tagging CPU; ~1%
    frozen), and forked workers touching them copied their pages. Nested blocks unfreeze once, at the
    outermost end."""
    import gc

    if warm is not None:
        warm()
    outermost = not gc.get_freeze_count()
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


def inserted_id(cursor: Any) -> int:
    """The rowid an INSERT just created (sqlite3 types it Optional; after an INSERT it is always set)."""
    rowid = cursor.lastrowid
    if rowid is None:
        raise RuntimeError("the statement inserted no row")
    return int(rowid)
