"""kind = "sru": local regulations (CVDR) and official publications (Gemeenteblad) from overheid.nl's SRU.

Request shape (KOOP "Handleiding voor het bevragen van de zoekdienst via SRU"; wetsuite's koop_sru):
GET `https://zoekservice.overheid.nl/sru/Search?operation=searchRetrieve&version=1.2&x-connection=cvdr
&query=<CQL>&startRecord=1&maximumRecords=100`, or `https://repository.overheid.nl/sru` with
`c.product-area==officielepublicaties` in the CQL for the Gemeenteblad. Dates filter as
`dcterms.modified>=2024-01-01` (CVDR) or `dt.modified>=2024-01-01` (officiële publicaties).
Response: `searchRetrieveResponse` with `numberOfRecords`, `records/record/recordData/gzd` (the
`originalData/meta` owmskern/owmsmantel: `identifier`, `title`, `creator scheme="overheid:Gemeente"`,
`modified`, `issued`, `type`, `subject`, ...; `enrichedData` with the URLs) and `nextRecordPosition`;
errors come as `diagnostics/diagnostic/message`. Elements are read by local name (namespaces vary).
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from scanner.harvest.official import Page, PageFailed, PassContext, Record, day

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
DEFAULT_DATE_INDEX = {"cvdr": "dcterms.modified", "officielepublicaties": "dt.modified"}


def _cql_term(term: str) -> str:
    clean = " ".join(re.sub(r'["\\]', " ", term).split())
    return f'"{clean}"'


def cql(ctx: PassContext) -> str:
    """The CQL query: standing query AND (terms OR-ed) AND creator AND date >= since."""
    params = ctx.source.params
    connection = str(params.get("connection") or "cvdr")
    parts: list[str] = []
    if ctx.query.standing:
        parts.append(f"({ctx.query.standing})")
    if ctx.query.terms:
        index = str(params.get("term_index") or "cql.textAndIndexes")
        parts.append("(" + " or ".join(f"{index}={_cql_term(t)}" for t in ctx.query.terms) + ")")
    if params.get("creator"):
        parts.append(f"dcterms.creator={_cql_term(str(params['creator']))}")
    if ctx.since:
        date_index = str(params.get("date_index") or DEFAULT_DATE_INDEX.get(connection, "dcterms.modified"))
        parts.append(f"{date_index}>={ctx.since}")
    return " and ".join(parts) or "cql.allRecords=1"


def request_params(ctx: PassContext, position: int) -> dict[str, Any]:
    params = {"operation": "searchRetrieve", "version": "1.2",
              "x-connection": str(ctx.source.params.get("connection") or "cvdr"),
              "query": cql(ctx), "startRecord": int(position), "maximumRecords": ctx.page_size}
    if ctx.source.params.get("record_schema"):
        params["recordSchema"] = str(ctx.source.params["record_schema"])
    return params


def first_position(ctx: PassContext) -> int:
    return 1


def fetch_page(ctx: PassContext, position: int) -> Page:
    response = ctx.client.call("GET", ctx.source.url, params=request_params(ctx, position))
    return parse_page(response.body, ctx, int(position))


def _local(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _find(root: Any, name: str) -> Any:
    for el in root.iter():
        if _local(el) == name:
            return el
    return None


def _all(root: Any, name: str) -> list[Any]:
    return [el for el in root.iter() if _local(el) == name]


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def parse_page(body: bytes, ctx: PassContext, position: int) -> Page:
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise PageFailed(f"malformed SRU response: not XML ({str(exc)[:80]})") from None
    if root is None or _local(root) not in ("searchRetrieveResponse", "searchRetrieveResponseType"):
        raise PageFailed(f"malformed SRU response: root <{_local(root) if root is not None else '?'}>, "
                         "expected <searchRetrieveResponse>")
    diagnostic = _find(root, "diagnostic")
    if diagnostic is not None:
        message = _text(_find(diagnostic, "message")) or _text(_find(diagnostic, "details")) or _text(diagnostic)
        raise PageFailed(f"SRU diagnostic: {message[:200]}")
    page = Page()
    count = _text(_find(root, "numberOfRecords"))
    page.total = int(count) if count.isdigit() else None
    for rec_el in _all(root, "record"):
        data = _find(rec_el, "recordData")
        record = _record(data, ctx) if data is not None else None
        if record is None:
            page.warnings.append(f"skipped a malformed SRU record at position {_text(_find(rec_el, 'recordPosition'))}")
        else:
            page.records.append(record)
    nxt = _text(_find(root, "nextRecordPosition"))
    got = len(_all(root, "record"))
    if nxt.isdigit() and int(nxt) > position:
        page.position = int(nxt)
    elif got >= ctx.page_size and (page.total is None or position + got <= page.total):
        page.position = position + got
    return page


def _creator(data: Any, ctx: PassContext) -> tuple[str | None, str | None]:
    """(creator name, CBS code) -- only creators that are municipalities get a code."""
    for el in _all(data, "creator"):
        scheme = " ".join(str(v) for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "scheme")
        name = _text(el)
        if scheme and "gemeente" not in scheme.lower():
            continue
        code = ctx.index.resolve(name)
        if code:
            return name, code
    first = _find(data, "creator")
    return (_text(first) or None), None


def _url(data: Any, identifier: str, connection: str) -> str:
    for name in ("preferredUrl", "publicatieurl_xhtml", "url", "itemUrl"):
        el = _find(data, name)
        if el is not None and _text(el).startswith("http"):
            return _text(el)
    for el in _all(data, "isFormatOf") + _all(data, "source"):
        for key, value in el.attrib.items():
            if key.rsplit("}", 1)[-1] == "resourceIdentifier" and str(value).startswith("http"):
                return str(value)
    if connection == "cvdr":
        return f"https://lokaleregelgeving.overheid.nl/{identifier.split('_')[0]}"
    return f"https://zoek.officielebekendmakingen.nl/{identifier}"


def _record(data: Any, ctx: PassContext) -> Record | None:
    identifier = _text(_find(data, "identifier"))
    title = _text(_find(data, "title"))
    if not identifier or not title:
        return None
    connection = str(ctx.source.params.get("connection") or "cvdr")
    creator, code = _creator(data, ctx)
    subjects = [_text(el) for el in _all(data, "subject")]
    pieces = [_text(_find(data, "alternative")), _text(_find(data, "abstract")), _text(_find(data, "description")),
              "; ".join(s for s in subjects if s)]
    text = "\n".join(p for p in dict.fromkeys(pieces) if p and p != title)
    published = (day(_text(_find(data, "issued"))) or day(_text(_find(data, "available")))
                 or day(_text(_find(data, "modified"))))
    modified = day(_text(_find(data, "modified")))
    doc_type = _text(_find(data, "type")) or ("regeling" if connection == "cvdr" else "publicatie")
    stage = ctx.titles.match(title)[1]  # lexicon/stages.yaml official_titles: sru
    return Record(native_id=identifier, title=title, text=text or title, url=_url(data, identifier, connection),
                  published=published, municipality=ctx.source.params.get("municipality") or code,
                  document_type=doc_type, stage_hint=stage, cursor_date=modified,
                  extra={"creator": creator, "sru_connection": connection, "modified": modified,
                         "technology": ctx.query.technology})
