"""Tagger: documents in, the `scanner tag` contract objects out (per input, in order, never crashing)."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from scanner.config import Config, load_config
from scanner.tag.compounds import Hit
from scanner.tag.doclabels import sentence_stage
from scanner.tag.language import detect
from scanner.tag.resolve import sentence_of
from scanner.tag.rules import TagRules, build_rules, default_catalogue
from scanner.tag.labels import LabelModel, label_cue_words, label_input, load_label_model
from scanner.tag.normalise import tokenizer_text
from scanner.tag.relevance import LinearRelevanceModel, RelevanceModel, load_relevance_model
from scanner.tag.relevance import merge as merge_relevance
from scanner.tag.termlike import TermModel, load_term_model
from scanner.tag.stage import LABELS, StageModel, StageRules, best_stage, load_stage_model, model_input, rules_version
from scanner.util import chunked

log = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")
# control and invisible format characters: blanked (same length) for matching, kept in the output
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})  # hyphen, non-breaking hyphen
# `[^\w\s]{20,}` written to open with a character class, which re skips to in C (1.3x faster)
_SYMBOL_RUN = re.compile(r"[^\w\s][^\w\s]{19,}")
_LAST_SPACE = re.compile(r"\s\S*$")


def tag_config(config: dict[str, Any] | None = None, run: Config | None = None) -> dict[str, Any]:
    """[tag] of the run's config (scanner/defaults.toml + overrides; loaded here when not given) < config."""
    merged = dict((run if run is not None else load_config()).tag)
    merged.update(config or {})
    return merged


@dataclass
class Prepared:
    index: int
    id: Any
    text: str  # title + "\n" + text, sanitised and capped
    title_end: int
    language: str  # contract language
    pipeline: str  # nl | en
    note: str | None


def _clean(text: str) -> str:
    """Lone surrogates (from JSON escapes) become U+FFFD: same length, so offsets stay valid."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _spaces(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def matchable_text(text: str) -> str:
    """The text the pipeline sees, same length: invisible characters blanked, Unicode hyphens as `-`
    (`camera\u2011generated`, `OCR\u2010herkenning` split like their ASCII spelling), and runs of 20+ symbols
    blanked (spaCy's affix splitting is quadratic on them: 20,000 emoji in a row take a minute)."""
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub(" ", text)
    if "\u2010" in text or "\u2011" in text:
        text = text.translate(_HYPHENS)
    return _SYMBOL_RUN.sub(_spaces, text) if _SYMBOL_RUN.search(text) else text


def _cap(text: str, max_chars: int) -> tuple[str, str | None]:
    if len(text) <= max_chars:
        return text, None
    cut = _LAST_SPACE.search(text, max(0, max_chars - 1000), max_chars + 1)
    end = cut.start() if cut else max_chars
    return text[:end], f"text truncated from {len(text)} to {end} characters"


class Tagger:
    """Tag documents with technologies, processes, domains, stage, municipal, factors and candidates."""

    def __init__(self, catalogue: Any = None, config: dict[str, Any] | None = None,
                 stage_model: StageModel | None = None, run: Config | None = None) -> None:
        self._catalogue = catalogue
        self.config = tag_config(config, run)
        self._rules: TagRules | None = None
        self._stage_rules: StageRules | None = None
        self._nlp: dict[str, Any] = {}
        self._model: StageModel | None = stage_model
        self._model_loaded = stage_model is not None or not self.config["use_stage_model"]
        self._relevance: RelevanceModel | LinearRelevanceModel | None = None
        self._relevance_loaded = not self.config["use_relevance_model"]
        self._labels: LabelModel | None = None
        self._labels_loaded = not self.config["use_label_model"]
        self._none_prior = float(self.config["none_prior"])
        self.fast = bool(self.config["fast_path"])
        self._batch: Any = None
        self._batch_loaded = False

    @property
    def catalogue(self) -> Any:
        if self._catalogue is None:
            self._catalogue = default_catalogue()
        return self._catalogue

    @property
    def rules(self) -> TagRules:
        if self._rules is None:
            self._rules = build_rules(self.catalogue)
        return self._rules

    @property
    def stage_rules(self) -> StageRules:
        if self._stage_rules is None:
            self._stage_rules = StageRules(self.rules)
        return self._stage_rules

    @property
    def stage_model(self) -> StageModel | None:
        if not self._model_loaded:
            self._model = load_stage_model(max_chars=int(self.config["stage_model_chars"]))
            self._model_loaded = True
        return self._model

    @property
    def relevance_model(self) -> RelevanceModel | LinearRelevanceModel | None:
        if not self._relevance_loaded:
            self._relevance = load_relevance_model(max_chars=int(self.config["relevance_model_chars"]),
                                                   linear=self.fast)
            self._relevance_loaded = True
        return self._relevance

    @property
    def label_model(self) -> LabelModel | None:
        if not self._labels_loaded:
            self._labels = load_label_model(max_chars=int(self.config["stage_model_chars"]))
            self._labels_loaded = True
        return self._labels

    @property
    def batch_classifiers(self) -> Any:
        """The three linear models scored together (scanner/tag/scoring.py), or None: then each model
        predicts on its own (the reference path, `fast_path = false`)."""
        if not self._batch_loaded:
            from scanner.tag.scoring import BatchClassifiers

            self._batch = BatchClassifiers.build(self.stage_model, self.label_model, self.relevance_model,
                                                 self.stage_rules, int(self.config["classifier_word_cache"])
                                                 ) if self.fast else None
            self._batch_loaded = True
        return self._batch

    @property
    def model_version(self) -> str:
        model = self.stage_model
        parts = [model.version if model is not None else rules_version(self.rules)]
        parts += [m.version for m in (self.relevance_model, self.label_model, self.term_model) if m is not None]
        return "|".join(parts)

    @property
    def term_model(self) -> TermModel | None:
        return load_term_model() if self.config["use_term_model"] else None

    @property
    def lexicon_version(self) -> str:
        return str(getattr(self.catalogue, "version", "") or self.rules.version)

    @property
    def version(self) -> str:
        return f"{self.lexicon_version}+{self.model_version}"

    def nlp(self, lang: str) -> Any:
        """The pipeline for nl or en, built once per Tagger."""
        if lang not in self._nlp:
            from scanner.tag.pipeline import build_nlp

            # with the stage model on (fast path), the cue stages it overwrites are not computed
            cue_stage = not (self.fast and self.stage_model is not None)
            self._nlp[lang] = build_nlp(lang, config={**self.config, "cue_stage": cue_stage}, rules=self.rules)
        return self._nlp[lang]

    def warm(self) -> "Tagger":
        """Build both pipelines, the models and the language identifier now (worker processes forked
        afterwards share them instead of each building its own)."""
        for lang in ("nl", "en"):
            self.nlp(lang)
        _ = self.batch_classifiers, self.model_version
        detect("De gemeente start een proef.", int(self.config["langid_chars"]))
        return self

    def prepare(self, index: int, doc: Any) -> Prepared | dict[str, Any]:
        """Validate one input; a bad one becomes its error record."""
        if not isinstance(doc, dict):
            return {"id": None, "error": "document is not a JSON object"}
        doc_id = doc.get("id")
        text, title = doc.get("text"), doc.get("title")
        if "text" not in doc or text is None:
            return {"id": doc_id, "error": "missing 'text'"}
        if not isinstance(text, str):
            return {"id": doc_id, "error": "'text' is not a string"}
        if title is not None and not isinstance(title, str):
            return {"id": doc_id, "error": "'title' is not a string"}
        if not text.strip():
            return {"id": doc_id, "error": "empty text"}
        title_end = len(title) + 1 if title else 0
        combined, note = _cap(_clean(f"{title}\n{text}" if title else text), int(self.config["max_chars"]))
        language, pipeline = detect(combined, int(self.config["langid_chars"]))
        return Prepared(index, doc_id, combined, min(title_end, len(combined)), language, pipeline, note)

    def tag_many(self, docs: Iterable[Any], batch_size: int | None = None) -> Iterator[dict[str, Any]]:
        """One result per input, in input order; batches go through nlp.pipe per language."""
        size = int(batch_size or self.config["batch_size"])
        for batch in chunked(docs, size):
            yield from self._tag_batch(batch, size)

    def tag(self, doc: dict[str, Any]) -> dict[str, Any]:
        return next(self.tag_many([doc]))

    def _tag_batch(self, batch: list[Any], size: int) -> list[dict[str, Any]]:
        results: list[dict[str, Any] | None] = [None] * len(batch)
        ready = self._prepare_batch(batch, results)
        reads_cues = self.label_model is not None and self.label_model.reads_cues
        words: dict[int, str] = {}
        for lang, items in ready.items():
            if items:
                for item, doc in zip(items, self._pipe(lang, items, size)):
                    results[item.index] = self._result(item, doc)
                    if reads_cues:
                        words[item.index] = self._cue_words(doc)
        tagged = [item for items in ready.values() for item in items]
        classifiers = self.batch_classifiers if tagged else None
        label_words = [words[p.index] for p in tagged] if reads_cues else None
        scores = classifiers.predict([p.text for p in tagged], [p.pipeline for p in tagged], label_words
                                     ) if classifiers else {}
        self._apply_model(tagged, results, scores.get("stage"))
        self._apply_relevance(tagged, results, scores.get("relevance"))
        self._apply_labels(tagged, results, scores.get("labels"), label_words)
        return [r for r in results if r is not None]

    def _prepare_batch(self, docs: list[Any], refused: list[Any] | None = None) -> dict[str, list[Prepared]]:
        """The documents `prepare` accepts, per pipeline; the error record of each refused one goes into
        `refused` at its index, when given."""
        ready: dict[str, list[Prepared]] = {"nl": [], "en": []}
        for index, doc in enumerate(docs):
            prepared = self.prepare(index, doc)
            if isinstance(prepared, Prepared):
                ready[prepared.pipeline].append(prepared)
            elif refused is not None:
                refused[index] = prepared
        return ready

    def _cue_words(self, doc: Any) -> str:
        """The label model's cue pseudo-words (scanner/tag/labels.py) from the pipeline's cue hits and
        process mentions: of the whole text (the matcher keeps no offsets for cues that are only
        municipal or domain cues), capped per word."""
        from scanner.tag.pipeline import doc_state

        state, domains = doc_state(doc), self.rules.process_domain
        return label_cue_words((cue for _, cue in state.hs_cues), [domains.get(h.target.id, "") for h in state.processes])

    def label_inputs(self, docs: list[dict[str, Any]], chars: int) -> list[str | None]:
        """What a label model that reads cue words gets for each document: its first `chars` characters as
        the tagger cleans them, then the text's cue words (None for a document the tagger refuses).
        Training builds its inputs with this, so they are the tagger's own."""
        out: list[str | None] = [None] * len(docs)
        for lang, items in self._prepare_batch(docs).items():
            for item, parsed in zip(items, self._pipe(lang, items, int(self.config["batch_size"]))) if items else ():
                out[item.index] = label_input(item.text[:chars], self._cue_words(parsed))
        return out

    def _pipe(self, lang: str, items: list[Prepared], size: int) -> Iterator[Any]:
        from scanner.tag.pipeline import doc_state

        nlp, fast = self.nlp(lang), self.fast

        def docs() -> Iterator[Any]:
            for item in items:
                matchable = matchable_text(item.text)
                tokenized = tokenizer_text(matchable) if fast else matchable
                doc = nlp.make_doc(tokenized)
                state = doc_state(doc)
                state.title_end, state.hs_text, state.hs_normalised = item.title_end, matchable, tokenized is not matchable
                yield doc

        return nlp.pipe(docs(), batch_size=size)

    def _result(self, item: Prepared, doc: Any) -> dict[str, Any]:
        from scanner.tag.pipeline import doc_state

        ext = doc_state(doc)
        technologies, processes, stage, scores = ext.technologies, ext.processes, ext.stage, ext.stage_scores
        builder = MentionBuilder(item.text, ext.hs_sents, ext.sent_stages, (stage, scores.get(stage, 1.0)),
                                 self, ext.hs_name_spans or [])
        result = {
            "id": item.id, "language": item.language,
            "technologies": [builder.mention(h) for h in technologies],
            "processes": [builder.mention(h) for h in processes],
            "domains": list(ext.domains), "stage": stage, "stage_scores": dict(scores),
            "municipal": bool(ext.municipal), "candidates": list(ext.candidates),
            "factors": list(ext.factors), "municipal_score": ext.municipal_score,
        }
        if item.note:
            result["note"] = item.note
        return result

    def _apply_model(self, prepared: list[Prepared], results: list[dict[str, Any] | None],
                     predictions: list[dict[str, float]] | None = None) -> None:
        """The trained stage model sets the document stage, and every technology mention carries it:
        the stage the store keeps is the evaluated one. A text in which no catalogue technology is found
        keeps the model's stage too: the model learnt `none` for such texts, and a text naming a technology
        only loosely (bare "AI") still reports a stage (data/annotations/real/DECISIONS.md, D8)."""
        model = self.stage_model
        if model is None or not prepared:
            return
        if predictions is None:
            rules = self.stage_rules
            predictions = model.predict([model_input(p.text, p.pipeline, rules) for p in prepared],
                                        [p.pipeline for p in prepared])
        for item, scores in zip(prepared, predictions):
            result = results[item.index]
            if result is None:
                continue
            scores = {label: round(float(scores.get(label, 0.0)), 4) for label in LABELS}
            result["stage_scores"], result["stage"] = scores, best_stage(scores, self.rules.stage_order)
            for mention in result["technologies"] + result["processes"]:
                mention["stage"], mention["stage_score"] = result["stage"], result["stage_scores"][result["stage"]]

    def _apply_labels(self, prepared: list[Prepared], results: list[dict[str, Any] | None],
                      predictions: list[dict[str, float]] | None = None, words: list[str] | None = None) -> None:
        """The trained label model sets municipal relevance and the municipal domains."""
        model = self.label_model
        if model is None or not prepared:
            return
        if predictions is None:
            predictions = model.predict([p.text for p in prepared], words)
        for item, scores in zip(prepared, predictions):
            result = results[item.index]
            if result is not None:
                model.apply(result, scores)

    def _apply_relevance(self, prepared: list[Prepared], results: list[dict[str, Any] | None],
                         predictions: list[dict[str, float]] | None = None) -> None:
        """The relevance model adds factors the cue rules missed (and, without a label model, municipal)."""
        model = self.relevance_model
        if model is None or not prepared:
            return
        threshold = float(self.config["relevance_threshold"])
        municipal = 2.0 if self.label_model is not None else float(self.config["relevance_municipal_threshold"])
        if predictions is None:
            predictions = model.predict([p.text for p in prepared])
        for item, cats in zip(prepared, predictions):
            result = results[item.index]
            if result is not None:
                merge_relevance(result, cats, threshold, municipal)


def municipalities_by_sentence(text: str, starts: list[int], spans: Iterable[tuple[int, str]],
                               rules: TagRules) -> dict[int, set[str]]:
    """Canonical municipality names per sentence index; a name that is also a word (Best, Goes) only
    right after "gemeente"."""
    out: dict[int, set[str]] = {}
    for start, name in spans:
        if name in rules.ambiguous_municipalities and not text[max(0, start - 9):start].lower().endswith("gemeente "):
            continue
        out.setdefault(sentence_of(starts, start), set()).add(rules.municipality_of.get(name, name))
    return out


class MentionBuilder:
    """Mention dicts of one document: offsets, sentence, and the sentence's (or document's) stage."""

    def __init__(self, text: str, sents: list[tuple[int, int]], sent_weights: dict[int, dict[str, float]],
                 doc_stage: tuple[str, float], tagger: Tagger, name_spans: Iterable[tuple[int, str]] = ()) -> None:
        self.text, self.sents, self.sent_weights, self.doc_stage = text, sents, sent_weights, doc_stage
        self.starts = [start for start, _ in sents]
        self.places = municipalities_by_sentence(text, self.starts, name_spans, tagger.rules)
        self.max_chars = int(tagger.config["sentence_max_chars"])
        self.none_prior, self.order = tagger._none_prior, tagger.rules.stage_order
        self.domains = tagger.rules.process_domain
        self.cache: dict[int, tuple[str, float]] = {}
        self.near: dict[int, list[str]] = {}

    def _stage(self, index: int) -> tuple[str, float] | None:
        weights = self.sent_weights.get(index)
        if not weights:
            return None
        if index not in self.cache:
            self.cache[index] = sentence_stage(weights, self.none_prior, self.order)
        return self.cache[index]

    def _near(self, index: int) -> list[str]:
        """Municipalities named in the sentence and its neighbours (cached per sentence)."""
        near = self.near.get(index)
        if near is None:
            places = self.places
            near = self.near[index] = sorted({name for i in (index - 1, index, index + 1) for name in places.get(i, ())})
        return near

    def mention(self, hit: Hit) -> dict[str, Any]:
        start, end = hit.start, hit.end
        index = sentence_of(self.starts, start)
        s_start, s_end = self.sents[index]
        if s_end - s_start > self.max_chars:
            s_start, s_end = max(s_start, start - 300), min(s_end, end + 300)
        label, score = (self._stage(index) if self.sent_weights else None) or self.doc_stage
        target = hit.target
        text = self.text
        if target.kind == "process":
            out: dict[str, Any] = {"id": target.id, "domain": self.domains.get(target.id, "")}
            out.update(text=text[start:end], start=start, end=end, sentence=text[s_start:s_end], sent_start=s_start,
                       sent_end=s_end, stage=label, stage_score=score, sent_index=index, municipalities=list(self._near(index)))
            return out
        return {"id": target.id, "text": text[start:end], "start": start, "end": end, "sentence": text[s_start:s_end],
                "sent_start": s_start, "sent_end": s_end, "stage": label, "stage_score": score, "sent_index": index,
                "municipalities": list(self._near(index))}
