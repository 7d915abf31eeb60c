"""Train the term model (scanner/tag/termlike.py) on the real corpus's `emerging_terms`.

Every token of a training excerpt is labelled: inside an occurrence of one of its gold emerging terms
(one that no catalogue entry covers) or not. The tokens come from exactly the tokenisation `scanner tag`
uses. The probability threshold is chosen on site-grouped out-of-fold predictions: the highest one whose
candidates (shape rules + the model's runs, as `scanner tag` forms them) still hold `term_recall` of the
gold terms. No list of expected terms is involved anywhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from scanner.tag.candidates import CandidateFinder
from scanner.tag.pipeline import token_offsets
from scanner.tag.termlike import TermModel, runs, token_features, tokens, word_ok
from scanner.tag.tagger import Prepared, Tagger, matchable_text
from scanner.tag.normalise import tokenizer_text
from scanner.tag.variants import variant_rules
from scanner.train.realtext import RealRecord, covered_alone, covered_here, term_found

THRESHOLDS = np.geomspace(0.001, 0.5, 28)


@dataclass
class TermDoc:
    """One excerpt as the term model sees it."""

    text: str
    site: str
    words: list[str]
    starts: list[int]
    ends: list[int]
    labels: np.ndarray
    ok: np.ndarray               # tokens that may be part of a run (word_ok)
    gold: list[str]              # its emerging terms that no catalogue entry covers
    covered: list[tuple[int, int]]  # catalogue mention spans


def gold_positions(text: str, gold: list[str], starts: list[int], ends: list[int]) -> np.ndarray:
    """True for every token inside an occurrence of a gold term (case-insensitive, whole words)."""
    low = text.lower()
    inside = np.zeros(len(starts), dtype=bool)
    for term in gold:
        for m in re.finditer(rf"(?<![\w-]){re.escape(term.lower())}(?![\w-])", low):
            inside |= (np.asarray(starts) >= m.start()) & (np.asarray(ends) <= m.end())
    return inside


def term_docs(records: list[RealRecord], tagger: Tagger) -> list[TermDoc]:
    """Tokens, labels and catalogue mentions of every record (the tagger runs without the term model)."""
    covered = covered_alone(tagger, (t for r in records for t in r.emerging))
    out = []
    for rec, res in zip(records, tagger.tag_many([r.document for r in records])):
        prepared = tagger.prepare(0, rec.document)
        if not isinstance(prepared, Prepared):
            continue
        text = matchable_text(prepared.text)
        doc = tagger.nlp(prepared.pipeline).make_doc(tokenizer_text(text))
        words, starts, ends = tokens(text, *token_offsets(doc))
        mentions = (res.get("technologies") or []) + (res.get("processes") or [])
        gold = [t for t in rec.emerging if t not in covered and not covered_here(t, text, mentions)]
        out.append(TermDoc(text, rec.site, words, starts, ends, gold_positions(text, gold, starts, ends),
                           np.array([word_ok(w) for w in words], dtype=bool), gold,
                           [(m["start"], m["end"]) for m in mentions]))
    return out


def fit(docs: list[TermDoc], settings: dict[str, Any]) -> TermModel:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [token_features(d.words, i) for d in docs for i in range(len(d.words))]
    vectorizer = CountVectorizer(analyzer=_identity, binary=True, min_df=int(settings["term_min_df"]))
    matrix = vectorizer.fit_transform(rows)
    labels = np.concatenate([d.labels for d in docs])
    clf = LogisticRegression(C=float(settings["term_C"]), class_weight="balanced", max_iter=3000,
                             random_state=int(settings["seed"]))
    clf.fit(matrix, labels)
    vocab = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
    return TermModel(vocab, clf.coef_[0].astype(float), float(clf.intercept_[0]))


def _identity(features: list[str]) -> list[str]:
    return features


def recall_at(docs: list[TermDoc], probs: list[np.ndarray], finder: CandidateFinder, rules: list,
              seed: float, extend: float) -> tuple[float, float]:
    """(recall of the gold terms, candidates per document) with the runs at one pair of thresholds."""
    found = total = candidates = 0
    for d, p in zip(docs, probs):
        cands = finder.find(d.text, d.covered, runs(p, d.ok, d.starts, d.ends, d.text, seed, extend))
        candidates += len(cands)
        total += len(d.gold)
        found += sum(term_found(t, cands, rules) for t in d.gold)
    return (found / total if total else 0.0), candidates / max(1, len(docs))


def out_of_fold(docs: list[TermDoc], sites: list[str], settings: dict[str, Any]) -> list[np.ndarray]:
    from sklearn.model_selection import GroupKFold

    probs: list[np.ndarray] = [np.zeros(0)] * len(docs)
    for train_idx, held_idx in GroupKFold(int(settings["folds"])).split(docs, groups=sites):
        model = fit([docs[i] for i in train_idx], settings)
        for i in held_idx:
            probs[i] = model.probabilities(docs[i].words)
    return probs


def train(records: list[RealRecord], settings: dict[str, Any]) -> tuple[TermModel, dict[str, Any]]:
    """The term model fitted on all records, its threshold chosen out of fold; and what was measured."""
    tagger = Tagger(config={"use_term_model": False})
    docs = term_docs(records, tagger)
    probs = out_of_fold(docs, [d.site for d in docs], settings)  # a record `prepare` refused has no doc
    finder = CandidateFinder(tagger.rules)
    rules = variant_rules(tagger.catalogue)
    target, ratio = float(settings["term_recall"]), float(settings["term_extend_ratio"])
    curve = [(float(t), *recall_at(docs, probs, finder, rules, float(t), float(t) * ratio)) for t in THRESHOLDS]
    reaching = [row for row in curve if row[1] >= target]
    # none reaches the target: the best recall there is, at the highest threshold (fewest candidates) giving it
    threshold, recall, per_doc = max(reaching) if reaching else max(curve, key=lambda row: (row[1], row[0]))
    model = fit(docs, settings)
    model.threshold, model.extend = round(threshold, 6), round(threshold * ratio, 6)
    return model, {"threshold": model.threshold, "extend": model.extend, "oof_recall": round(recall, 4),
                   "oof_candidates_per_doc": round(per_doc, 2), "recall_target": target,
                   "gold_terms": sum(len(d.gold) for d in docs), "tokens": int(sum(len(d.words) for d in docs)),
                   "rules_only_oof_recall": round(recall_at(docs, probs, finder, rules, 1.01, 1.01)[0], 4),
                   "curve": [[round(t, 5), round(r, 4), round(c, 2)] for t, r, c in curve]}
