"""Units of the tagger: variants, trie regex, language, stage rules and the trained-model slot, factors, bench."""
from __future__ import annotations

import re

import pytest

from test_tag_support import fixture_tagger, found_ids, real_tagger, tag


def test_generated_variants() -> None:
    from scanner.tag.variants import abbreviation_forms, inflect, safe_lower

    assert {"sensoren", "sensors", "sensortje", "sensortjes"} & inflect("sensor") >= {"sensoren", "sensors"}
    assert {"digital-twin", "digital twins"} <= inflect("digital twin")
    assert {"email", "e mail"} <= inflect("e-mail")
    assert inflect("app") == {"app"}  # short terms get no generated forms (appen, appje are other words)
    assert "RPA's" in abbreviation_forms("RPA") and abbreviation_forms("LoRa") == {"LoRa"}
    assert len(safe_lower("İstanbul")) == len("İstanbul")


def test_trie_pattern_matches_longest_word() -> None:
    from scanner.tag.trie import trie_pattern

    words = ["camera", "camera's", "cameras", "cam", "drone metal", "a.b"]
    regex = re.compile(trie_pattern(words))
    assert regex.fullmatch("camera's") and regex.fullmatch("drone   metal") and regex.fullmatch("a.b")
    assert not regex.fullmatch("axb")
    assert [m.group() for m in regex.finditer("de cameras")] == ["cameras"]


def test_detect_language_edge_cases() -> None:
    from scanner.tag.language import detect, detect_language

    assert detect_language("") == "other"
    assert detect_language("   \n\t ") == "other"
    assert detect_language("12345 %%% ###") == "other"
    assert detect("Der Gemeinderat hat heute beschlossen, die Straßen zu erneuern.")[0] == "other"
    assert detect("Der Gemeinderat hat heute beschlossen, die Straßen zu erneuern.")[1] in ("nl", "en")


def test_rule_stage_agrees_with_pipeline() -> None:
    from scanner.tag.stage import StageRules

    rules = StageRules(real_tagger().rules)
    for text, lang in [("De gemeente start een proef met drones.", "nl"),
                       ("The tender for the new system was published.", "en"),
                       ("Na een datalek is het project stopgezet.", "nl"),
                       ("Geen enkele aanwijzing hier.", "nl")]:
        stage, scores = rules(text, lang)
        assert stage == tag(text)["stage"]
        assert abs(sum(scores.values()) - 1) < 1e-3


def test_module_rule_stage_uses_default_catalogue() -> None:
    from scanner.tag.stage import rule_stage

    assert rule_stage("De aanbesteding is gegund.", "nl")[0] == "procurement"
    assert rule_stage("Nothing to see.", "en") == ("none", {"research": 0.0, "pilot": 0.0, "procurement": 0.0,
                                                             "adoption": 0.0, "policy": 0.0, "setback": 0.0,
                                                             "none": 1.0})


def test_sentence_stage_beats_document_stage() -> None:
    result = tag("De gemeente start een proef met drones. Elders zijn camera's al jaren in gebruik genomen. "
                 "De chatbot beantwoordt vragen.")
    by_id = {m["id"]: m for m in result["technologies"]}
    assert by_id["drones"]["stage"] == "pilot"
    assert by_id["cameras"]["stage"] == "adoption"
    assert by_id["chatbots"]["stage"] == result["stage"]


class FakeModel:
    version = "fake-1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def predict(self, texts: list[str], langs: list[str]) -> list[dict[str, float]]:
        self.calls.append(list(texts))
        return [{"setback": 0.7, "pilot": 0.2, "none": 0.1} for _ in texts]


def test_trained_stage_model_plugs_in() -> None:
    from scanner.tag.stage import StageModel
    from scanner.tag.tagger import Tagger

    model = FakeModel()
    assert isinstance(model, StageModel)
    tagger = Tagger(real_tagger().catalogue, config={"use_stage_model": True, "use_relevance_model": False,
                                                     "use_label_model": False, "use_term_model": False},
                    stage_model=model)
    docs = [{"id": "1", "text": "De chatbot helpt inwoners. Een proef met drones."}, {"id": "2", "text": ""}]
    results = list(tagger.tag_many(docs))
    assert results[0]["stage"] == "setback" and results[0]["stage_scores"]["setback"] == 0.7
    by_id = {m["id"]: m for m in results[0]["technologies"]}
    # every mention carries the evaluated document stage: what the store keeps is what was evaluated
    assert by_id["chatbots"]["stage"] == by_id["drones"]["stage"] == "setback"
    assert by_id["drones"]["stage_score"] == 0.7
    assert "error" in results[1] and len(model.calls[0]) == 1
    plain = list(tagger.tag_many([{"id": "3", "text": "De gemeente verhoogt de hondenbelasting."}]))[0]
    # the model decides `none` too: a text naming a technology only loosely still has a stage (DECISIONS D8)
    assert plain["stage"] == "setback" and not plain["technologies"]
    assert tagger.version.endswith("+fake-1")


def test_spacy_textcat_directory_loads_as_stage_model(tmp_path, monkeypatch) -> None:
    import spacy

    from scanner.tag.stage import LABELS, load_stage_model
    from scanner.tag.tagger import Tagger

    assert load_stage_model(tmp_path / "missing") is None
    nlp = spacy.blank("nl")
    textcat = nlp.add_pipe("textcat")
    for label in LABELS:
        textcat.add_label(label)
    nlp.initialize()
    nlp.meta["name"], nlp.meta["version"] = "stage", "0.0.1"
    nlp.to_disk(tmp_path / "stage")
    model = load_stage_model(tmp_path / "stage")
    assert model is not None and model.version == "model-stage-0.0.1"
    scores = model.predict(["Een proef met drones."], ["nl"])[0]
    assert set(scores) == set(LABELS) and abs(sum(scores.values()) - 1) < 1e-3
    monkeypatch.setenv("SCANNER_MODEL_DIR", str(tmp_path))
    tagger = Tagger(real_tagger().catalogue)
    assert tagger.model_version == "model-stage-0.0.1"
    assert set(tagger.tag({"id": "x", "text": "Een chatbot."})["stage_scores"]) == set(LABELS)


def test_rules_version_when_no_model() -> None:
    tagger = real_tagger()
    assert tagger.model_version.startswith("rules-")
    assert tagger.version == f"{tagger.catalogue.version}+{tagger.model_version}"


def test_factors_driver_and_barrier() -> None:
    result = tag("De camera's zijn te duur en er zijn privacybezwaren, maar ze zijn wel betrouwbaar.")
    pairs = {(f["factor"], f["polarity"]) for f in result["factors"]}
    assert ("price", "barrier") in pairs
    assert all(0 < f["score"] <= 1 for f in result["factors"])


def test_fixture_lexicon_in_raw_yaml_schema() -> None:
    tagger = fixture_tagger()
    result = tagger.tag({"id": "f", "text": "Parkeersensoren en een AI-chatbot; de cloud boven de stad bracht regen."})
    assert found_ids(result) == {"sensornetwerken", "chatbots", "machine-learning"}
    result = tagger.tag({"id": "g", "text": "Een e-mail en een email over de Wmo-aanvraag in Utrecht."})
    assert [m["text"] for m in result["technologies"]] == ["e-mail", "email"]
    assert result["processes"][0]["domain"] == "sociaal-domein"


def test_overlap_longest_span_wins_but_process_and_technology_may_overlap() -> None:
    from scanner.tag.compounds import Hit
    from scanner.tag.resolve import resolve_overlaps
    from scanner.tag.rules import Target

    hits = [Hit(Target("technology", "a", "x"), 0, 5, "term"), Hit(Target("technology", "b", "y"), 2, 12, "term"),
            Hit(Target("technology", "c", "z"), 12, 14, "term"), Hit(Target("process", "p", "w"), 0, 5, "term")]
    kept = {(h.target.id, h.start) for h in resolve_overlaps(hits)}
    assert kept == {("b", 2), ("c", 12), ("p", 0)}


@pytest.mark.slow
def test_bench_reports_the_figures() -> None:
    from scanner.bench.tag import bench_tag

    figures = bench_tag(n=40, words=120, seed=1, scaling_docs=60)
    assert set(figures) >= {"docs_per_s", "without_classifiers_docs_per_s", "tokenizer_only_docs_per_s", "ratio",
                            "docs", "words_per_doc", "peak_rss_mb", "classify_scaling"}
    assert figures["docs"] == 40 and figures["ratio"] > 0 and figures["words_per_doc"] > 100
    assert figures["classify_scaling"]["docs"] == 60 and figures["classify_scaling"]["scaling"] > 0


def test_relevance_model_adds_confident_municipal_and_model_factors() -> None:
    from scanner.tag.relevance import merge

    result = {"municipal": False, "municipal_score": 0.2, "factors": [{"factor": "price", "polarity": "driver",
                                                                        "score": 0.5}]}
    merge(result, {"municipal": 0.97, "price:driver": 0.9, "price:barrier": 0.7, "customers:driver": 0.3},
          threshold=0.5, municipal_threshold=0.95)
    assert result["municipal"] is True and result["municipal_score"] == 0.97
    assert [(f["factor"], f["polarity"]) for f in result["factors"]] == [("price", "driver"), ("price", "barrier")]
    unsure = {"municipal": False, "municipal_score": 0.1, "factors": []}
    merge(unsure, {"municipal": 0.9}, threshold=0.5, municipal_threshold=0.95)
    assert unsure["municipal"] is False and unsure["municipal_model"] == 0.9


def test_shipped_relevance_model_loads_and_versions_the_tagger() -> None:
    from scanner.tag.relevance import load_relevance_model
    from scanner.tag.tagger import Tagger

    model = load_relevance_model()
    assert model is not None
    scores = model.predict(["Wethouder Jansen opent het nieuwe loket van de afdeling Burgerzaken."])[0]
    assert scores["municipal"] > 0.9
    assert model.version in Tagger(real_tagger().catalogue).model_version


def test_mentions_carry_the_municipalities_of_their_own_and_adjacent_sentences() -> None:
    text = ("Utrecht zet een chatbot in. Het weer is goed. Het weer blijft goed. "
            "Best is het om drones te testen, zegt de gemeente Ede.")
    result = real_tagger().tag({"id": "m", "text": text})
    by_id = {m["id"]: m for m in result["technologies"]}
    assert by_id["chatbots"]["municipalities"] == ["Utrecht"]  # Ede is three sentences away
    assert by_id["drones"]["municipalities"] == ["Ede"]  # "Best" opens a sentence: a word, not the town
    assert by_id["drones"]["sent_index"] == by_id["chatbots"]["sent_index"] + 3


@pytest.mark.parametrize("text, tokens", [
    ("Log in met DigiD.", ["Log", "in", "met", "DigiD", "."]),
    ("Meer IoT. En 5G.", ["Meer", "IoT", ".", "En", "5", "G", "."]),  # spaCy splits 5G as a unit, as in the matcher
    ("Gebruik ChatGPT.", ["Gebruik", "ChatGPT", "."]),
    ("Dhr. J. de Vries en U.S. Steel.", ["Dhr.", "J.", "de", "Vries", "en", "U.S.", "Steel", "."]),
])
def test_tokenizer_splits_the_period_after_a_final_capital_only(text: str, tokens: list[str]) -> None:
    import spacy

    from scanner.tag.tokenizer_rules import split_capital_final_period

    nlp = spacy.blank("nl")
    split_capital_final_period(nlp)
    assert [t.text for t in nlp(text)] == tokens


def test_a_term_of_several_words_opening_a_hyphenated_word_is_found() -> None:
    text = "De gemeente werkt aan een smart city-strategie en een digital twin-project."
    mentions = tag(text)["technologies"]
    assert [(m["id"], text[m["start"]:m["end"]]) for m in mentions] == [
        ("slimme-infrastructuren", "smart city"), ("digital-twins", "digital twin")]
    assert found_ids(tag("Het city-plan en de twin-kamer.")) == set()  # one word before the hyphen: no phrase
