"""Jinja2 rendering of the digest: HTML with autoescape, Markdown with its own escaping of every value."""
from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from scanner.digest import i18n

TEMPLATES = Path(__file__).with_name("templates")
SECTIONS = ["headlines", "radar", "movers", "risers", "emerging", "impact", "certainty", "decisions", "method"]
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~!])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def safe_url(url: Any) -> str | None:
    """The URL when it is an absolute http(s) link, else None (javascript:, data:, relative ... are text)."""
    if not url:
        return None
    text = _CONTROL.sub("", str(url))
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def md_escape(value: Any) -> str:
    """Plain text safe inside Markdown (and table cells): no markup, no raw HTML, one line.

    A lone '>' (the '> 7 jaar' horizon) stays readable: values never start a line, so it cannot open a
    quote; '<' and what could close a tag or spell an entity are escaped."""
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;") if "<" in text else text


def _md_finalize(value: Any) -> Any:
    if value is None:
        return ""
    return value if isinstance(value, Markup) else md_escape(value)


def md_url(url: Any) -> Markup | None:
    safe = safe_url(url)
    return Markup(quote(safe, safe=":/?#@!$&'*+,;=%~-._")) if safe else None


def md_link(doc: dict[str, Any]) -> Markup:
    """[title](url) for an http(s) url, else the escaped title alone."""
    title = md_escape(doc.get("title") or doc.get("url") or "–")
    url = md_url(doc.get("url"))
    return Markup(f"[{title}]({url})" if url else title)


def md_anchor(key: str, lang: str) -> Markup:
    """GitHub-style heading anchor of a section title."""
    text = i18n.t(key, lang).lower()
    return Markup(re.sub(r"\s+", "-", re.sub(r"[^\w\s-]", "", text)))


def _md_probs(probs: dict[str, float], lang: str) -> Markup:
    parts = [f"{md_escape(i18n.label(i18n.HORIZONS, h, lang))} {i18n.format_percent(probs.get(h, 0), lang)}"
             for h in i18n.HORIZONS[lang]]
    return Markup(" · ".join(parts))


def _filters(lang: str) -> dict[str, Any]:
    return {
        "num": lambda v, d=0: i18n.format_number(v, lang, d),
        "pct": lambda v, d=0: i18n.format_percent(v, lang, d),
        "d": lambda v: i18n.format_date(v, lang),
        "hz": lambda v: i18n.label(i18n.HORIZONS, v, lang),
        "impact": lambda v: i18n.label(i18n.IMPACTS, v, lang),
        "impact_short": lambda v: i18n.label(i18n.IMPACTS_SHORT, v, lang),
        "stage": lambda v: i18n.label(i18n.STAGES, v, lang),
        "status": lambda v: i18n.label(i18n.STATUSES, v, lang),
        "stype": lambda v: i18n.label(i18n.SOURCE_TYPES, v, lang),
        "language": lambda v: i18n.label(i18n.LANGUAGES, v, lang),
        "safe_url": safe_url,
    }


def _environment(lang: str, markdown: bool) -> Environment:
    if markdown:
        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, finalize=_md_finalize,
                          undefined=StrictUndefined, keep_trailing_newline=True)
        env.filters.update(md_url=md_url, md_link=md_link, md_anchor=partial(md_anchor, lang=lang),
                           md_probs=partial(_md_probs, lang=lang))
    else:
        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                          undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    env.filters.update(_filters(lang))
    env.globals.update(t=partial(i18n.t, lang=lang), horizons=list(i18n.HORIZONS[lang]), sections=SECTIONS)
    return env


def render_html(ctx: dict[str, Any]) -> str:
    env = _environment(ctx["lang"], markdown=False)
    css = Markup((TEMPLATES / "style.css").read_text(encoding="utf-8"))
    return env.get_template("index.html.j2").render(**ctx, css=css)


def render_markdown(ctx: dict[str, Any]) -> str:
    env = _environment(ctx["lang"], markdown=True)
    text = env.get_template("digest.md.j2").render(**ctx)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
