"""The term model (scanner/tag/termlike.py): cached additive scores, runs, the portable format, training."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.tag.termlike import TermModel, left_features, own_features, right_features, runs, token_features, word_ok
from scanner.train.termlike import TermDoc, fit, gold_positions


def toy_model() -> TermModel:
    vocab = {"s:inner_cap": 0, "z:0": 1, "p:de": 2, "n:is": 3, "w:gebruiken": 4}
    return TermModel(vocab, np.array([2.0, 1.5, -0.5, 0.7, -3.0]), -2.0, threshold=0.5, extend=0.2)


def full_logit(model: TermModel, words: list[str], i: int) -> float:
    return model.intercept + sum(model.coef[model.vocab[f]] for f in token_features(words, i) if f in model.vocab)


@given(st.lists(st.sampled_from(["De", "ChatGPT", "is", "gebruiken", "qwzx", "de", "Copilot", "-", "AI"]),
                min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_cached_parts_add_up_to_the_full_features(words):
    model = toy_model()
    expected = 1 / (1 + np.exp(-np.array([full_logit(model, words, i) for i in range(len(words))])))
    assert np.allclose(model.probabilities(words), expected)


def test_runs_need_one_seed_token_and_stop_at_function_words_and_line_breaks():
    words = ["Microsoft", "Copilot", "en", "Gemini", "Pro"]
    ok = np.array([word_ok(w) for w in words])
    starts, ends = [0, 10, 18, 21, 28], [9, 17, 20, 27, 31]
    text = "Microsoft Copilot en Gemini Pro"
    assert runs(np.array([0.3, 0.9, 0.9, 0.3, 0.3]), ok, starts, ends, text, 0.5, 0.2) == [(0, 17)]
    assert runs(np.array([0.3, 0.3, 0.9, 0.3, 0.3]), ok, starts, ends, text, 0.5, 0.2) == []
    broken = "Microsoft\nCopilot en Gemini Pro"
    assert runs(np.array([0.9, 0.9, 0.1, 0.1, 0.1]), ok, starts, ends, broken, 0.5, 0.2) == [(0, 9), (10, 17)]
    assert runs(np.full(5, 0.9), ok, starts, ends, text, 0.5, 0.2, max_words=1) == []


def test_blank_tokens_are_skipped_so_line_breaks_do_not_change_scores():
    model = toy_model()
    spaced = "De ChatGPT is"
    broken = "De\nChatGPT is"
    assert model.spans(spaced, [0, 3, 11], [2, 10, 13]) == [(3, 10)]
    assert model.spans(broken, [0, 2, 3, 11], [2, 3, 10, 13]) == [(3, 10)]  # "\n" as its own token


def test_portable_format_round_trips(tmp_path):
    model = toy_model()
    model.to_disk(tmp_path / "m")
    again = TermModel.from_disk(tmp_path / "m")
    words = ["De", "ChatGPT", "is", "gebruiken"]
    assert np.allclose(again.probabilities(words), model.probabilities(words))
    assert (again.threshold, again.extend) == (0.5, 0.2)
    (tmp_path / "m" / "termlike.json").write_text('{"format": "other"}')
    with pytest.raises(ValueError):
        TermModel.from_disk(tmp_path / "m")


def test_training_learns_term_words_from_labelled_tokens():
    texts = [f"De gemeente gebruikt Zorbix voor meldingen {i}." for i in range(20)]
    texts += [f"Het college bespreekt de begroting {i}." for i in range(20)]
    docs = []
    for text in texts:
        words = text.replace(".", " .").split()
        starts = [text.index(w) for w in words]
        ends = [s + len(w) for s, w in zip(starts, words)]
        gold = ["zorbix"] if "Zorbix" in text else []
        docs.append(TermDoc(text, "site.nl", words, starts, ends, gold_positions(text, gold, starts, ends),
                            np.array([word_ok(w) for w in words]), gold, []))
    model = fit(docs, {"term_min_df": 1, "term_C": 1.0, "seed": 1})
    probs = model.probabilities("Vandaag gebruikt Zorbix de begroting".split())
    assert probs[2] > 0.5 > max(probs[0], probs[1], probs[3], probs[4])


def test_one_model_serves_many_threads():
    """Prefect's task runners share the tagger: a growing word table must not be read half-grown."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [" ".join(f"w{i}x{j} ChatGPT de" for j in range(40)) for i in range(40)]

    def spans_of(model: TermModel, text: str) -> list[tuple[int, int]]:
        starts, ends, at = [], [], 0
        for word in text.split(" "):
            starts.append(at)
            ends.append(at + len(word))
            at += len(word) + 1
        return model.spans(text, starts, ends)

    alone = [spans_of(toy_model(), t) for t in texts]
    shared = toy_model()
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda t: spans_of(shared, t), texts))
    assert together == alone and any(alone)


def test_a_full_word_table_starts_over_without_losing_the_call_s_words():
    model = toy_model()
    model.cache_size = 4
    first = model.probabilities(["De", "ChatGPT", "is"])
    again = model.probabilities(["De", "Copilot", "qwzx"])  # passes the size: the table starts over
    assert len(model._index) <= 4
    assert np.allclose(again, toy_model().probabilities(["De", "Copilot", "qwzx"]))
    assert np.allclose(model.probabilities(["De", "ChatGPT", "is"]), first)


def test_any_whitespace_but_the_space_ends_a_run():
    ok = np.array([True, True])
    for gap in ("\t", "\r", "\u2028", "\f"):
        text = f"Microsoft{gap}Copilot"
        assert runs(np.array([0.9, 0.9]), ok, [0, 10], [9, 17], text, 0.5, 0.2) == [(0, 9), (10, 17)]


def test_emerging_weighs_down_what_only_the_term_model_proposed():
    import pandas as pd

    from scanner.config import load_config
    from scanner.signals.emerging import weigh_term_likeness
    from scanner.tag.rules import default_catalogue

    agg = pd.DataFrame({"term": ["ai-agent", "klaar zodat", "chatgpt"], "penalty": [1.0, 1.0, 0.6]})
    out = weigh_term_likeness(agg, load_config()["emerging"], default_catalogue()).set_index("term")
    assert out.loc["ai-agent", "penalty"] == 1.0  # the shape rules find it on their own: kept as it was
    assert out.loc["klaar zodat", "penalty"] < 0.5 < out.loc["chatgpt", "penalty"] / 0.6


def test_candidate_runs_are_trimmed_checked_and_give_way_to_shape_hits():
    from scanner.tag.candidates import CandidateFinder
    from scanner.tag.rules import default_rules

    finder = CandidateFinder(default_rules())
    text = "De nieuwe zorgbot helpt. Het systeem werkt. Een slimme oplossing. Generatieve AI zal helpen."
    at = text.index
    runs_ = [(at("nieuwe"), at("zorgbot") + 7), (at("systeem"), at("systeem") + 7),
             (at("slimme"), at("oplossing") + 9), (at("Generatieve"), at("zal") + 3)]
    found = finder.find(text, [], runs_)
    assert "zorgbot" in found and "nieuwe zorgbot" not in found  # a stopword at the edge is trimmed
    assert "systeem" not in found and "slimme oplossing" not in found  # a generic head or noun is no term
    assert "generatieve ai" in found and "generatieve ai zal" not in found  # the shape hit wins the overlap


def test_the_threshold_is_chosen_out_of_fold_for_the_recall_target():
    from scanner.train.realtext import RealRecord
    from scanner.train.termlike import THRESHOLDS, train

    def rec(i: int, text: str, emerging: list[str]) -> RealRecord:
        return RealRecord(id=f"t{i}", site=f"site{i % 4}.nl", lang="nl", title="", text=text, split="train",
                          tech_required=[], tech_acceptable=[], domains=[], stage="none", mention_stages={},
                          emerging=emerging, municipal=True)

    records = [rec(i, f"De gemeente werkt met Zorbix{i % 3} aan meldingen, zegt wethouder {i}.",
                   [f"zorbix{i % 3}"]) for i in range(16)]
    records += [rec(100 + i, f"Het college bespreekt de begroting van jaar {i}.", []) for i in range(16)]
    model, fit = train(records, {"term_min_df": 1, "term_C": 1.0, "seed": 1, "folds": 2, "term_recall": 0.75,
                                 "term_extend_ratio": 0.2})
    assert fit["threshold"] in {round(float(t), 6) for t in THRESHOLDS}
    assert fit["oof_recall"] >= 0.75 and fit["gold_terms"] == 16
    assert model.threshold == fit["threshold"] and model.extend == round(fit["threshold"] * 0.2, 6)
    assert fit["curve"][0][1] >= fit["curve"][-1][1]  # a lower threshold never finds fewer gold terms here
    _, unreachable = train(records, {"term_min_df": 1, "term_C": 1.0, "seed": 1, "folds": 2, "term_recall": 1.01,
                                     "term_extend_ratio": 0.2})
    best = max(r for _, r, _ in unreachable["curve"])
    assert unreachable["oof_recall"] == best  # no threshold reaches the target: the best recall there is ...
    highest = max(t for t, r, _ in unreachable["curve"] if r == best)
    assert abs(unreachable["threshold"] - highest) < 1e-5  # ... at the highest threshold (fewest candidates)


@pytest.fixture(scope="module")
def shipped_term_model() -> TermModel:
    from scanner.tag.termlike import load_term_model

    model = load_term_model()
    if model is None:
        pytest.skip("no term model installed")
    return model


@given(st.text(alphabet=st.sampled_from("abcdeiklmnorstuAIGC5-'é "), min_size=1, max_size=14))
@settings(max_examples=300, deadline=None)
def test_word_weights_are_exactly_the_numpy_sums_they_replaced(shipped_term_model, word):
    """_weight adds Python floats in feature order: bit for bit the sum() over coef[i] it replaced."""
    model = shipped_term_model
    for features in (own_features(word), left_features(word), right_features(word)):
        reference = float(sum(model.coef[i] for f in features if (i := model.vocab.get(f)) is not None))
        assert model._weight(features) == reference


@pytest.fixture(scope="module")
def nl_pipeline():
    from scanner.tag.tagger import Tagger

    return Tagger().nlp("nl")


@given(st.lists(st.sampled_from(["De", "ChatGPT", "is", "gebruiken", "generatieve", "AI", "\n", "  ", "-", "Copilot",
                                 "zorgrobot", "5G-netwerk", "en", "qwzx"]), max_size=30))
@settings(max_examples=100, deadline=None)
def test_spans_from_offset_arrays_equal_spans_from_lists(shipped_term_model, nl_pipeline, words):
    """The pipeline hands the term model its token offsets as arrays too (pipeline.token_offset_arrays)."""
    from scanner.tag.pipeline import token_offset_arrays, token_offsets

    doc = nl_pipeline.make_doc(" ".join(words))
    starts, ends = token_offsets(doc)
    arrays = token_offset_arrays(doc)
    assert arrays[0].tolist() == starts and arrays[1].tolist() == ends
    assert shipped_term_model.spans(doc.text, starts, ends, arrays) == shipped_term_model.spans(doc.text, starts, ends)


@given(st.lists(st.sampled_from(["De", "ChatGPT", "is", "gebruiken", "generatieve", "AI", "\n", "  ", "-", "Copilot",
                                 "zorgrobot", "5G-netwerk", "en", "qwzx", "\u00a0", "Gemini"]), max_size=30),
       st.sampled_from([3, 8, 200_000]), st.sampled_from([1, 4, 1024]))
@settings(max_examples=60, deadline=None)
def test_spans_read_by_orth_hash_equal_spans_read_by_text(nl_pipeline, words, cache_size, merge):
    """The tagger reads the word table by each token's ORTH hash, from a doc of the line-break-normalised
    text (scanner/tag/normalise.py), while `text` keeps its line breaks; also when the table starts over
    part-way through a text and when the added hashes are sorted in after every few."""
    from scanner.tag import termlike
    from scanner.tag.normalise import tokenizer_text
    from scanner.tag.pipeline import token_offset_arrays, token_offsets, token_orths

    by_orth, by_text = TermModel.from_disk(termlike.default_path()), TermModel.from_disk(termlike.default_path())
    by_orth.cache_size = by_text.cache_size = cache_size
    half = len(words) // 2
    saved, termlike.ORTH_MERGE = termlike.ORTH_MERGE, merge
    try:  # texts whose words the table knows in part, in full or not at all
        for text in (" ".join(words[:half]), " ".join(words), " ".join(words[half:]), " ".join(words)):
            doc = nl_pipeline.make_doc(tokenizer_text(text))
            starts, ends = token_offsets(doc)
            got = by_orth.spans(text, starts, ends, token_offset_arrays(doc), token_orths(doc))
            assert got == by_text.spans(text, starts, ends)
    finally:
        termlike.ORTH_MERGE = saved
