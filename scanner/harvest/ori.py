"""kind = "ori": council documents from Open Raadsinformatie's Elasticsearch endpoint.

Request shape (openstate/open-raadsinformatie `example_requests.http`, `fetch_documents.py`): POST
`.../v1/elastic/ori_*/_search` with a JSON body -- a `bool` query of a `simple_query_string` over
text/title/description/name, a `range` filter on `last_discussed_at`, sorted by that date and `_id`,
paged with `search_after`. Response: `{"hits": {"total": ..., "hits": [{"_index": "ori_<key>_<stamp>",
"_id": ..., "_source": {...}, "sort": [...]}]}}`; `_source` of a document (MediaObject) has `name`,
`text` (pages) or `md_text`, `original_url`/`url`, `last_discussed_at`, `@type`.

The municipality is the source's `municipality` code if given, else the index key (`ori_loon_op_zand_...`
-> Loon op Zand -> GM0809) or an organisation name in the document.
"""
from __future__ import annotations

import re
from typing import Any

from scanner.harvest.official import Page, PageFailed, PassContext, Record, day, parse_json

SEARCH_FIELDS = ["text", "title", "description", "name"]
SOURCE_FIELDS = ["name", "title", "description", "text", "md_text", "url", "original_url", "last_discussed_at",
                 "date_modified", "@type", "content_type", "has_organization_name", "classification"]
_INDEX = re.compile(r"^(?:ori|osi|owi)_(.+?)(?:_\d{8,})?$")


def _phrase(term: str) -> str:
    """A simple_query_string phrase: quotes and operators removed, multi-word terms quoted."""
    clean = re.sub(r'["+|\-*~()\\]', " ", term).strip()
    clean = " ".join(clean.split())
    return f'"{clean}"' if " " in clean else clean


def search_body(ctx: PassContext, position: list[Any]) -> dict[str, Any]:
    """The Elasticsearch request body for one page (built as data, sent as JSON)."""
    params = ctx.source.params
    date_field = str(params.get("date_field") or "last_discussed_at")
    must: list[dict[str, Any]] = []
    if ctx.query.standing:
        must.append({"simple_query_string": {"fields": SEARCH_FIELDS, "default_operator": "and",
                                             "query": ctx.query.standing}})
    if ctx.query.terms:
        must.append({"simple_query_string": {"fields": SEARCH_FIELDS, "default_operator": "or",
                                             "query": " | ".join(_phrase(t) for t in ctx.query.terms)}})
    filters: list[dict[str, Any]] = [{"exists": {"field": date_field}}]
    if ctx.since:
        filters.append({"range": {date_field: {"gte": ctx.since}}})
    if params.get("document_types"):
        filters.append({"terms": {"@type": list(params["document_types"])}})
    body: dict[str, Any] = {
        "size": ctx.page_size,
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters}},
        "sort": [{date_field: {"order": "asc"}}, {"_id": {"order": "asc"}}],
        "_source": {"includes": list(params.get("fields") or SOURCE_FIELDS)},
    }
    if position:
        body["search_after"] = list(position)
    return body


def first_position(ctx: PassContext) -> list[Any]:
    return []


def fetch_page(ctx: PassContext, position: list[Any]) -> Page:
    response = ctx.client.call("POST", ctx.source.url, body=search_body(ctx, position))
    return parse_page(parse_json(response.body, "ORI"), ctx)


def parse_page(data: Any, ctx: PassContext) -> Page:
    hits = data.get("hits") if isinstance(data, dict) else None
    hits = hits.get("hits") if isinstance(hits, dict) else None
    if not isinstance(hits, list):
        reason = data.get("error") if isinstance(data, dict) else None
        raise PageFailed(f"malformed ORI response: no hits.hits{f' ({str(reason)[:120]})' if reason else ''}")
    page = Page()
    total = data["hits"].get("total")
    page.total = total.get("value") if isinstance(total, dict) else total if isinstance(total, int) else None
    for hit in hits:
        record = _record(hit, ctx)
        if record is None:
            page.warnings.append(f"skipped a malformed ORI hit ({str(hit)[:60]})")
        else:
            page.records.append(record)
    last = hits[-1].get("sort") if hits and isinstance(hits[-1], dict) else None
    page.position = list(last) if isinstance(last, list) and len(hits) >= ctx.page_size else None
    return page


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n\n".join(str(v) for v in value if v)
    return str(value or "")


def _record(hit: Any, ctx: PassContext) -> Record | None:
    if not isinstance(hit, dict) or not hit.get("_id") or not isinstance(hit.get("_source"), dict):
        return None
    src = hit["_source"]
    date_field = str(ctx.source.params.get("date_field") or "last_discussed_at")
    title = str(src.get("name") or src.get("title") or "").strip()
    text = _text(src.get("md_text")) or _text(src.get("text")) or str(src.get("description") or "")
    if not (title or text):
        return None
    match = _INDEX.match(str(hit.get("_index") or ""))
    municipality = (ctx.source.params.get("municipality")
                    or (ctx.index.resolve(match[1]) if match else None)
                    or ctx.index.resolve(src.get("has_organization_name")))
    doc_type, stage = ctx.titles.match(title)  # lexicon/stages.yaml official_titles: ori
    meeting = day(src.get(date_field))
    url = src.get("original_url") or src.get("url") or f"https://id.openraadsinformatie.nl/{hit['_id']}"
    return Record(native_id=str(hit["_id"]), title=title, text=text, url=str(url), published=meeting,
                  municipality=municipality, document_type=doc_type,
                  stage_hint=stage,
                  extra={"meeting_date": meeting, "ori_index": hit.get("_index"), "ori_type": src.get("@type"),
                         "technology": ctx.query.technology})
