"""kind = "tenders": procurement notices of Dutch municipalities from TED's v3 search API (this module) or
TenderNed's publication service (`api = "tenderned"`, scanner/harvest/tenderned.py).

Request shape (docs.ted.europa.eu "Downloading notices using the Search API"): POST
`https://api.ted.europa.eu/v3/notices/search` with `{"query": <expert query>, "fields": [...], "page": n,
"limit": <=250, "scope": "ALL", "paginationMode": "PAGE_NUMBER"}`; the expert query here is
`buyer-country=NLD AND classification-cpv IN (72000000 ...) AND publication-date>=20240101` plus
`FT~"term"` alternatives per technology. Response: `{"notices": [{"publication-number", "publication-date",
"notice-title": {lang: text}, "buyer-name": {lang: [names]}, "classification-cpv": [...], "notice-type",
"links": {"html": {LANG: url}}}], "totalNoticeCount": n}`. Page-number mode reaches 15,000 notices per
query; the date cursor moves past them on the next run.

Only notices whose buyer resolves to a municipality are stored (`municipal_only = false` keeps all).
"""
from __future__ import annotations

import re
from typing import Any

from scanner.harvest import tenderned
from scanner.harvest.official import Page, PageFailed, PassContext, Record, add_records, day, parse_json

DEFAULT_CPV = ("72000000", "48000000", "30200000", "64200000")  # IT services, software, computers, telecom
FIELDS = ["publication-number", "publication-date", "notice-title", "buyer-name", "buyer-country",
          "classification-cpv", "notice-type", "description-proc", "links"]
PAGE_LIMIT = 250
PAGINATION_CAP = 15000
_LANGS = ("nld", "NLD", "eng", "ENG")


def expert_query(ctx: PassContext) -> str:
    params = ctx.source.params
    cpv = (str(c).split("-")[0] for c in (params.get("cpv") or DEFAULT_CPV))  # TED takes codes without check digit
    parts = [f"buyer-country={params.get('country') or 'NLD'}", "classification-cpv IN (" + " ".join(cpv) + ")"]
    if ctx.since:
        parts.append("publication-date>=" + ctx.since.replace("-", ""))
    if ctx.query.standing:
        parts.append(f"({ctx.query.standing})")
    if ctx.query.terms:
        terms = [" ".join(re.sub(r'["\\()]', " ", t).split()) for t in ctx.query.terms]
        parts.append("(" + " OR ".join(f'FT~"{t}"' for t in terms if t) + ")")
    return " AND ".join(parts) + " SORT BY publication-date ASC"


def request_body(ctx: PassContext, page: int) -> dict[str, Any]:
    return {"query": expert_query(ctx), "fields": list(ctx.source.params.get("fields") or FIELDS),
            "page": int(page), "limit": min(ctx.page_size, PAGE_LIMIT), "scope": "ALL",
            "paginationMode": "PAGE_NUMBER", "checkQuerySyntax": False}


def api_of(params: dict[str, Any], url: str) -> str:
    """`api` of the source, else "tenderned" for a TenderNed address (host or `tenderned-rs-tns` path), else "ted"."""
    return str(params.get("api") or ("tenderned" if "tenderned" in url.lower() else "ted"))


def first_position(ctx: PassContext) -> Any:
    if api_of(ctx.source.params, ctx.source.url) == "tenderned":
        return tenderned.first_position(ctx)
    return 1


def fetch_page(ctx: PassContext, position: Any) -> Page:
    if api_of(ctx.source.params, ctx.source.url) == "tenderned":
        return tenderned.fetch_page(ctx, position)
    response = ctx.client.call("POST", ctx.source.url, body=request_body(ctx, position))
    return parse_page(parse_json(response.body, "TED"), ctx, int(position))


def parse_page(data: Any, ctx: PassContext, position: int) -> Page:
    notices = data.get("notices") if isinstance(data, dict) else None
    if not isinstance(notices, list):
        message = data.get("message") if isinstance(data, dict) else None
        raise PageFailed(f"malformed TED response: no notices list{f' ({str(message)[:120]})' if message else ''}")
    page = Page()
    total = data.get("totalNoticeCount")
    page.total = total if isinstance(total, int) else None
    add_records(page, notices, ctx, _record, "TED notice")
    limit = min(ctx.page_size, PAGE_LIMIT)
    seen = position * limit
    more = len(notices) >= limit and (page.total is None or seen < page.total) and seen < PAGINATION_CAP
    page.position = position + 1 if more else None  # a page of non-municipal buyers only still pages on
    return page


def _pick(value: Any) -> str:
    """A multilingual field ({lang: text | [texts]}) in Dutch, else English, else any language."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(_pick(v) for v in value if v)
    if isinstance(value, dict):
        for lang in _LANGS:
            if value.get(lang):
                return _pick(value[lang])
        return next((_pick(v) for v in value.values() if v), "")
    return ""


def _buyers(value: Any) -> list[str]:
    if isinstance(value, dict):
        for lang in _LANGS:
            if value.get(lang):
                found = value[lang]
                return [str(v) for v in (found if isinstance(found, list) else [found])]
        return [str(v) for vals in value.values() for v in (vals if isinstance(vals, list) else [vals])]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def _record(notice: Any, ctx: PassContext) -> Record | None:
    if not isinstance(notice, dict) or not notice.get("publication-number"):
        return None
    number = str(notice["publication-number"])
    title = _pick(notice.get("notice-title")).strip()
    buyers = _buyers(notice.get("buyer-name"))
    code = ctx.source.params.get("municipality") or next((c for c in map(ctx.index.resolve, buyers) if c), None)
    found = notice.get("links")
    links: dict[str, Any] = found if isinstance(found, dict) else {}
    found = links.get("html")
    html: dict[str, Any] = found if isinstance(found, dict) else {}
    url = html.get("NLD") or html.get("ENG") or next(iter(html.values()), None) \
        or f"https://ted.europa.eu/en/notice/-/detail/{number}"
    cpv = notice.get("classification-cpv") or []
    description = _pick(notice.get("description-proc")).strip()
    text = "\n".join(p for p in (description, "Aanbestedende dienst: " + "; ".join(buyers) if buyers else "",
                                 "CPV: " + " ".join(map(str, cpv)) if cpv else "") if p)
    return Record(native_id=number, title=title or f"TED {number}", text=text or title, url=str(url),
                  published=day(notice.get("publication-date")), municipality=code,
                  document_type=str(_pick(notice.get("notice-type")) or "notice"), stage_hint=ctx.titles.match(title)[1],
                  extra={"buyer": buyers[0] if buyers else None, "cpv": list(map(str, cpv))[:20],
                         "technology": ctx.query.technology})
