"""Candidate technology terms that no catalogue entry covers (input for `scanner emerging`).

One compiled regex per document: the seed patterns of lexicon/candidates.yaml plus a few
noun-phrase heuristics (tech prefix compounds such as `ai-agent`, Dutch compounds ending in a
strong head such as `batterijtechnologie`, modifier + noun such as `slimme meters`, noun + head
such as `quantum computing`). Hits inside catalogue mentions, stopwords and rejected terms are dropped.
"""
from __future__ import annotations

import re
import re._constants as _constants
import re._parser as _parser
from bisect import bisect_left
from itertools import accumulate
from typing import Any, Sequence

from scanner.tag.rules import TagRules, by_lang, get
from scanner.tag.tokenscan import MAX_CACHED, TokenScan
from scanner.tag.trie import trie_pattern
from scanner.tag.variants import normalise, safe_lower

# Generic shapes of technology terms, never the names of expected technologies (those must emerge from
# corpus statistics, `scanner emerging`); lexicon/candidates.yaml may extend them (keys: prefixes,
# strong_heads, phrase_heads, modifiers).
PREFIXES: list[str] = []
STRONG_HEADS = ["technologie", "technologieën", "techniek", "technieken", "computing", "robotica", "robotics",
                "computer", "computers", "herkenning"]
PHRASE_HEADS = ["computing", "technology", "technologies", "technologie", "technologieën", "robotics",
                "robotica", "analytics", "models", "modellen", "data", "vision"]
MODIFIERS = ["slimme", "smart", "autonome", "autonomous", "zelflerende", "self-learning", "intelligente",
             "voorspellende", "predictive"]
# A product or technique written with capitals inside a word or as an acronym (ChatGPT, OCR), or an
# acronym compound (BIM-model, RFID-chip): letters only, 2-10 characters, at least two capitals.
ACRONYM = re.compile(r"(?<![\w-])(?:[A-Z0-9]{1,5}[A-Z][A-Za-z0-9]*|[A-Z][a-z]+[A-Z][A-Za-z]*)(?:-[a-z][\w]{2,})?(?![\w-])")
GENERIC_SECOND = {"gedreven", "gestuurd", "gestuurde", "gebaseerd", "gebaseerde", "driven", "based", "powered",
                  "enabled", "ready", "tools", "toepassing", "toepassingen", "gebruik", "beleid", "strategie",
                  "strategy", "policy", "act", "wet", "verordening", "regulation", "regels", "rules", "ethiek",
                  "ethics", "expert", "experts", "team", "teams", "project", "projecten", "projects",
                  "achtig", "achtige", "achtigen", "style", "like", "type", "stijl"}
_LITERAL, _BRANCH, _SUBPATTERN = _constants.LITERAL, _constants.BRANCH, _constants.SUBPATTERN
_WORD_RUN = re.compile(r"\S+")
HYPHEN_REACH = 12  # the longest first part of a hyphen compound (CandidateFinder.hyphen_head)
_NEXT_WORD_AFTER_SPACE = re.compile(r" ([^\W\d_]+)(?![\w-])")
_NEXT_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_](?![\w-])")
_PREV_LETTERS = re.compile(r"(?<![\w-])[^\W\d_]+$")
_PREV_WORD = re.compile(r"(?<![\w-])[^\W\d_][\w-]{2,}$")
_PREV_ADJ = re.compile(r"(?<![\w-])[^\W\d_]{3,}(?:e|ive|al|ic|ble)$")
FUNCTION_WORDS = {
    "de", "het", "een", "deze", "die", "dit", "dat", "onze", "hun", "zijn", "haar", "nieuwe", "nieuw", "andere",
    "meer", "veel", "welke", "elke", "iedere", "zo'n", "the", "a", "an", "this", "that", "these", "those", "new",
    "our", "their", "its", "other", "more", "many", "any", "every", "each", "such", "which", "what", "latest",
    "modern", "moderne", "current", "huidige", "existing", "bestaande", "own", "eigen", "same", "zelfde",
    "with", "and", "or", "of", "en", "of", "met", "van", "voor", "for", "to", "in", "on", "op", "by", "door",
    "use", "using", "used", "gebruik", "goede", "good", "better", "betere", "beste", "best", "grote", "great",
    "big", "kleine", "small", "oude", "old", "business", "verdien", "data", "digital", "digitale", "sociale",
    "social", "financial", "financiële", "oplossing", "oplossingen", "manier", "manieren", "keuze", "keuzes",
    "way", "ways", "choice", "choices", "solution", "solutions", "idea", "ideas", "idee", "ideeën", "move",
    "moves", "people", "mensen", "zet", "zetten", "stap", "stappen", "step", "steps", "vraag", "vragen",
    "ons", "jullie", "mijn", "your", "my", "his", "her", "emerging", "opkomende", "innovative", "innovatieve",
    "key", "belangrijke", "important", "disruptive", "disruptieve", "advanced", "geavanceerde", "dezelfde",
    "welk", "hoe", "how", "why", "waarom", "about", "over", "from", "uit", "bij", "als", "as", "is", "are",
    "was", "wordt", "worden", "kan", "can", "will", "zal", "not", "niet", "also", "ook", "no", "geen",
    "information", "informatie", "communication", "communicatie", "available", "beschikbare", "relevant",
    "relevante", "whole", "hele", "all", "alle", "some", "sommige", "enkele", "several", "verschillende",
    "different", "various", "diverse", "toepassing", "toepassingen", "application", "applications", "manier",
    "inzet", "gebruiken", "aanpak", "approach", "kans", "kansen", "opportunity", "opportunities", "mogelijkheden",
}


# FUNCTION_WORDS that are no generic noun: a term may end in them (`open data`, `big data`).
GENERIC_NOUNS = FUNCTION_WORDS - {"data", "digital", "digitale", "sociale", "social", "financial", "financiële",
                                  "business", "big", "information", "informatie", "communication", "communicatie"}


def _words(value: Any) -> list[str]:
    return sorted({normalise(str(w)) for lang_items in by_lang(value).values() for w in lang_items if str(w).strip()})


def _literal_runs(items: list) -> list[str]:
    """The runs of consecutive literal characters in a parsed regex sequence (empty runs included)."""
    runs, current = [], ""
    for op, arg in items:
        if op is _LITERAL:
            current += chr(arg)
        else:
            runs.append(current)
            current = ""
    runs.append(current)
    return runs


def _longest_run(items: list) -> str | None:
    best = max(_literal_runs(items), key=len)
    return best if len(best) >= 2 else None


def required_literals(pattern: str) -> list[str] | None:
    """Literal strings of which a match must contain one (None: unknown), used to skip regex scans."""
    try:
        items = list(_parser.parse(pattern, 0))
    except Exception:  # noqa: BLE001 - an odd pattern simply gets no shortcut
        return None
    if len(items) == 1 and items[0][0] is _BRANCH:
        found = [_longest_run(list(branch)) for branch in items[0][1][1]]
        return None if any(f is None for f in found) else [f for f in found if f]
    run = _longest_run(items)
    return [run] if run else None


def _acronym_spans(text: str) -> list[tuple[int, int, None]]:
    """ACRONYM matches; it never matches whitespace and its look-arounds take whitespace for a boundary."""
    return [(*m.span(), None) for m in ACRONYM.finditer(text)]


def _flat(items: list) -> list:
    """A parsed sequence with its plain groups inlined (a group without flags matches exactly once)."""
    out: list = []
    for op, arg in items:
        if op is _SUBPATTERN and not arg[1] and not arg[2]:
            out += _flat(list(arg[3]))
        else:
            out.append((op, arg))
    return out


def all_literals(pattern: str) -> list[str]:
    """Literal strings (2+ characters) that every match of the pattern contains: the literal runs of its
    top-level sequence. A text lacking one of them holds no match, so its scan can be skipped."""
    try:
        items = _flat(list(_parser.parse(pattern, 0)))
    except Exception:  # noqa: BLE001 - an odd pattern simply gets no shortcut
        return []
    return [run for run in _literal_runs(items) if len(run) >= 2]


def literal_start(pattern: str) -> bool:
    """Whether every match of the pattern starts with the same literal character."""
    try:
        items = _flat(list(_parser.parse(pattern, 0)))
    except Exception:  # noqa: BLE001
        return False
    return bool(items) and items[0][0] is _LITERAL


def hyphen_matches(regex: re.Pattern[str], low: str, reach: int = HYPHEN_REACH) -> list[re.Match[str]]:
    """regex.finditer(low) for a regex whose every match holds a hyphen 2 to `reach` characters after its
    start (CandidateFinder.hyphen_head): the starts tried are only those before a hyphen, each once and in
    increasing order, so the first match found from a position is finditer's next one."""
    out = []
    pos = tried = 0  # finditer resumes at the end of the last match; starts below `tried` failed
    hyphen = low.find("-")
    while hyphen >= 0:
        for start in range(max(pos, tried, hyphen - reach), hyphen - 1):
            match = regex.match(low, start)
            if match is not None:
                out.append(match)
                pos = match.end()
                break
        tried = max(tried, hyphen - 1)
        hyphen = low.find("-", max(hyphen + 1, pos))
    return out


def _shouting(text: str, at: int, window: int = 60) -> bool:
    """Inside an all-caps stretch (a shouted headline), where capitals say nothing."""
    around = text[max(0, at - window): at + window]
    letters = [c for c in around if c.isalpha()]
    return len(letters) > 10 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


class CandidateFinder:
    """Finds technology-like phrases in a text; `find` returns them lower-cased, first occurrence first."""

    def __init__(self, rules: TagRules, min_chars: int | None = None, fast: bool = True,
                 token_cache_size: int = 100_000) -> None:
        config = rules.candidates or {}
        self.rules = rules
        self.fast = fast  # False: the reference whole-text scans
        self._acronym_tokens: TokenScan[None] = TokenScan(_acronym_spans, token_cache_size)
        self._run_cache: dict[str, tuple[int, int, str | None]] = {}  # term-model run -> `_run_scan`
        self._run_cache_size = token_cache_size
        self.min_chars = int(min_chars or get(config, "min_chars", 4) or 4)
        self.max_words = int(get(config, "max_words", 4) or 4)
        self.stopwords = set(_words(get(config, "stopwords", []))) | FUNCTION_WORDS
        prefixes = sorted(set(PREFIXES) | set(_words(get(config, "prefixes", []))))
        strong = sorted(set(STRONG_HEADS) | set(_words(get(config, "strong_heads", []))))
        heads = sorted(set(PHRASE_HEADS) | set(_words(get(config, "phrase_heads", []))))
        modifiers = sorted(set(MODIFIERS) | set(_words(get(config, "modifiers", []))))
        self.modifiers = set(modifiers)
        self.edge_stopwords = set(_words(get(config, "stopwords", []))) - self.modifiers
        yaml_heads = _words(get(config, "heads", []))
        seeds = [str(p) for p in get(config, "seed_patterns", []) or []]
        self.acronym_stop = {str(w) for w in get(config, "acronym_stopwords", []) or []}
        # no leading look-behind: sre can then jump to the pattern's literal prefix (8x faster);
        # the left word boundary is checked in Python
        self.seeds = [(re.compile(rf"(?:{p})(?![\w-])"), required_literals(p)) for p in seeds]
        # each literal a text must hold for the seed to match, longest (likely rarest) first; none for a
        # pattern starting with a literal, whose scan (sre jumps to that prefix) costs less than the checks
        self.seed_needs = [[] if literal_start(p) else sorted(all_literals(p), key=len, reverse=True) for p in seeds]
        self.seed_guarded = [not literal_start(p) for p in seeds]
        self.short_heads = set(yaml_heads)
        self.generic_heads = self.short_heads | set(STRONG_HEADS) | set(PHRASE_HEADS)  # no term on their own
        # a hyphenated compound whose last part is a head (ai-agent, iot-platform, bim-model): a shape
        heads_pattern = "|".join(sorted(map(re.escape, self.short_heads), key=len, reverse=True))
        self.hyphen_head = re.compile(r"(?<![\w-])[^\W_]{2,%d}-(?:%s)(?![\w-])" % (HYPHEN_REACH, heads_pattern)
                                      ) if self.short_heads else None
        # one literal trie over lower-cased text (fast); each hit is expanded/verified in Python
        self.kinds: dict[str, set[str]] = {}
        for kind, words in (("pre", [p + "-" for p in prefixes]), ("strong", strong), ("head", heads),
                            ("mod", [m + " " for m in modifiers]), ("ai", ["ai"])):
            for word in words:
                self.kinds.setdefault(word, set()).add(kind)
        self.trigger = re.compile(trie_pattern(self.kinds, " "))

    def _expand(self, low: str, match: re.Match[str]) -> tuple[int, int, str] | None:
        """(start, end, kind) of the full candidate around a trigger hit, or None when it is not one."""
        start, end = match.span()
        kinds = self.kinds.get(match.group(), set())
        before = low[start - 1] if start else " "
        after = low[end] if end < len(low) else " "
        if kinds & {"pre", "mod"} and not (before.isalnum() or before in "-_"):
            word = _NEXT_WORD.match(low, end, min(len(low), end + 60))
            if word and word.group() not in GENERIC_SECOND and (len(word.group()) >= 4
                                                               or word.group() in self.short_heads):
                return start, word.end(), "pre" if "pre" in kinds else "mod"
        if after.isalnum() or after in "-_":
            return None
        if "strong" in kinds and before.isalpha():
            back = _PREV_LETTERS.search(low, max(0, start - 40), start)
            if back and start - back.start() >= 3:
                return back.start(), end, "strong"
        if kinds & {"head", "ai"} and before == " ":
            back = (_PREV_ADJ if "ai" in kinds else _PREV_WORD).search(low, max(0, start - 41), start - 1)
            if back:
                return back.start(), end, "head"
        return None

    def _ok(self, term: str, seed: bool) -> bool:
        if len(term) < (2 if seed else self.min_chars) or term in self.stopwords or term in self.rules.rejected:
            return False
        if term in self.rules.phrases:
            return False
        words = term.split()
        if len(words) > self.max_words:
            return False
        if seed:
            return True
        first_ok = words[0] not in self.stopwords or words[0] in self.modifiers
        return not (len(words) > 1 and (not first_ok or words[-1] in self.stopwords))

    def find(self, text: str, covered: Sequence[tuple[int, int]] = (),
             runs: Sequence[tuple[int, int]] = (), tokens: set[str] | None = None) -> list[str]:
        """Candidates in text order. A catalogue mention spanning a candidate removes it; for modifier +
        noun (`slimme camera's`) any overlap does, since the noun is then a known technology. `runs` are
        the term model's spans (scanner/tag/termlike.py), trimmed of stopwords at either end; `tokens`:
        set(text.split()), when the caller has it."""
        spans = sorted(covered)
        starts = [s for s, _ in spans]
        max_end = list(accumulate((e for _, e in spans), max))

        def inside(start: int, end: int) -> bool:
            if not self.fast:
                return any(s <= start and end <= e for s, e in spans[: bisect_left(starts, start + 1)])
            i = bisect_left(starts, start + 1)  # spans[:i] start at or before `start`: one must reach `end`
            return bool(i) and max_end[i - 1] >= end

        found: list[tuple[int, int, str, bool]] = []
        low = safe_lower(text)
        for (regex, literals), needs, guarded in zip(self.seeds, self.seed_needs, self.seed_guarded):
            if self.fast:
                if guarded and (not all(lit in low for lit in needs)
                                or (literals is not None and not any(lit in low for lit in literals))):
                    continue  # a literal the pattern needs is absent: skip the regex scan
            elif literals is not None and not any(lit in low for lit in literals):
                continue
            for match in regex.finditer(low):
                start, end = match.span()
                if not (start and (low[start - 1].isalnum() or low[start - 1] in "-_")) and not inside(start, end):
                    found.append((start, end, normalise(match.group()), True))
        for match in self.trigger.finditer(low):
            hit = self._expand(low, match)
            if hit is None:
                continue
            start, end, kind = hit
            i = bisect_left(starts, end)
            touched = bool(i and max_end[i - 1] > start)
            if not (touched if kind == "mod" else inside(start, end)):
                found.append((start, end, normalise(low[start:end]), False))
        if self.hyphen_head is not None and "-" in low:
            matches = hyphen_matches(self.hyphen_head, low) if self.fast else self.hyphen_head.finditer(low)
            found += [(m.start(), m.end(), normalise(m.group()), False) for m in matches
                      if not inside(m.start(), m.end())]
        found += self._acronyms(text, low, inside, tokens)
        # the term model's runs, trimmed of stopwords at either end, come after the shape hits (`generatieve
        # ai` over the run `generatieve ai zal`) and are checked like seed hits: the model judged them
        return self._select(found, self._runs(low, runs, inside))

    def _runs(self, low: str, runs: Sequence[tuple[int, int]], inside: Any) -> list[tuple[int, int, str, bool]]:
        """The term model's runs, trimmed and checked (`_run`), outside catalogue mentions."""
        out = []
        for start, end in runs:
            first, last, term = self._run(low[start:end]) if self.fast else self._run_scan(low, start, end)
            if term is not None and not inside(start + first, start + last):
                out.append((start + first, start + last, term, True))
        return out

    def _run(self, run: str) -> tuple[int, int, str | None]:
        """`_run_scan` of a run's own text, remembered: documents repeat their runs."""
        known = self._run_cache.get(run)
        if known is None:
            known = self._run_scan(run, 0, len(run))
            if len(self._run_cache) < self._run_cache_size and len(run) <= MAX_CACHED:
                self._run_cache[run] = known
        return known

    def _run_scan(self, low: str, start: int, end: int) -> tuple[int, int, str | None]:
        """(start, end) of low[start:end] trimmed (`_trim`), relative to `start`, and its term, None when
        nothing is left or `_run_ok` rejects it."""
        first, last = self._trim(low, start, end)
        term = normalise(low[first:last]) if last > first else None
        return first - start, last - start, term if term is not None and self._run_ok(term) else None

    def _trim(self, low: str, start: int, end: int) -> tuple[int, int]:
        """A run without the lexicon's stopwords at either end (`nieuwe zorgbot` -> `zorgbot`); a modifier
        (`slimme`, `smart`) stays."""
        words = [m.span() for m in _WORD_RUN.finditer(low, start, end)]
        edge = self.edge_stopwords
        while words and low[words[0][0]:words[0][1]] in edge:
            words.pop(0)
        while words and low[words[-1][0]:words[-1][1]] in edge:
            words.pop()
        return (words[0][0], words[-1][1]) if words else (start, start)

    def _run_ok(self, term: str) -> bool:
        """A term-model run is not a generic kind of technology on its own (`systeem`, `technologie`), and
        does not end in a generic noun or suffix (`slimme oplossing`, `ai-gedreven`)."""
        words = term.split()
        last = words[-1].rsplit("-", 1)[-1]
        if last in GENERIC_SECOND or last in GENERIC_NOUNS:
            return False
        return len(words) > 1 or "-" in term or term not in self.generic_heads

    def _acronyms(self, text: str, low: str, inside: Any, tokens: set[str] | None = None
                  ) -> list[tuple[int, int, str, bool]]:
        """Capitalised product and technique names (ChatGPT, OCR, BIM-model) outside shouted text."""
        out = []
        spans = self._acronym_tokens.scan(text, tokens) if self.fast else _acronym_spans(text)
        for start, end, _ in spans:
            base, _, tail = text[start:end].partition("-")
            if tail in GENERIC_SECOND:  # GPT-achtige, ChatGPT-style: the name, not the adjective
                end = start + len(base)
            head = _NEXT_WORD_AFTER_SPACE.match(low, end) if not tail else None
            if head and head.group(1) in self.short_heads:  # AI agent, BIM model: acronym + a head noun
                if not (_shouting(text, start) or inside(start, head.end())):
                    out.append((start, head.end(), normalise(low[start:head.end()]), True))
                continue
            if (base in self.acronym_stop or base in self.rules.abbreviations or base in self.rules.municipalities
                    or _shouting(text, start) or inside(start, end)):
                continue
            out.append((start, end, normalise(low[start:end]), True))
        return out

    def _select(self, found: list[tuple[int, int, str, bool]],
                later: Sequence[tuple[int, int, str, bool]] = ()) -> list[str]:
        """Longest first among overlapping hits (`grote taalmodellen` over `taalmodellen`), then the `later`
        hits where they overlap none taken; in text order."""
        taken: list[tuple[int, int, str]] = []
        ordered = sorted(found, key=lambda f: (f[0] - f[1], f[0])) + sorted(later, key=lambda f: (f[0] - f[1], f[0]))
        for start, end, term, seed in ordered:
            if any(s < end and start < e for s, e, _ in taken) or not self._ok(term, seed):
                continue
            taken.append((start, end, term))
        out: list[str] = []
        for _, _, term in sorted(taken):
            if term not in out:
                out.append(term)
        return out
