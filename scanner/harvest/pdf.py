"""PDF reports: text per page with pypdf; encrypted, corrupt and image-only PDFs are clear errors."""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import timezone

from scanner.util import iso

log = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)


class PdfError(Exception):
    """A PDF we cannot read: the message is the status shown to the analyst."""


@dataclass
class PdfDoc:
    title: str
    text: str
    pages: list[str] = field(default_factory=list)
    published: str | None = None
    author: str | None = None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if len(line) > 3:
            return line[:300]
    return ""


def _metadata(reader: object) -> tuple[str, str | None, str | None]:
    try:
        meta = reader.metadata  # type: ignore[attr-defined]
    except Exception:  # damaged info dictionary: fall back to the first page
        return "", None, None
    if not meta:
        return "", None, None
    title = str(meta.title or "").strip()
    author = str(meta.author or "").strip() or None
    published = None
    try:
        created = meta.creation_date
        if created is not None:
            created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
            published = iso(created)
    except Exception:  # unparseable /CreationDate
        published = None
    return title, published, author


def parse_pdf(data: bytes) -> PdfDoc:
    """Text per page plus title/date/author from metadata (title falls back to the first page)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise PdfError("not a PDF (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise PdfError("encrypted PDF (password required)")
            except PdfError:
                raise
            except Exception:
                raise PdfError("encrypted PDF (cannot decrypt)") from None
        pages = [re.sub(r"[ \t]+", " ", page.extract_text() or "").strip() for page in reader.pages]
        title, published, author = _metadata(reader)
    except PdfError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise PdfError(f"corrupt PDF: {type(exc).__name__}: {exc}"[:200]) from None
    except Exception as exc:  # pypdf raises many internal types on damaged files
        raise PdfError(f"corrupt PDF: {type(exc).__name__}: {exc}"[:200]) from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise PdfError(f"no extractable text in {len(pages)} page(s) (image-only PDF?)")
    return PdfDoc(title=title or _first_line(text), text=text, pages=pages, published=published, author=author)
