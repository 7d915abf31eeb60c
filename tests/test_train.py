"""Issue 8: annotation data, the shipped classifiers, and seeded training."""
from __future__ import annotations

import functools
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scanner.config import repo_root
from scanner.train.data import (DOMAINS, LANGS, STAGES, Example, load_examples, merge_relabels, normalise_text,
                                read_rows, relabel_examples, validate_rows)

ROOT = repo_root()
MODELS = ROOT / "scanner" / "models"


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return read_rows()


def technology_ids() -> set[str]:
    data = yaml.safe_load((ROOT / "lexicon" / "technologies.yaml").read_text(encoding="utf-8"))
    return {t["id"] for t in data["technologies"]}


def test_data_files_are_valid(rows):
    assert validate_rows(rows, technology_ids()) == []


def test_validation_catches_bad_rows():
    good = {"id": "a", "text": "De gemeente test een chatbot.", "lang": "nl", "stage": "pilot", "municipal": True,
            "factors": [], "style": "local-news", "split": "train"}
    bad = [dict(good), dict(good, id="b", stage="maybe"), dict(good, id="c", text="de gemeente test een chatbot!"),
           dict(good, id="d", text="x", factors=[{"factor": "price", "polarity": "up"}]),
           dict(good, id="e", text="y", municipal="yes")]
    problems = validate_rows(bad)
    assert any("stage" in p for p in problems) and any("duplicate text" in p for p in problems)
    assert any("factor" in p for p in problems) and any("municipal" in p for p in problems)


def test_enough_balanced_bilingual_data(rows):
    assert len(rows) >= 800
    langs = Counter(r["lang"] for r in rows)
    assert set(langs) == set(LANGS) and 0.5 <= langs["nl"] / len(rows) <= 0.7
    stages = Counter(r["stage"] for r in rows)
    assert set(stages) == set(STAGES) and min(stages.values()) >= 100
    assert {r["domain"] for r in rows if r["domain"]} == set(DOMAINS)
    assert len({r["technology"] for r in rows if r["technology"]}) >= 40
    assert Counter(r["origin"] for r in rows)["hand"] >= 500


def test_held_out_split_is_separate_and_stratified(rows):
    by_split = {s: {normalise_text(r["text"]) for r in rows if r["split"] == s} for s in ("train", "dev", "test")}
    assert not by_split["test"] & by_split["train"] and not by_split["test"] & by_split["dev"]
    test = [r for r in rows if r["split"] == "test"]
    assert 0.15 <= len(test) / len(rows) <= 0.25
    assert set(Counter(r["stage"] for r in test)) == set(STAGES)
    assert {r["lang"] for r in test} == set(LANGS)


def test_template_generator_is_seeded():
    sys.path.insert(0, str(ROOT / "data" / "annotations"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    first, second = list(generate(n_per_stage=5)), list(generate(n_per_stage=5))
    assert first == second and len(first) == 35


def test_linear_model_reproduces_scikit_learn():
    from sklearn.linear_model import LogisticRegression

    from scanner.train.linear import _vectorizer, fit_exclusive

    examples = load_examples(splits=["train"])[:120]
    texts, labels = [e.text for e in examples], [e.stage for e in examples]
    settings = {"C": 5.0, "char_ngrams": [3, 5], "names": ["Tilburg", "Zwolle"]}
    model = fit_exclusive(texts, labels, STAGES, settings)
    vectorizer = _vectorizer(settings)
    lr = LogisticRegression(C=5.0, max_iter=3000, random_state=42).fit(vectorizer.fit_transform(texts), labels)
    probe = ["De gemeente Tilburg start een proef met drones.", "The council stopped its chatbot pilot."]
    expected = lr.predict_proba(vectorizer.transform(probe))
    for got, want in zip(model.predict(probe), expected):
        for label, p in zip(lr.classes_, want):
            assert got[label] == pytest.approx(p, abs=1e-6)


def test_linear_model_round_trips(tmp_path):
    from scanner.train.linear import LinearTextModel, fit_multilabel

    texts = ["De gemeente Zwolle test drones.", "Een bank koopt software.", "Gemeente Emmen stopt.", "A bank."]
    model = fit_multilabel(texts, {"municipal": [1, 0, 1, 0], "price:barrier": [0, 0, 0, 0]},
                           {"C": 10.0, "names": ["Zwolle", "Emmen"]})
    model.to_disk(tmp_path / "m")
    loaded = LinearTextModel.from_disk(tmp_path / "m")
    for got, want in zip(loaded.predict(texts), model.predict(texts)):  # float32 on disk
        assert got == pytest.approx(want, abs=1e-6)
    assert loaded.predict(["Gemeente Zwolle"])[0]["municipal"] > 0.5
    assert loaded.predict(["x"])[0]["price:barrier"] < 1e-6


def needs_models(test):  # the models ship with the package: their absence is a failure, not a skip
    def run(*args, **kwargs):
        assert (MODELS / "stage" / "meta.json").exists(), "scanner/models/stage is missing"
        return test(*args, **kwargs)
    return functools.wraps(test)(run)

FIXED = [  # sentences not in the annotation data, one per stage
    ("De gemeente Oss begint volgende maand een proef met een chatbot voor vragen over de afvalstoffenheffing.", "nl",
     "pilot"),
    ("Het contract voor de nieuwe parkeersensoren is na een Europese aanbesteding gegund aan een Belgisch bedrijf.",
     "nl", "procurement"),
    ("Sinds deze zomer gebruiken alle wijkteams van de gemeente het nieuwe registratiesysteem.", "nl", "adoption"),
    ("The council has taken its parking app offline after a data breach exposed users' number plates.", "en",
     "setback"),
    ("The city council adopted a bylaw that bans facial recognition in public spaces.", "en", "policy"),
    ("Researchers at Delft University are studying whether drones can map heat stress in cities.", "en",
     "research"),
    ("The mayor will open the renovated swimming pool on Saturday afternoon.", "en", "none"),
]


@needs_models
def test_shipped_models_load_offline_with_versions():
    from scanner.tag.labels import load_label_model
    from scanner.tag.stage import LinearStageModel, load_stage_model
    from scanner.train.models import load_model

    stage = load_stage_model(MODELS / "stage")
    assert isinstance(stage, LinearStageModel) and stage.version.startswith("model-horizonscan_stage-2.0.0+")
    scores = stage.predict(["De gemeente test een chatbot."], ["nl"])[0]
    assert set(STAGES) <= set(scores) and sum(scores.values()) == pytest.approx(1.0, abs=1e-3)
    labels = load_label_model(MODELS / "labels")
    assert labels is not None and set(labels.thresholds) >= {"municipal", "domain:sociaal-domein"}
    relevance = load_model(MODELS / "relevance")
    assert "municipal" in relevance("x").cats and relevance.meta["version"]
    size = sum(f.stat().st_size for f in MODELS.rglob("*") if f.is_file())
    assert size < 20_000_000


@needs_models
def test_the_label_model_reads_cue_words_only_when_it_was_trained_on_them(tmp_path):
    import shutil

    from scanner.tag.labels import CUE_INPUT, load_label_model

    shipped = load_label_model(MODELS / "labels")
    assert shipped is not None and shipped.reads_cues
    text, words = "De raad besprak het plan.", "hsmunicue hsmunicue hsprocsociaaldomein"
    assert shipped.predict([text], [words]) != shipped.predict([text])
    older = tmp_path / "labels"
    shutil.copytree(MODELS / "labels", older)
    meta = json.loads((older / "meta.json").read_text(encoding="utf-8"))
    assert meta.pop("input") == CUE_INPUT
    (older / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    plain = load_label_model(older)
    assert plain is not None and not plain.reads_cues
    assert plain.predict([text], [words]) == plain.predict([text]) == shipped.predict([text])


@needs_models
def test_the_label_model_is_trained_on_the_inputs_the_tagger_gives_it():
    """Training builds the label model's input (text + cue words) with a model-free tagger; the shipped
    tagger must score exactly that input, or the cue words the model learned are not the ones it reads."""
    from scanner.tag.tagger import Tagger
    from scanner.train.real import label_texts

    texts = ["De gemeenteraad van Zwolle besprak de bijstand en de Wmo-aanvraag via een chatbot.",
             "The city council approved parking enforcement cameras after a public consultation.",
             "Een supermarkt test drones voor bezorging."]
    tagger = Tagger()
    assert tagger.label_model is not None and tagger.label_model.reads_cues
    inputs = label_texts(texts)
    assert all(i.startswith(t) and len(i) > len(t) for i, t in zip(inputs[:2], texts))  # cue words appended
    for text, given in zip(texts, inputs):
        scores = tagger.label_model.model.scores(given)
        assert tagger.tag({"id": "x", "text": text})["municipal_score"] == round(scores["municipal"], 4)


@needs_models
def test_shipped_model_memory_is_bounded_per_document():
    from scanner.tag.stage import load_stage_model

    model = load_stage_model(MODELS / "stage").model
    model.cache_size = 100
    model.predict([f"De gemeente test drones, bericht {i} woord{i} term{i * 7}." for i in range(200)])
    assert len(model._cache) <= 101


@needs_models
def test_shipped_stage_model_beats_a_trivial_baseline():
    from scanner.tag.stage import load_stage_model, model_input

    model = load_stage_model(MODELS / "stage")
    scores = model.predict([model_input(t, lang) for t, lang, _ in FIXED], [lang for _, lang, _ in FIXED])
    predicted = [max(STAGES, key=s.get) for s in scores]
    correct = sum(p == gold for p, (_, _, gold) in zip(predicted, FIXED))
    majority = max(Counter(g for _, _, g in FIXED).values())
    assert correct >= 4 and correct > majority


@needs_models
def test_shipped_relevance_model_separates_municipal_text():
    from scanner.train.models import load_model

    nlp = load_model(MODELS / "relevance")
    municipal = nlp("De wethouder van Zwolle wil dat de gemeente volgend jaar drones inzet bij handhaving.").cats
    other = nlp("A supermarket chain is testing drones to deliver groceries to customers.").cats
    assert municipal["municipal"] > 0.5 > other["municipal"]


@needs_models
def test_stage_model_plugs_into_the_tagger_protocol():
    import scanner.tag.components  # noqa: F401  (glue: registers the component before spacy.load)
    from scanner.tag.stage import StageModel, load_stage_model

    model = load_stage_model(MODELS / "stage")
    assert isinstance(model, StageModel)
    scores = model.predict([FIXED[0][0], FIXED[3][0]], ["nl", "en"])
    # plumbing, not accuracy (that is `scanner train --eval` on the real test split): sensible scores come back
    assert "pilot" in sorted(scores[0], key=scores[0].get)[-2:] and max(scores[1], key=scores[1].get) == "setback"
    assert all(abs(sum(s.values()) - 1.0) < 0.01 for s in scores)  # probabilities (rounded)
    assert model.version.endswith(json.loads((MODELS / "stage" / "meta.json").read_text())["version"])


def _tiny_data(tmp_path: Path) -> Path:
    rows = read_rows()
    picked: list[dict] = []
    for split, per_stage in (("train", 8), ("dev", 2), ("test", 2)):
        for stage in STAGES:
            picked += [r for r in rows if r["split"] == split and r["stage"] == stage][:per_stage]
    data = tmp_path / "data"
    data.mkdir()
    for split in ("train", "dev", "test"):
        lines = [json.dumps(r, ensure_ascii=False) for r in picked if r["split"] == split]
        (data / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_tiny_training_is_fast_and_deterministic(tmp_path):
    from scanner.train.models import load_model, train_settings
    from scanner.train.run import train_all

    data = _tiny_data(tmp_path)
    settings = {**train_settings(), "spacy_max_epochs": 3}
    outputs = []
    for run in ("a", "b"):
        report = train_all(settings, tmp_path / run, data_dir=data, tasks=("stage",), with_rules=False)
        nlp = load_model(tmp_path / run / "stage")
        outputs.append((report["stage"]["version"], report["stage"]["selected"],
                        [doc.cats for doc in nlp.pipe([t for t, _, _ in FIXED])],
                        (tmp_path / run / "stage" / "meta.json").read_text()))
    assert outputs[0] == outputs[1]
    assert report["data"]["train"] == 56 and set(report["stage"]["systems"]) == {"sklearn", "spacy", "ensemble"}


def test_relabels_become_training_examples(store):
    assert "relabels" in store.db.table_names()
    store.conn.execute("INSERT INTO documents(id, uid, text, language) VALUES (1, 'd1', 'x', 'en')")
    insert = ("INSERT INTO relabels(mention_id, document_id, sentence, field, old, new, actor, at, undone) "
              "VALUES (?, ?, ?, ?, ?, ?, 'ana', '2026-01-01T00:00:00+00:00', ?)")
    store.conn.execute(insert, (1, 1, "The city dropped its chatbot.", "stage", "pilot", "setback", 0))
    store.conn.execute(insert, (2, 1, "The city tests drones.", "stage", "none", "pilot", 1))  # undone
    store.conn.execute(insert, (3, 1, "The city tests drones.", "technology", "a", "b", 0))  # not a stage
    relabels = relabel_examples(store)
    assert [(e.text, e.stage, e.lang, e.split) for e in relabels] == [
        ("The city dropped its chatbot.", "setback", "en", "train")]
    held = Example(id="t", text="The city dropped its chatbot.", lang="en", stage="pilot", split="test")
    merged = merge_relabels([held], relabels)
    assert merged == [held] and held.stage == "pilot"  # a test sentence is never relabelled into training


@pytest.mark.slow
def test_cli_eval_reports_every_system_on_the_test_split(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import scanner.train.real_report as rr
    from scanner.cli.main import app

    out = tmp_path / "report.md"
    monkeypatch.setattr(rr, "report_path", lambda: out)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "train", "--eval", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["systems"]) == set(rr.SYSTEMS) and report["n"] > 100
    shipped, rules = report["systems"]["shipped"], report["systems"]["rules"]
    assert shipped["document_stage"]["macro_f1"] > rules["document_stage"]["macro_f1"]
    assert shipped["municipal_accuracy"] > rules["municipal_accuracy"]
    assert 0 <= report["checklist"]["failure_rate"] <= 1
    assert shipped["emerging"]["recall"] > rules["emerging"]["recall"]  # the term model adds recall
    text = out.read_text(encoding="utf-8")
    assert "| shipped |" in text and "Emerging terms (shipped tagger): recall" in text
    assert "Term model operating point" in text


def test_model_version_fingerprint_follows_data_and_settings() -> None:
    """A relabelled record or a changed setting gives a new model version (so `scanner classify` re-tags)."""
    import dataclasses

    from scanner.train.real_report import fingerprint
    from scanner.train.realtext import RealRecord

    rec = RealRecord(id="a-1", site="x.nl", lang="nl", title="", text="De gemeente test een chatbot.", split="train",
                     tech_required=["chatbots"], tech_acceptable=[], domains=[], stage="pilot", mention_stages={},
                     emerging=[], municipal=True)
    own = [Example(id="o-1", text="Een zin.", lang="nl", stage="none")]
    base = fingerprint([rec], own, {"C": 10.0, "stage_C": 1.0})
    assert base == fingerprint([rec], own, {"stage_C": 1.0, "C": 10.0}) and len(base) == 8
    assert base != fingerprint([dataclasses.replace(rec, stage="adoption")], own, {"C": 10.0, "stage_C": 1.0})
    assert base != fingerprint([rec], own, {"C": 10.0, "stage_C": 3.0})
    assert base != fingerprint([rec], [], {"C": 10.0, "stage_C": 1.0})
