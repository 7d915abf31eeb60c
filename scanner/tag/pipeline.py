"""spaCy pipelines (blank nl/en + sentencizer + horizonscan components) and their Doc extensions.

Components (registered with @Language.factory, configured by a key into RULES):
  sentencizer   hs_sentencizer: regex sentence splitter (punctuation + line breaks), a fast drop-in
                for spaCy's token-walking `sentencizer`
  hs_lexicon    PhraseMatcher (LOWER) over all terms of both languages + generated forms + cue phrases,
                PhraseMatcher (ORTH) over abbreviations and municipality names, compound-head regex
  hs_resolve    negative senses removed, overlaps resolved -> doc._.technologies / doc._.processes
  hs_labels     stage (doc and sentence), municipal, domains, factors
  hs_candidates technology-like terms the catalogue does not cover (shape rules + the term model) -> doc._.candidates
"""
from __future__ import annotations

import logging
import re
from typing import Any, Callable, cast

import numpy as np
from spacy.attrs import IDX, LENGTH, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from scanner.config import complete
from scanner.tag.candidates import CandidateFinder
from scanner.tag.compounds import CompoundFinder, Hit
from scanner.tag.doclabels import domains_of, municipal_score, stage_labels
from scanner.tag.factors import factor_scores
from scanner.tag.normalise import crosses_break
from scanner.tag.resolve import drop_negatives, resolve_overlaps
from scanner.tag.rules import LANGS, Cue, Target, TagRules
from scanner.tag.termlike import default_path as default_term_path
from scanner.tag.termlike import load_term_model
from scanner.tag.tokenizer_rules import split_capital_final_period
from scanner.tag.variants import safe_lower

log = logging.getLogger(__name__)

_NOT_START = np.uint64(2**64 - 1)  # SENT_START = -1 as spaCy stores it in uint64 arrays
RULES: dict[str, TagRules] = {}  # rules_key -> rules (components are configured by key)
_OPENERS = "A-Z0-9ÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ\"'“‘‚(\\["
# linear even on pathological input: one character per try, the rest in possessive look-aheads;
# group 1 is the first character of the next sentence
_BOUNDARY = re.compile(rf"[.!?…](?=[\"'”’)\]]*+\s++([{_OPENERS}]))")
# the same two branches behind one leading character class: a pattern that opens with a class lets re
# skip to the next candidate character in C (an alternation of classes is tried at every position)
_BOUNDARY_NL = re.compile(rf"[.!?…\n](?:(?<=[.!?…])(?=[\"'”’)\]]*+\s++([{_OPENERS}]))|(?<=\n)(?=[^\S\n]*+(\S)))")

_STATE = "horizonscan"  # the key of a document's DocState in doc.user_data


class DocState:
    """What the components know of one document, one object in doc.user_data. Each doc._.x access
    builds an Underscore object and looks the value up under a tuple key (~50 accesses per document),
    so the components use this object; the doc._ extensions are properties over it."""

    __slots__ = ("hs_text", "hs_bounds", "hs_offsets", "hs_offset_arrays", "hs_orths", "hs_tokens", "hs_lower", "hs_hits", "hs_cues", "hs_negative", "hs_names",
                 "hs_name_spans", "hs_sents", "hs_normalised", "title_end", "technologies", "processes", "stage",
                 "stage_scores", "sent_stages", "municipal", "municipal_score", "domains", "factors", "candidates")

    def __init__(self) -> None:
        self.hs_text: str | None = None  # the text matched against (doc.text rebuilds it on every access)
        self.hs_bounds: list[int] | None = None
        self.hs_offsets: tuple[list[int], list[int]] | None = None
        self.hs_offset_arrays: tuple[np.ndarray, np.ndarray] | None = None
        self.hs_orths: np.ndarray | None = None  # each token's ORTH hash (uint64), read with the offsets
        self.hs_tokens: set[str] | None = None  # the distinct whitespace tokens of hs_text (fast path)
        self.hs_lower: str | None = None
        self.hs_hits: list[Hit] = []
        self.hs_cues: list[tuple[int, Cue]] = []
        self.hs_negative: list[tuple[int, int, set[str]]] = []
        self.hs_names: set[str] = set()
        self.hs_name_spans: list[tuple[int, str]] = []
        self.hs_sents: list[tuple[int, int]] = []
        self.hs_normalised = False
        self.title_end = 0
        self.technologies: list[Hit] = []
        self.processes: list[Hit] = []
        self.stage = "none"
        self.stage_scores: dict[str, float] = {}
        self.sent_stages: dict[int, Any] = {}
        self.municipal = False
        self.municipal_score = 0.0
        self.domains: list[Any] = []
        self.factors: list[Any] = []
        self.candidates: list[str] = []


def doc_state(doc: Doc) -> DocState:
    """The document's DocState, created on first use."""
    data = doc.user_data
    state = data.get(_STATE)
    if state is None:
        state = data[_STATE] = DocState()
    return cast(DocState, state)


def _property(name: str) -> tuple[Callable[[Doc], Any], Callable[[Doc, Any], None]]:
    """The getter and setter of doc._.<name> over the DocState."""
    def getter(doc: Doc) -> Any:
        return getattr(doc_state(doc), name)

    def setter(doc: Doc, value: Any) -> None:
        setattr(doc_state(doc), name, value)

    return getter, setter


def _register_extensions() -> None:
    """doc._.<name> for every DocState attribute, reading and writing the state."""
    for name in DocState.__slots__:
        if not Doc.has_extension(name):
            getter, setter = _property(name)
            Doc.set_extension(name, getter=getter, setter=setter)


_register_extensions()


def register_rules(rules: TagRules) -> str:
    """Make rules reachable from component configs; returns the key."""
    key = f"{rules.version or 'rules'}-{id(rules)}"
    RULES[key] = rules
    return key


def doc_text(doc: Doc) -> str:
    """doc.text rebuilds the string from all tokens on every access: compute it once per doc."""
    state = doc_state(doc)
    if state.hs_text is None:
        state.hs_text = doc.text
    return state.hs_text


def token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """(start char, end char) of every token as two lists, from one array read (no Token objects)."""
    state = doc_state(doc)
    if state.hs_offsets is None:
        starts, ends = token_offset_arrays(doc)
        state.hs_offsets = (starts.tolist(), ends.tolist())
    return state.hs_offsets


def token_offset_arrays(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    """`token_offsets` as two int64 arrays (the sentencizer and the term model work on arrays)."""
    state = doc_state(doc)
    if state.hs_offset_arrays is None:
        read = doc.to_array([IDX, LENGTH, ORTH])
        arr = read[:, :2].astype(np.int64)
        starts = arr[:, 0]
        state.hs_offset_arrays, state.hs_orths = (starts, starts + arr[:, 1]), read[:, 2]
    return state.hs_offset_arrays


def token_orths(doc: Doc) -> np.ndarray:
    """Each token's ORTH hash (the hash of its text) as a uint64 array, read with `token_offset_arrays`."""
    state = doc_state(doc)
    if state.hs_orths is None:
        token_offset_arrays(doc)
    return cast(np.ndarray, state.hs_orths)


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) char offsets per sentence, surrounding whitespace trimmed."""
    text = doc_text(doc)
    bounds = doc_state(doc).hs_bounds or [s.start_char for s in doc.sents]
    out = []
    for start, end in zip(bounds, bounds[1:] + [len(text)]):
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            out.append((start + lead, start + lead + len(stripped)))
    return out or [(0, len(text))]


@Language.factory("hs_sentencizer", default_config={"split_newlines": True})
def make_sentencizer(nlp: Language, name: str, split_newlines: bool) -> Any:
    """Drop-in for spaCy's `sentencizer` (which walks every token in Python): one regex over the text.

    A sentence ends after . ! ? or … (plus closing quotes/brackets) followed by whitespace and an
    upper-case letter, digit or opening quote/bracket, and - for titles and list items - at a line break.
    """
    pattern = _BOUNDARY_NL if split_newlines else _BOUNDARY

    def sentencizer(doc: Doc) -> Doc:
        if not len(doc):
            doc_state(doc).hs_bounds = [0]
            return doc
        starts = token_offset_arrays(doc)[0]
        chars = [match.start(match.lastindex or 0) for match in pattern.finditer(doc_text(doc))]
        tokens = np.unique(np.searchsorted(starts, [0, *chars]))
        tokens = tokens[tokens < len(doc)]
        flags = np.full(len(doc), _NOT_START, dtype="uint64")
        flags[tokens] = 1
        doc.from_array([SENT_START], cast(Any, flags.reshape(-1, 1)))  # one array write: the setter is O(n) per call
        doc_state(doc).hs_bounds = starts[tokens].tolist()
        return doc

    return sentencizer


class LexiconMatcher:
    """All dictionary look-ups in one pass: phrases (LOWER), abbreviations and names (ORTH), compounds."""

    def __init__(self, nlp: Language, rules: TagRules, compound_min_prefix: int, compound_stoplist: list[str],
                 fast: bool = True, token_cache_size: int = 100_000):
        self.rules = rules
        self.fast = fast  # False: the reference implementations (tests compare both)
        lang = nlp.lang if nlp.lang in LANGS else "nl"
        other = "en" if lang == "nl" else "nl"
        self.cues: dict[str, list[Cue]] = {p: list(c) for p, c in rules.cues.get(lang, {}).items()}
        for phrase, cues in rules.cues.get(other, {}).items():  # municipal cues are safe across languages
            extra = [c for c in cues if c.category == "municipal"]
            if extra and not any(c.category == "municipal" for c in self.cues.get(phrase, [])):
                self.cues.setdefault(phrase, []).extend(extra)
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower_keys = set(rules.phrases) | set(self.cues) | set(rules.negative_phrases)
        self._add(nlp, self.lower, lower_keys)
        self.actions = self._actions(lower_keys, nlp.vocab)
        self._add(nlp, self.orth, set(rules.abbreviations) | rules.municipalities)
        self.compounds = CompoundFinder(rules, compound_min_prefix, frozenset(compound_stoplist), token_cache_size)

    @staticmethod
    def _add(nlp: Language, matcher: PhraseMatcher, phrases: set[str]) -> None:
        """One key per phrase; `app` also as `app.` where a tokenizer exception keeps the period attached."""
        ordered = sorted(p for p in phrases if p.strip())
        tokenizer: Any = nlp.tokenizer  # spaCy's Tokenizer: a Cython class without type information
        dotted = {k.lower() for k in tokenizer.rules or {} if k.endswith(".")}
        for phrase, doc in zip(ordered, tokenizer.pipe(ordered)):
            docs = [doc]
            if phrase + "." in dotted:
                docs.append(nlp.make_doc(phrase + "."))
            matcher.add(phrase, docs)

    def _actions(self, keys: set[str], vocab: Any) -> dict[int, tuple]:
        """match id -> (phrase, targets, cues, negative ids, whether offsets are needed)."""
        out = {}
        for key in keys:
            targets = tuple(self.rules.phrases.get(key, ()))
            cues = tuple(self.cues.get(key, ()))
            negative = self.rules.negative_phrases.get(key)
            needs = bool(targets or negative or any(c.category == "stage" for c in cues))
            out[vocab.strings.add(key)] = (key, targets, cues, negative, needs)
        return out

    def __call__(self, doc: Doc) -> Doc:
        rules, text = self.rules, doc_text(doc)
        hits: list[Hit] = []
        cues: list[tuple[int, Cue]] = []
        negative: list[tuple[int, int, set[str]]] = []
        tok_start, tok_end = token_offsets(doc)
        new_tuple = tuple.__new__
        state = doc_state(doc)
        normalised = state.hs_normalised  # the tokenizer saw line breaks as spaces: no match may cross one
        for match_id, s, e in self.lower(doc):
            key, targets, key_cues, negative_ids, needs = self.actions[match_id]
            if normalised and e - s > 1 and crosses_break(text, tok_start[s], tok_end[e - 1]):
                continue
            start = end = -1
            if needs:
                start, end = tok_start[s], tok_end[e - 1]
                if text[end - 1] == "." and not key.endswith("."):
                    end -= 1  # matched through the `app.` tokenizer exception
            for target in targets:
                hits.append(new_tuple(Hit, (target, start, end, "term")))  # Hit(...) without its Python __new__
            for cue in key_cues:
                cues.append((start, cue))
            if negative_ids:
                negative.append((start, end, negative_ids))
        names = set()
        name_spans: list[tuple[int, str]] = []
        strings = doc.vocab.strings
        for match_id, s, e in self.orth(doc):
            if normalised and e - s > 1 and crosses_break(text, tok_start[s], tok_end[e - 1]):
                continue
            key = strings[match_id]
            for target in rules.abbreviations.get(key, ()):
                hits.append(Hit(target, tok_start[s], tok_end[e - 1], "abbreviation"))
            if key in rules.municipalities:
                names.add(key)
                name_spans.append((tok_start[s], key))
        state.hs_lower = low = safe_lower(text)
        if self.fast:  # the compound and the acronym scan share the text's distinct tokens
            state.hs_tokens = set(text.split())
            hits.extend(self.compounds.compounds(text, low, state.hs_tokens))
        else:
            hits.extend(self.compounds.compounds_scan(text, low))
        hits.extend(self.compounds.parts(text))
        state.hs_hits, state.hs_cues, state.hs_negative, state.hs_names = hits, cues, negative, names
        state.hs_name_spans = name_spans
        state.hs_sents = _sentences(doc)
        return doc


@Language.factory("hs_lexicon", default_config={"rules_key": "", "compound_min_prefix": 3,
                                                 "compound_stoplist": [], "fast": True, "token_cache_size": 100_000})
def make_lexicon(nlp: Language, name: str, rules_key: str, compound_min_prefix: int,
                 compound_stoplist: list[str], fast: bool, token_cache_size: int) -> LexiconMatcher:
    return LexiconMatcher(nlp, RULES[rules_key], compound_min_prefix, compound_stoplist, fast, token_cache_size)


@Language.factory("hs_resolve", default_config={"rules_key": ""})
def make_resolve(nlp: Language, name: str, rules_key: str) -> Any:
    rules = RULES[rules_key]

    def resolve(doc: Doc) -> Doc:
        state = doc_state(doc)
        hits = drop_negatives(state.hs_hits, doc_text(doc), rules, state.hs_sents, state.hs_negative)
        final = resolve_overlaps(hits)
        state.technologies = [h for h in final if h.target.kind == "technology"]
        state.processes = [h for h in final if h.target.kind == "process"]
        return doc

    return resolve


NO_STAGE: tuple[str, dict[str, float], dict[int, Any]] = ("none", {"none": 1.0}, {})  # what hs_labels leaves when a trained stage model decides


@Language.factory("hs_labels", default_config={
    "rules_key": "", "none_prior": 0.5, "title_weight": 2.0, "municipal_name_weight": 0.4,
    "municipal_threshold": 0.5, "domain_process_weight": 2.0, "domain_min_cue_weight": 2.0, "cue_stage": True})
def make_labels(nlp: Language, name: str, rules_key: str, none_prior: float, title_weight: float,
                municipal_name_weight: float, municipal_threshold: float, domain_process_weight: float,
                domain_min_cue_weight: float, cue_stage: bool) -> Any:
    """`cue_stage = false`: no stage from the cues (the tagger's stage model sets the document's and
    every mention's stage, so the cue stages would be overwritten unread)."""
    rules = RULES[rules_key]

    def labels(doc: Doc) -> Doc:
        state = doc_state(doc)
        by_cat: dict[str, list[tuple[int, Cue]]] = {"stage": [], "municipal": [], "domain": [], "factor": []}
        for start, cue in state.hs_cues:
            by_cat.setdefault(cue.category, []).append((start, cue))
        if cue_stage:
            starts = [s for s, _ in state.hs_sents]
            state.stage, state.stage_scores, state.sent_stages = stage_labels(
                by_cat["stage"], starts, state.title_end, none_prior, title_weight, rules.stage_order)
        else:
            state.stage, state.stage_scores, state.sent_stages = NO_STAGE[0], dict(NO_STAGE[1]), {}
        score = municipal_score((c for _, c in by_cat["municipal"]), state.hs_names, municipal_name_weight)
        state.municipal_score, state.municipal = score, score >= municipal_threshold
        state.domains = domains_of(state.processes, (c for _, c in by_cat["domain"]), rules,
                                   domain_process_weight, domain_min_cue_weight)
        state.factors = factor_scores(c for _, c in by_cat["factor"])
        return doc

    return labels


@Language.factory("hs_candidates", default_config={"rules_key": "", "min_chars": 4, "fast": True,
                                                    "token_cache_size": 100_000, "term_model": ""})
def make_candidates(nlp: Language, name: str, rules_key: str, min_chars: int, fast: bool, token_cache_size: int,
                    term_model: str) -> Any:
    finder = CandidateFinder(RULES[rules_key], min_chars, fast, token_cache_size)
    model = load_term_model(term_model) if term_model else None

    def candidates(doc: Doc) -> Doc:
        state = doc_state(doc)
        covered = [(h.start, h.end) for h in state.hs_hits]
        text = doc_text(doc)
        runs: list[tuple[int, int]] = []
        if model is not None and fast:  # the word table read by each token's ORTH hash: no slicing per token
            runs = model.spans(text, *token_offsets(doc), token_offset_arrays(doc), token_orths(doc))
        elif model is not None:
            runs = model.spans(text, *token_offsets(doc), token_offset_arrays(doc))
        state.candidates = finder.find(text, covered, runs, state.hs_tokens)
        return doc

    return candidates


def build_nlp(lang: str, catalogue: Any = None, config: dict[str, Any] | None = None,
              rules: TagRules | None = None) -> Language:
    """spacy.blank(lang) + sentencizer + the horizonscan components for a catalogue (or prepared rules)."""
    import spacy

    from scanner.tag.rules import build_rules

    if rules is None:
        if catalogue is None:
            from scanner.tag.rules import default_catalogue

            catalogue = default_catalogue()
        rules = build_rules(catalogue)
    config = complete("tag", config)  # [tag] of scanner/defaults.toml under the given values
    key = register_rules(rules)
    nlp = spacy.blank(lang if lang in LANGS else "nl")
    split_capital_final_period(nlp)
    nlp.max_length = max(nlp.max_length, int(config["max_chars"]) + 10)
    nlp.add_pipe("hs_sentencizer", name="sentencizer")
    nlp.add_pipe("hs_lexicon", config={"rules_key": key,
                                       "compound_min_prefix": int(config["compound_min_prefix"]),
                                       "compound_stoplist": list(config["compound_stoplist"]),
                                       "fast": bool(config["fast_path"]),
                                       "token_cache_size": int(config["token_cache_size"])})
    nlp.add_pipe("hs_resolve", config={"rules_key": key})
    labels: dict[str, Any] = {k: config[k] for k in ("none_prior", "title_weight", "municipal_name_weight",
                                     "municipal_threshold", "domain_process_weight", "domain_min_cue_weight")
              if k in config}
    nlp.add_pipe("hs_labels", config={"rules_key": key, **labels, "cue_stage": bool(config.get("cue_stage", True))})
    nlp.add_pipe("hs_candidates", config={"rules_key": key, "min_chars": int(config["candidate_min_chars"]),
                                          "fast": bool(config["fast_path"]),
                                          "token_cache_size": int(config["token_cache_size"]),
                                          "term_model": str(default_term_path()) if config["use_term_model"] else ""})
    # The tokenizer caches at most max_cache_size chunks; tokenizing the ~19,000 matcher phrases above
    # filled it, so no word of a document was ever cached (6-10x slower). Start documents afresh.
    tokenizer: Any = nlp.tokenizer  # spaCy's Tokenizer (no type information)
    tokenizer.max_cache_size = int(config["tokenizer_cache_size"])
    tokenizer._flush_cache()
    return nlp


__all__ = ["build_nlp", "register_rules", "RULES", "Target"]
