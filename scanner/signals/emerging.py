"""Emerging terms (the unknown unknowns): candidates no lexicon entry covers, scored for novelty,
growth, spread over sources and TF-IDF contrast against the earlier background."""
from __future__ import annotations

import json
import logging
import math
import re
from datetime import date
from typing import AbstractSet, Any

import numpy as np
import pandas as pd

from scanner.catalogue import Catalogue
from scanner.signals import frames
from scanner.signals.periods import add_months, cutoff
from scanner.tag.candidates import CandidateFinder
from scanner.tag.rules import build_rules
from scanner.tag.termlike import load_term_model
from scanner.tag.variants import term_key, variant_key, variant_rules

log = logging.getLogger(__name__)

STOPWORDS = set("""de het een en van in op te voor met is zijn dat die aan als bij door om of ook
naar niet uit over tot er nog dan wordt worden was heeft hebben hun haar hij zij we wij ze je u
the a an and of in on to for with is are was be by as at or from this that it its not has have
will can more than also about new nieuwe meer""".split())
MODIFIER_ENDS = {"slimme", "smart", "autonome", "autonomous", "generatieve", "generative", "intelligente",
                 "voorspellende", "predictive", "zelflerende", "synthetische", "synthetic", "neurale", "neural"}
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def candidate_rows(store, as_of: date) -> pd.DataFrame:
    """Columns term, document_id, day, source_id: one row per candidate per live document."""
    sql = (
        "SELECT lower(trim(je.value)) AS term, d.id AS document_id, substr(d.published, 1, 10) AS day, "
        "d.source_id FROM doc_tags t JOIN documents d ON d.id = t.document_id, json_each(t.candidates) je "
        f"WHERE {frames.LIVE_DOCS} AND t.candidates IS NOT NULL AND t.candidates NOT IN ('', '[]') "
        "AND json_valid(t.candidates)"
    )
    df = frames.frame(store, sql, (cutoff(as_of),))
    return df.drop_duplicates(["term", "document_id"]) if not df.empty else df


def blocked_terms(store, catalogue: Catalogue) -> set[str]:
    """Lexicon additions, catalogue names and municipality names: never computed as candidates (decided
    emerging terms are matched by variant key in `decisions`)."""
    rows = store.query("SELECT lower(term) AS term FROM lexicon_additions WHERE active = 1 AND term IS NOT NULL")
    out = {r["term"].strip() for r in rows if r["term"]}
    out |= {str(t).lower() for t in getattr(catalogue, "rejected_terms", None) or []}
    out |= blocked_terms_from_catalogue(catalogue)
    municipal = getattr(catalogue, "municipal", None) or {}
    if isinstance(municipal, dict):  # place names are news, not technologies
        out |= {str(n).lower() for n in list(municipal.get("municipalities") or []) + list(municipal.get("aliases") or {})}
    return out - {""}


def window_counts(store, as_of: date, recent_from: str) -> tuple[int, int]:
    """Live documents in the recent window and before it."""
    row = store.conn.execute(
        f"SELECT SUM(d.published >= ?), SUM(d.published < ?) FROM documents d WHERE {frames.LIVE_DOCS}",
        (recent_from, recent_from, cutoff(as_of))).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def sample_texts(store, as_of: date, recent_from: str, size: int) -> tuple[list[str], list[str], list[str], list[str]]:
    """Deterministic evenly spaced samples of recent and background texts (+ recent source ids)."""
    def pick(where: str, params: tuple) -> list[tuple]:
        n = store.conn.execute(f"SELECT COUNT(*) FROM documents d WHERE {frames.LIVE_DOCS} AND {where}",
                               (cutoff(as_of), *params)).fetchone()[0]
        step = max(1, n // max(size, 1))
        return store.conn.execute(
            "SELECT lower(COALESCE(d.title, '') || ' ' || substr(COALESCE(d.text, d.summary, ''), 1, 4000)), "
            f"d.source_id FROM documents d WHERE {frames.LIVE_DOCS} AND {where} AND d.id % ? = 0 "
            "ORDER BY d.id LIMIT ?", (cutoff(as_of), *params, step, size)).fetchall()
    recent = pick("d.published >= ?", (recent_from,))
    back = pick("d.published < ?", (recent_from,))
    return [r[0] for r in recent], [r[1] or "" for r in recent], [r[0] for r in back], [r[1] or "" for r in back]


def tech_words(catalogue: Catalogue | None) -> tuple[set[str], set[str]]:
    """(technology-like words, function words) from the tagger's candidate heuristics and the lexicon."""
    words: set[str] = set()
    function: set[str] = set(STOPWORDS)
    try:
        from scanner.tag import candidates as tagcand

        for name in ("PREFIXES", "STRONG_HEADS", "PHRASE_HEADS", "MODIFIERS"):
            words |= {w.lower() for w in getattr(tagcand, name, [])}
        function |= {w.lower() for w in getattr(tagcand, "FUNCTION_WORDS", set())}
    except ImportError:
        log.debug("tagger candidate heuristics unavailable")
    conf = getattr(catalogue, "candidates", None) or {}
    stop = conf.get("stopwords") if isinstance(conf, dict) else None
    for group in (stop.values() if isinstance(stop, dict) else [stop or []]):
        function |= {str(w).lower() for w in group}  # lexicon/candidates.yaml stopwords never start or end a term
    for key in ("prefixes", "strong_heads", "phrase_heads", "modifiers"):
        value = conf.get(key) if isinstance(conf, dict) else None
        items = value.values() if isinstance(value, dict) else [value or []]
        words |= {str(w).lower() for group in items for w in (group if isinstance(group, list) else [group])}
    return words, function


def tech_like(term: str, words: set[str], function: set[str], known_tokens: AbstractSet[str] = frozenset()) -> bool:
    """Content words only, not ending in a modifier, with a technology-like word no known candidate has."""
    tokens = term.split()
    if any(t in function for t in tokens) or tokens[-1] in words and tokens[-1] in MODIFIER_ENDS:
        return False
    hits = [t for t in tokens
            if t in words or any(t.startswith(w + "-") or t.endswith(w) for w in words if len(w) > 5)]
    return bool(hits) and not all(t in known_tokens for t in hits)


def discover_ngrams(recent: list[str], sources: list[str], back: list[str], cfg: dict[str, Any],
                    blocked: set[str], catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Bi- and trigrams frequent in the recent sample and (almost) absent from the background."""
    from sklearn.feature_extraction.text import CountVectorizer

    if len(recent) < cfg["ngram_min_documents"]:
        return pd.DataFrame(columns=["term", "documents", "sources"])
    vec = CountVectorizer(ngram_range=(2, 3), binary=True, min_df=cfg["ngram_min_documents"],
                          token_pattern=r"(?u)\b[^\W\d_][\w-]+\b", dtype=np.int32)
    try:
        x_recent = vec.fit_transform(recent).tocsc()
    except ValueError:
        return pd.DataFrame(columns=["term", "documents", "sources"])
    terms = vec.get_feature_names_out()
    bg_rate = np.asarray(vec.transform(back).sum(axis=0)).ravel() / max(len(back), 1) if back else np.zeros(len(terms))
    df = np.asarray(x_recent.sum(axis=0)).ravel()
    keep = np.flatnonzero(bg_rate <= cfg["ngram_max_background_rate"])
    src = np.asarray(sources)
    words, function = tech_words(catalogue)
    known_tokens = {tok for b in blocked for tok in b.split()}
    rows = []
    for j in keep:
        term = terms[j]
        if term in blocked or any(b in term or term in b for b in blocked if " " in b or len(b) > 6):
            continue
        if not tech_like(term, words, function, known_tokens):
            continue
        idx = x_recent.indices[x_recent.indptr[j]:x_recent.indptr[j + 1]]
        rows.append({"term": terms[j], "documents": int(df[j]), "sources": int(len(set(src[idx])))})
    return pd.DataFrame(rows, columns=["term", "documents", "sources"])


def tfidf_contrast(terms: list[str], recent: list[str], back: list[str]) -> dict[str, float]:
    """Mean TF-IDF in the recent sample vs the background, as (r - b) / (r + b) in [-1, 1]."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vocab = sorted({t for t in terms if t})
    if not vocab or not recent:
        return {}
    n_max = max(len(t.split()) for t in vocab)
    vec = TfidfVectorizer(vocabulary=vocab, ngram_range=(1, n_max), sublinear_tf=True,
                          token_pattern=r"(?u)\b\w[\w-]*\b")
    x = vec.fit_transform(recent + back)
    r = np.asarray(x[:len(recent)].mean(axis=0)).ravel()
    b = np.asarray(x[len(recent):].mean(axis=0)).ravel() if back else np.zeros(len(vocab))
    score = np.divide(r - b, r + b, out=np.zeros_like(r), where=(r + b) > 0)
    return {t: float(s) for t, s, rr in zip(vec.get_feature_names_out(), score, r) if rr > 0}


def score_terms(cand: pd.DataFrame, as_of: date, recent_from: str, n_recent: int, n_back: int,
                cfg: dict[str, Any]) -> pd.DataFrame:
    """Aggregate candidate rows per term and compute the four components (vectorised)."""
    mid = add_months(as_of, -(cfg["recent_months"] // 2)).isoformat()
    cand = cand.assign(recent=cand["day"] >= recent_from, late=cand["day"] >= mid)
    cand = cand.assign(early=cand["recent"] & ~cand["late"])
    agg = cand.groupby("term").agg(documents=("document_id", "nunique"), sources=("source_id", "nunique"),
                                   first_seen=("day", "min"), recent_docs=("recent", "sum"),
                                   late_docs=("late", "sum"), early_docs=("early", "sum")).reset_index()
    agg = agg[(agg["documents"] >= cfg["min_documents"]) & (agg["sources"] >= cfg["min_sources"])]
    if agg.empty:
        return agg
    first = pd.to_datetime(agg["first_seen"]).to_numpy(dtype="datetime64[D]")
    age = ((np.datetime64(as_of) - first).astype(np.int64)) / 30.44
    agg["novelty"] = np.exp(-age / cfg["novelty_months"])
    k = cfg["growth_pseudo_count"]
    agg["growth"] = (agg["late_docs"] + k) / (agg["early_docs"] + k) - 1.0
    agg["spread"] = np.minimum(1.0, np.log1p(agg["sources"]) / math.log1p(cfg["sources_ref"]))
    eps = 1.0 / max(n_recent + n_back, 1)
    back_docs = agg["documents"] - agg["recent_docs"]
    ratio = (agg["recent_docs"] / max(n_recent, 1) + eps) / (back_docs / max(n_back, 1) + eps)
    agg["contrast"] = np.tanh(np.log(ratio) / 3.0).clip(lower=0.0)
    return agg


def combine(agg: pd.DataFrame, cfg: dict[str, Any]) -> pd.DataFrame:
    comp_growth = 0.5 + 0.5 * np.tanh(np.log1p(agg["growth"].clip(lower=-0.999)))
    score = (cfg["weight_novelty"] * agg["novelty"] + cfg["weight_growth"] * comp_growth
             + cfg["weight_spread"] * agg["spread"] + cfg["weight_contrast"] * agg["contrast"])
    total = cfg["weight_novelty"] + cfg["weight_growth"] + cfg["weight_spread"] + cfg["weight_contrast"]
    agg = agg.assign(score=(score / total * agg["penalty"]).round(4))
    return agg.sort_values(["score", "documents", "term"], ascending=[False, False, True])


def weigh_term_likeness(agg: pd.DataFrame, cfg: dict[str, Any], catalogue: Catalogue) -> pd.DataFrame:
    """Scale the penalty of each term the shape rules would not find on their own by how term-like its
    least term-like word is (the term model, whose low per-document threshold favours recall):
    likeness / (likeness + term_likeness_half). Without a trained model every term keeps its penalty."""
    model = load_term_model()
    if model is None:
        return agg.assign(likeness=1.0)
    shapes = CandidateFinder(build_rules(catalogue))
    likeness = np.array([model.term_likeness(str(t)) for t in agg["term"]])
    by_shape = np.array([str(t) in shapes.find(str(t)) for t in agg["term"]], dtype=bool)
    factor = np.where(by_shape, 1.0, likeness / (likeness + float(cfg["term_likeness_half"])))
    return agg.assign(likeness=likeness, penalty=agg["penalty"] * factor)


def merge_variants(cand: pd.DataFrame, rules: list[tuple[re.Pattern, str]]) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Rename every candidate to its key's most documented spelling; also return key -> spellings."""
    if cand.empty:
        return cand.assign(key=pd.Series(dtype=str)), {}
    keys = {t: variant_key(t, rules) for t in cand["term"].unique()}
    cand = cand.assign(key=cand["term"].map(keys))
    counts = cand.groupby(["key", "term"])["document_id"].nunique().reset_index(name="n")
    counts = counts.assign(length=counts["term"].str.len()).sort_values(["key", "n", "length", "term"],
                                                                        ascending=[True, False, True, True])
    canonical = counts.drop_duplicates("key").set_index("key")["term"].to_dict()
    variants = counts.groupby("key")["term"].apply(list).to_dict()
    merged = cand.assign(term=cand["key"].map(canonical)).drop_duplicates(["term", "document_id"])
    return merged, variants


def decisions(store, rules: list[tuple[re.Pattern, str]]) -> dict[str, dict[str, Any]]:
    """Variant key -> the analyst's decision on an emerging term: status accepted|rejected, stored row, reason."""
    if not (store.db["emerging_terms"].exists() and store.db["flags"].exists()):
        return {}
    rows = store.query("SELECT term, score, documents, sources, first_seen, growth, examples, status, as_of "
                       "FROM emerging_terms WHERE status IN ('accepted', 'rejected') ORDER BY term")
    reasons = {r["subject"]: r["reason"] for r in store.query(
        "SELECT subject, reason FROM flags WHERE type = 'emerging-term' AND status = 'rejected' ORDER BY id")}
    return {variant_key(r["term"], rules): {**r, "reason": reasons.get(r["term"])} for r in rows}


def example_documents(store, terms: list[str], doc_ids: list[int], limit: int) -> list[dict[str, Any]]:
    """Up to `limit` sentences containing the term (any of its spellings), newest documents first, each with
    its document id, title, url, source id and date."""
    if not doc_ids or not terms:
        return []
    marks = ",".join("?" for _ in doc_ids)
    rows = store.query(
        "SELECT id AS document_id, COALESCE(text, summary, '') AS text, COALESCE(title, '') AS title, "
        f"COALESCE(canonical_url, url) AS url, source_id, published FROM documents WHERE id IN ({marks}) "
        "ORDER BY published DESC, id DESC", tuple(doc_ids))
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    out: list[dict[str, Any]] = []
    for row in rows:
        for sentence in SENTENCE.split(f"{row['title']}. {row['text']}"[:20000]):
            if pattern.search(sentence) and sentence.strip()[:300] not in [o["sentence"] for o in out]:
                out.append({"document_id": row["document_id"], "title": row["title"], "url": row["url"],
                            "source_id": row["source_id"], "published": row["published"],
                            "sentence": sentence.strip()[:300]})
                break
        if len(out) >= limit:
            break
    return out


def examples_for(store, term: str, doc_ids: list[int], limit: int) -> list[str]:
    """Up to `limit` sentences containing the term, from the newest documents first."""
    return [e["sentence"] for e in example_documents(store, [term], doc_ids, limit)]


def ngram_doc_ids(store, as_of: date, term: str, recent_from: str, limit: int = 20) -> list[int]:
    rows = store.conn.execute(
        f"SELECT d.id FROM documents d WHERE {frames.LIVE_DOCS} AND d.published >= ? "
        "AND instr(lower(COALESCE(d.title, '') || ' ' || COALESCE(d.text, '')), ?) > 0 ORDER BY d.id DESC LIMIT ?",
        (cutoff(as_of), recent_from, term, limit)).fetchall()
    return [r[0] for r in rows]


def _decided_row(key: str, d: dict[str, Any]) -> dict[str, Any]:
    """A decided term no longer computed (its spelling joined the catalogue, or rejected): its stored figures."""
    try:
        examples = [str(x) for x in json.loads(d.get("examples") or "[]")]
    except ValueError:
        examples = []
    return {"term": d["term"], "score": float(d.get("score") or 0.0), "documents": int(d.get("documents") or 0),
            "first_seen": str(d.get("first_seen") or "")[:10], "examples": examples,
            "status": d["status"], "sources": int(d.get("sources") or 0), "growth": float(d.get("growth") or 0.0),
            "key": key, "variants": [d["term"]], "example_documents": [], "origin": "decision",
            **({"reason": d["reason"]} if d["status"] == "rejected" and d.get("reason") else {})}


def find(store, as_of: date, catalogue: Catalogue, cfg: dict[str, Any], top: int,
         include_rejected: bool = False) -> list[dict[str, Any]]:
    """Contract `scanner emerging --json` objects (+ sources, growth, components, key, variants,
    example_documents), best first.

    Spelling variants are merged under one key (variant_key). `status` is candidate, accepted or rejected;
    accepted terms are always listed (beside the `top` candidates), rejected ones only with include_rejected."""
    rules = variant_rules(catalogue)
    decided = decisions(store, rules)
    recent_from = add_months(as_of, -cfg["recent_months"]).isoformat()
    n_recent, n_back = window_counts(store, as_of, recent_from)
    blocked = blocked_terms(store, catalogue)
    blocked_keys = {variant_key(b, rules) for b in blocked}
    cand = candidate_rows(store, as_of)
    if not cand.empty:
        cand = cand[~cand["term"].isin(blocked) & (cand["term"].str.len() > 1)]
    cand, variants = merge_variants(cand, rules)
    if not cand.empty:
        cand = cand[~cand["key"].isin(blocked_keys - set(decided))]
    agg = score_terms(cand, as_of, recent_from, n_recent, n_back, cfg) if not cand.empty else pd.DataFrame()
    if not agg.empty:
        agg = agg.assign(penalty=1.0, origin="tagger")
    recent, sources, back, _ = sample_texts(store, as_of, recent_from, cfg["ngram_sample"])
    known = set(cand["term"]) if not cand.empty else set()
    grams = discover_ngrams(recent, sources, back, cfg, blocked | known, catalogue)
    grams = grams[(grams["documents"] >= cfg["ngram_min_documents"]) & (grams["sources"] >= cfg["min_sources"])]
    if not grams.empty:  # a phrase is not news when one of its spellings is already listed or known
        gkeys = grams["term"].map(lambda t: variant_key(t, rules))
        taken = set(cand["key"]) if not cand.empty else set()
        grams = grams.assign(key=gkeys)[~gkeys.isin((taken | blocked_keys) - set(decided))]
        grams = grams.sort_values(["documents", "term"], ascending=[False, True]).drop_duplicates("key")
        grams = grams.drop(columns="key")
    contrast = tfidf_contrast(list(agg["term"]) if not agg.empty else [], recent, back)
    if not agg.empty:
        agg["contrast"] = [max(c, contrast.get(t, c)) for t, c in zip(agg["term"], agg["contrast"])]
    if not grams.empty:
        grams = grams.assign(first_seen=recent_from, novelty=1.0, growth=0.0, contrast=1.0,
                             spread=np.minimum(1.0, np.log1p(grams["sources"]) / math.log1p(cfg["sources_ref"])),
                             penalty=cfg["ngram_penalty"], origin="ngram")
        agg = pd.concat([agg, grams], ignore_index=True) if not agg.empty else grams
    if not agg.empty:
        agg = weigh_term_likeness(agg, cfg, catalogue)
    ranked = combine(agg, cfg) if not agg.empty else pd.DataFrame(columns=["term", "score", "documents"])
    keys = [variant_key(t, rules) for t in ranked["term"]]
    status = [decided.get(k, {}).get("status", "candidate") for k in keys]
    ranked = ranked.assign(key=keys, status=status)
    shown = ranked[ranked["status"] == "candidate"].head(top)
    best = pd.concat([shown, ranked[ranked["status"] == "accepted"]]
                     + ([ranked[ranked["status"] == "rejected"]] if include_rejected else []))
    best = best.sort_values(["score", "documents", "term"], ascending=[False, False, True])
    docs_by_term = cand.sort_values("document_id", ascending=False).groupby("term")["document_id"].apply(
        lambda s: list(s[:20])).to_dict() if not cand.empty else {}
    out = []
    for r in best.itertuples(index=False):
        ids = docs_by_term.get(r.term) or ngram_doc_ids(store, as_of, r.term, recent_from)
        spellings = variants.get(r.key) or [r.term]
        examples = example_documents(store, spellings, ids, cfg["examples"])
        item = {"term": r.term, "score": float(r.score), "documents": int(r.documents),
                "first_seen": str(r.first_seen)[:10], "examples": [e["sentence"] for e in examples],
                "status": r.status, "sources": int(r.sources), "growth": round(float(r.growth), 4),
                "novelty": round(float(r.novelty), 4), "contrast": round(float(r.contrast), 4),
                "spread": round(float(r.spread), 4), "term_likeness": round(float(r.likeness), 4),
                "origin": r.origin, "key": r.key,
                "variants": spellings, "example_documents": examples}
        if r.status == "rejected" and decided[r.key].get("reason"):
            item["reason"] = decided[r.key]["reason"]
        out.append(item)
    listed = {o["key"] for o in out}
    for key, d in decided.items():  # decided terms the computation no longer finds stay visible
        if key not in listed and (d["status"] == "accepted" or include_rejected):
            out.append(_decided_row(key, d))
    return out


def catalogue_proposals(items: list[dict[str, Any]], catalogue: Catalogue) -> list[dict[str, Any]]:
    """Accepted emerging terms as proposals for the catalogue: the term, its spellings (nl/en terms for a new
    entry or synonyms), figures and whether a catalogue entry already covers it."""
    known = {term_key(str(t)) for t in blocked_terms_from_catalogue(catalogue)}
    return [{"term": t["term"], "terms": sorted(set(t.get("variants") or [t["term"]])),
             "documents": int(t["documents"]), "sources": int(t.get("sources") or 0),
             "first_seen": t["first_seen"], "example": (t.get("examples") or [""])[0],
             "in_catalogue": term_key(t["term"]) in known}
            for t in items if t.get("status") == "accepted"]


def blocked_terms_from_catalogue(catalogue: Catalogue) -> set[str]:
    """Every term, name and abbreviation of the catalogue's technologies (lower case)."""
    out: set[str] = set()
    for tech in getattr(catalogue, "technologies", {}).values():
        out |= {str(getattr(tech, a, "") or "").lower() for a in ("id", "name", "name_en")}
        terms = tech.all_terms() if hasattr(tech, "all_terms") else []
        out |= {str(t).lower() for t in terms + list(getattr(tech, "abbreviations", []) or [])}
    return out - {""}
