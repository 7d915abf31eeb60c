"""kind = "tenders", api = "tenderned": Dutch procurement notices from TenderNed's publication service (TNS).

Request shape (TenderNed's own example code, github.com/tenderned-analyse/code-example-tn-xml-api, which
points to the Swagger page tenderned.nl/info/swagger): GET
`https://www.tenderned.nl/papi/tenderned-rs-tns/v2/publicaties?page=0&size=100` with the filters
`publicatieDatumVanaf=YYYY-MM-DD`, `search=<keyword>` and `cpvCodes=72000000-5` (repeatable, CPV code
with its check digit). The response is a page object: `{"content": [{"publicatieId", "publicatieDatum",
"typePublicatie": {"code", "omschrijving"}, "aanbestedingNaam", "opdrachtgeverNaam",
"opdrachtBeschrijving", "procedure": {...}, "typeOpdracht": {...}, "europees", "link": {"href"}}],
"totalElements", "totalPages", "number", "size", "first", "last"}` with 0-based page numbers.

`search` takes one keyword phrase, so a technology query walks its lexicon terms one by one (the position
is `[term index, page]`); a standing `query` is one search. The service documents no sort order, so the
date cursor is the latest `publicatieDatum` seen; a notice met twice (two terms, or a page shifted by new
publications) is stored once. Only notices whose buyer resolves to a municipality are kept
(`municipal_only = false` keeps all).
"""
from __future__ import annotations

from typing import Any

from scanner.harvest.official import Page, PageFailed, PassContext, Record, add_records, day, parse_json

PAGE_LIMIT = 100
DETAIL_URL = "https://www.tenderned.nl/aankondigingen/overzicht/{id}"
# The check digits of the default IT CPV codes (the service asks for "NNNNNNNN-D").
CHECK_DIGITS = {"72000000": "5", "48000000": "8", "30200000": "1", "64200000": "8"}


def _searches(ctx: PassContext) -> list[str | None]:
    """The keyword searches of the query: the standing query, else each lexicon term, else none."""
    if ctx.query.terms:
        return [" ".join(t.replace('"', " ").split()) for t in ctx.query.terms]
    return [ctx.query.standing]


def _cpv(code: Any) -> str:
    code = str(code)
    return code if "-" in code or code not in CHECK_DIGITS else f"{code}-{CHECK_DIGITS[code]}"


def request_params(ctx: PassContext, position: list[int]) -> list[tuple[str, Any]]:
    """Query parameters as pairs (cpvCodes repeats)."""
    term, page = position
    pairs: list[tuple[str, Any]] = [("page", int(page)), ("size", min(ctx.page_size, PAGE_LIMIT))]
    if ctx.since:
        pairs.append(("publicatieDatumVanaf", ctx.since))
    search = _searches(ctx)[term]
    if search:
        pairs.append(("search", search))
    pairs.extend(("cpvCodes", _cpv(c)) for c in ctx.source.params.get("cpv") or ())
    return pairs


def first_position(ctx: PassContext) -> list[int]:
    return [0, 0]


def fetch_page(ctx: PassContext, position: list[int]) -> Page:
    response = ctx.client.call("GET", ctx.source.url, params=request_params(ctx, list(position)))
    return parse_page(parse_json(response.body, "TenderNed"), ctx, list(position))


def _has_more(data: dict[str, Any], got: int, page: int, size: int) -> bool:
    if isinstance(data.get("last"), bool):
        return not data["last"]
    pages = data.get("totalPages")
    if isinstance(pages, int):
        return page + 1 < pages
    return got >= size


def parse_page(data: Any, ctx: PassContext, position: list[int]) -> Page:
    content = data.get("content") if isinstance(data, dict) else None
    if not isinstance(content, list):
        message = (data.get("message") or data.get("error")) if isinstance(data, dict) else None
        raise PageFailed(f"malformed TenderNed response: no content list{f' ({str(message)[:120]})' if message else ''}")
    term, number = position
    page = Page()
    total = data.get("totalElements")
    page.total = total if isinstance(total, int) else None
    add_records(page, content, ctx, _record, "TenderNed publication")
    if _has_more(data, len(content), number, min(ctx.page_size, PAGE_LIMIT)):
        page.position = [term, number + 1]
    elif term + 1 < len(_searches(ctx)):
        page.position = [term + 1, 0]
    return page


def _label(value: Any) -> str:
    """`{"code": "AAO", "omschrijving": "Aankondiging van een opdracht"}` -> the description (else the code)."""
    if isinstance(value, dict):
        return str(value.get("omschrijving") or value.get("code") or "")
    return str(value or "")


def _record(item: Any, ctx: PassContext) -> Record | None:
    if not isinstance(item, dict) or not item.get("publicatieId"):
        return None
    number = str(item["publicatieId"])
    title = str(item.get("aanbestedingNaam") or "").strip()
    buyer = str(item.get("opdrachtgeverNaam") or item.get("aanbestedendeDienstNaam") or "").strip()
    if not title:
        return None
    code = ctx.source.params.get("municipality") or ctx.index.resolve(buyer)
    link: dict[str, Any] = item["link"] if isinstance(item.get("link"), dict) else {}
    url = link.get("href") or DETAIL_URL.format(id=number)
    kind = item.get("typePublicatie")
    description = str(item.get("opdrachtBeschrijving") or "").strip()
    facts = "; ".join(p for p in (_label(item.get("procedure")), _label(item.get("typeOpdracht"))) if p)
    text = "\n".join(p for p in (description, f"Aanbestedende dienst: {buyer}" if buyer else "",
                                 f"Procedure: {facts}" if facts else "") if p)
    return Record(native_id=number, title=title, text=text or title, url=str(url),
                  published=day(item.get("publicatieDatum")), municipality=code,
                  document_type=(kind.get("code") if isinstance(kind, dict) else None) or _label(kind) or "publicatie",
                  stage_hint=ctx.titles.match(title)[1],
                  extra={"buyer": buyer or None, "notice_type": _label(kind) or None,
                         "european": item.get("europees") if isinstance(item.get("europees"), bool) else None,
                         "technology": ctx.query.technology})
