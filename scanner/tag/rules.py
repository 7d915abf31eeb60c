"""Flatten a Catalogue into the lookup tables the tagging pipeline needs."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from scanner.catalogue import Catalogue, STAGES
from scanner.tag.variants import abbreviation_forms, inflect, normalise

log = logging.getLogger(__name__)

LANGS = ("nl", "en")


@dataclass(frozen=True)
class Target:
    kind: str  # technology | process
    id: str
    base: str  # the lexicon term this surface form was generated from (lower-case)


@dataclass(frozen=True)
class Cue:
    category: str  # stage | municipal | domain | factor
    key: str  # stage id, domain id, "factor:polarity", or "" for municipal
    weight: float


@dataclass
class NegativeRule:
    terms: frozenset[str]  # lower-case; empty = every term of the entry
    context: re.Pattern[str] | None
    phrases: tuple[str, ...]
    instead: str = ""  # a technology id: a mention the context cancels is that technology instead


@dataclass
class TagRules:
    """Everything the matchers need, per language where cues differ."""

    phrases: dict[str, list[Target]] = field(default_factory=dict)  # normalised phrase -> targets
    abbreviations: dict[str, list[Target]] = field(default_factory=dict)  # case-sensitive
    heads: dict[str, list[Target]] = field(default_factory=dict)  # lower compound head -> targets
    negatives: dict[str, list[NegativeRule]] = field(default_factory=dict)  # target id -> rules
    negative_phrases: dict[str, set[str]] = field(default_factory=dict)  # phrase -> target ids it cancels
    process_domain: dict[str, str] = field(default_factory=dict)
    cues: dict[str, dict[str, list[Cue]]] = field(default_factory=dict)  # lang -> phrase -> cues
    municipalities: set[str] = field(default_factory=set)  # case-sensitive names (and aliases)
    municipality_of: dict[str, str] = field(default_factory=dict)  # name or alias -> canonical name
    ambiguous_municipalities: set[str] = field(default_factory=set)  # also ordinary words (Best, Goes)
    stage_order: tuple[str, ...] = STAGES
    candidates: dict[str, Any] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)
    version: str = ""


def get(obj: Any, key: str, default: Any = None) -> Any:
    """Attribute or mapping access, so dataclasses and raw YAML dicts both work."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def by_lang(value: Any) -> dict[str, list[Any]]:
    """{nl: [...], en: [...]} from a dict, or the same list for both languages from a plain list."""
    if isinstance(value, dict):
        return {lang: list(value.get(lang) or []) for lang in LANGS}
    items = list(value or [])
    return {lang: items for lang in LANGS}


def _entries(collection: Any) -> list[tuple[str, Any]]:
    """(id, entry) pairs from a dict keyed by id or a list of entries with an `id`."""
    if isinstance(collection, dict):
        return [(str(key), value) for key, value in collection.items()]
    return [(str(get(item, "id")), item) for item in collection or []]


def _add(table: dict[str, list[Target]], key: str, target: Target) -> None:
    bucket = table.setdefault(key, [])
    if all((t.kind, t.id) != (target.kind, target.id) for t in bucket):
        bucket.append(target)


def _word_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    items = sorted({normalise(w) for w in words if str(w).strip()}, key=len, reverse=True)
    if not items:
        return None
    alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)


def _negatives(entry: Any) -> list[NegativeRule]:
    rules = []
    for rule in get(entry, "negative") or []:
        terms = frozenset(normalise(t) for t in get(rule, "terms") or [])
        rules.append(NegativeRule(terms, _word_regex(get(rule, "context") or []),
                                  tuple(normalise(p) for p in get(rule, "phrases") or []),
                                  str(get(rule, "instead") or "")))
    return rules


def _add_entry(rules: TagRules, kind: str, ident: str, entry: Any) -> None:
    terms = by_lang(get(entry, "terms"))
    for term in {normalise(str(t)) for lang in LANGS for t in terms[lang]}:
        for form in inflect(term):
            _add(rules.phrases, form, Target(kind, ident, term))
    for abbr in get(entry, "abbreviations") or []:
        for form in abbreviation_forms(str(abbr).strip()):
            _add(rules.abbreviations, form, Target(kind, ident, normalise(str(abbr))))
    for head in get(entry, "compound_heads") or []:
        for form in inflect(str(head)):
            if " " not in form:
                _add(rules.heads, form, Target(kind, ident, normalise(str(head))))
    negatives = _negatives(entry)
    if negatives:
        rules.negatives[ident] = negatives
        for rule in negatives:
            for phrase in rule.phrases:
                rules.negative_phrases.setdefault(phrase, set()).add(ident)


def _cue_items(items: Iterable[Any]) -> Iterable[tuple[str, float]]:
    """Cue phrases given as strings or as {phrase|cue|term|text: str, weight: float}."""
    for item in items:
        if isinstance(item, dict):
            text = item.get("phrase") or item.get("cue") or item.get("term") or item.get("text")
            if text:
                yield normalise(str(text)), float(item.get("weight", 1.0))
        elif str(item).strip():
            yield normalise(str(item)), 1.0


def _add_cues(rules: TagRules, category: str, key: str, value: Any, weight: float = 1.0) -> None:
    for lang, items in by_lang(value).items():
        table = rules.cues.setdefault(lang, {})
        for phrase, w in _cue_items(items):
            table.setdefault(phrase, []).append(Cue(category, key, w * weight))


def _stage_cues(rules: TagRules, stages: Any) -> None:
    if isinstance(stages, dict) and "stages" in stages:
        stages = stages["stages"]
    order = []
    for ident, entry in _entries(stages):
        if ident not in STAGES:
            continue
        order.append(ident)
        cues = get(entry, "cues", None)
        value = cues if cues is not None else {lang: get(entry, lang) or [] for lang in LANGS}
        _add_cues(rules, "stage", ident, value, float(get(entry, "weight", 1.0) or 1.0))
    rules.stage_order = tuple(order) or STAGES


def _polarity_cues(rules: TagRules, factor_id: str, entry: Any) -> None:
    cues = get(entry, "cues") or {}
    found = False
    for polarity, keys in (("driver", ("driver", "drivers")), ("barrier", ("barrier", "barriers"))):
        for key in keys:
            value = get(cues, key) if cues else None
            value = value if value is not None else get(entry, key)
            if value:
                found = True
                _add_cues(rules, "factor", f"{factor_id}:{polarity}", value)
    if not found and cues:
        _add_cues(rules, "factor", f"{factor_id}:driver", cues)


def _factor_cues(rules: TagRules, factors: Any) -> None:
    if not factors:
        return
    groups = [factors] if not isinstance(factors, dict) else [factors.get(k) for k in ("factors", "functions")]
    if isinstance(factors, dict) and not any(groups):
        groups = [factors]
    for group in groups:
        for ident, entry in _entries(group or []):
            _polarity_cues(rules, ident, entry)


def _municipal_cues(rules: TagRules, municipal: Any) -> None:
    if not municipal:
        return
    _add_cues(rules, "municipal", "", get(municipal, "cues") or [])
    names = get(municipal, "municipalities") or []
    for name in names:
        name = str(get(name, "name", name)).strip() if isinstance(name, dict) else str(name).strip()
        if name:
            rules.municipalities.add(name)
            rules.municipality_of[name] = name
    for alias, name in (get(municipal, "aliases") or {}).items():
        rules.municipalities.add(str(alias))
        rules.municipality_of[str(alias)] = str(name)
    rules.ambiguous_municipalities = {str(n) for n in get(municipal, "ambiguous_municipalities") or []}


def _domain_cues(rules: TagRules, domains: Any) -> None:
    if isinstance(domains, dict) and "domains" in domains:
        domains = domains["domains"]
    for ident, entry in _entries(domains or []):
        _add_cues(rules, "domain", ident, get(entry, "cues") or get(entry, "terms") or [])


def build_rules(catalogue: Catalogue) -> TagRules:
    """TagRules from a scanner.catalogue.Catalogue (or an object/dict with the same fields)."""
    rules = TagRules(version=str(get(catalogue, "version", "") or ""))
    for ident, entry in _entries(get(catalogue, "technologies") or {}):
        _add_entry(rules, "technology", ident, entry)
    for ident, entry in _entries(get(catalogue, "processes") or {}):
        _add_entry(rules, "process", ident, entry)
        rules.process_domain[ident] = str(get(entry, "domain", ""))
    _stage_cues(rules, get(catalogue, "stages") or {})
    _domain_cues(rules, get(catalogue, "domains"))
    _municipal_cues(rules, get(catalogue, "municipal"))
    _factor_cues(rules, get(catalogue, "factors"))
    rules.candidates = dict(get(catalogue, "candidates") or {})
    rules.rejected = {normalise(t) for t in get(catalogue, "rejected_terms") or set()}
    return rules


def default_catalogue() -> Any:
    """The catalogue from scanner.catalogue (lexicon/ or $SCANNER_LEXICON_DIR)."""
    from scanner.catalogue import load_catalogue

    return load_catalogue()


@lru_cache(maxsize=1)
def default_rules() -> TagRules:
    return build_rules(default_catalogue())
