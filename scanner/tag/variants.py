"""Generated surface forms of lexicon terms: plurals, diminutives, hyphen/space spellings."""
from __future__ import annotations

import re
from typing import Any

_VOWELS = "aeiou"
_WS = re.compile(r"\s+")
MIN_INFLECT = 5  # shorter terms (app, bot, wet) get no generated forms: too many collisions


def safe_lower(text: str) -> str:
    """text.lower() with the same length (a few characters such as 'İ' grow when lower-cased)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def normalise(phrase: str) -> str:
    """Lower-case, single-spaced form used as the lookup key of a phrase."""
    return _WS.sub(" ", phrase.strip().lower())


def _nl_forms(word: str) -> set[str]:
    forms = {word + "s", word + "'s"} if word[-1] in _VOWELS + "y" else {word + "en", word + "s"}
    if word.endswith("e"):
        forms |= {word + "s", word + "n"}
    if word.endswith("ie"):
        forms.add(word[:-2] + "ieën")
    if not word.endswith(("je", "jes", "s", "en")):
        stem = word + ("je" if word[-1] not in _VOWELS else "tje")
        forms |= {stem, stem + "s"}
    return forms


def _en_forms(word: str) -> set[str]:
    if word.endswith(("s", "x", "ch", "sh")):
        return {word + "es"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        return {word[:-1] + "ies"}
    return {word + "s"}


def _spellings(phrase: str) -> set[str]:
    """'digital twin' <-> 'digital-twin'; 'e-mail' -> 'email', 'e mail'."""
    out = {phrase}
    if "-" in phrase:
        out |= {phrase.replace("-", " "), phrase.replace("-", "")}
    if " " in phrase and len(phrase.split()) == 2:
        out.add(phrase.replace(" ", "-"))
    return {normalise(p) for p in out if p.strip()}


def inflect(phrase: str) -> set[str]:
    """All generated forms of a lower-cased phrase (inflecting its last word), the phrase included."""
    phrase = normalise(phrase)
    forms = {phrase}
    head, _, last = phrase.rpartition(" ")
    min_len = 3 if head else MIN_INFLECT  # inside a phrase a short last word is safe to inflect
    if len(last) >= min_len and last[-1].isalpha() and not last.endswith(("'s", "s", "en", "es", "ie", "ing")):
        prefix = head + " " if head else ""
        forms |= {prefix + f for f in _nl_forms(last) | _en_forms(last)}
    out: set[str] = set()
    for form in forms:
        out |= _spellings(form)
    return out


def abbreviation_forms(abbr: str) -> set[str]:
    """Case-sensitive forms of an abbreviation: RPA, RPA's, RPAs (plural only for all-caps)."""
    out = {abbr}
    if abbr.isupper() and abbr[-1].isalpha():
        out |= {abbr + "'s", abbr + "s"}
    return out


# ------------------------------------------------------------------------------------------ emerging-term keys

def term_key(term: str) -> str:
    """Variant-insensitive key of an emerging term: case, hyphens, spaces and a plural -s/-en folded."""
    key = re.sub(r"[\s\-_'’]+", "", term.lower())
    return re.sub(r"(s|en)$", "", key) if len(key) > 4 else key


def variant_rules(catalogue: Any) -> list[tuple[re.Pattern, str]]:
    """lexicon/candidates.yaml `variants`: {phrase: replacement} applied on whole words before keying."""
    conf = getattr(catalogue, "candidates", None) or (catalogue.get("candidates") if isinstance(catalogue, dict)
                                                       else None) or {}
    rules = conf.get("variants") if isinstance(conf, dict) else None
    items = sorted((rules or {}).items(), key=lambda kv: -len(str(kv[0])))  # longest phrase first
    return [(re.compile(rf"(?<![\w-]){re.escape(str(a).lower())}(?![\w])"), str(b).lower()) for a, b in items]


def apply_variants(term: str, rules: list[tuple[re.Pattern, str]]) -> str:
    """The term lower-cased and single-spaced, with the synonym rules applied (`generative artificial
    intelligence` -> `generative ai`)."""
    text = " ".join(str(term).lower().split())
    for pattern, repl in rules:
        text = pattern.sub(repl, text)
    return text


def variant_key(term: str, rules: list[tuple[re.Pattern, str]]) -> str:
    """One key for the spellings of a term: synonym rules, then case, hyphens, spaces and plural folded."""
    return term_key(apply_variants(term, rules))
