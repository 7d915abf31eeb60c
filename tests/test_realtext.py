"""Real-text evaluation: scoring rules, behavioural tests, training on a tiny corpus, corpus tooling."""
from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

from scanner.train import real
from scanner.train.checklist import run_checklist
from scanner.tag.rules import default_catalogue
from scanner.tag.variants import variant_rules
from scanner.train.realtext import RealRecord, covered_here, evaluate_tagger, load_real, macro, term_found

REPO = Path(__file__).resolve().parents[1]


def record(i: int, stage: str = "adoption", techs=("chatbots",), acceptable=(), domains=("dienstverlening",),
           municipal: bool = True, emerging=(), site: str | None = None, text: str | None = None) -> RealRecord:
    return RealRecord(id=f"r{i}", site=site or f"site{i % 6}.nl", lang="nl", title=f"Titel {i}",
                      text=text or f"De gemeente zet de chatbot in, bericht {i}.", split="test",
                      tech_required=list(techs), tech_acceptable=list(acceptable), domains=list(domains),
                      stage=stage, mention_stages={}, emerging=list(emerging), municipal=municipal)


class KeywordTagger:
    """Tags 'chatbot' and 'drone'; stage from a keyword; what `scanner tag` returns, in shape."""

    def tag_many(self, docs):
        for doc in docs:
            text = (doc.get("title", "") + "\n" + doc["text"]).lower()
            techs = [{"id": t, "start": text.index(w), "end": text.index(w) + len(w),
                      "stage": "setback" if "stopt" in text else "adoption",
                      "stage_score": 0.8} for w, t in (("chatbot", "chatbots"), ("drone", "drones")) if w in text]
            stage = "setback" if "stopt" in text else ("adoption" if techs else "none")
            yield {"id": doc["id"], "technologies": techs, "stage": stage,
                   "stage_scores": {stage: 0.8, "none": 0.2}, "domains": ["dienstverlening"],
                   "municipal": "gemeente" in text, "candidates": ["generatieve ai-tool"] if "ai" in text else []}


def test_acceptable_ids_are_neutral_and_required_ones_count():
    recs = [record(1, techs=("chatbots",), acceptable=("drones",), text="De gemeente zet chatbot en drone in."),
            record(2, techs=("drones",), text="De gemeente gebruikt geen camera.")]
    rep = evaluate_tagger(KeywordTagger(), recs)
    assert rep["technology"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}


def test_mention_stage_is_scored_per_required_technology():
    recs = [record(1, stage="setback", text="De gemeente stopt de chatbot."), record(2, text="Een chatbot helpt.")]
    rep = evaluate_tagger(KeywordTagger(), recs)
    assert rep["mention_stage"]["n"] == 2 and rep["mention_stage"]["accuracy"] == 1.0
    assert rep["municipal_accuracy"] == 0.5


@pytest.mark.parametrize("gold, candidates, found", [
    ("ai agents", ["ai-agents"], True),
    ("large language models", ["language models"], True),
    ("generatieve ai", ["generatieve ai-tool"], False),
    ("chatgpt", ["gpt"], False),
    ("ocr", ["ocr-software"], False),
    ("copilot", ["microsoft copilot"], True),
    ("zorgbot", ["gemeente test zorgbot"], False),
])
def test_emerging_term_matching(gold, candidates, found):
    assert term_found(gold, candidates) is found


def test_emerging_term_matching_applies_the_lexicon_variants():
    rules = variant_rules(default_catalogue())
    assert not term_found("generative ai", ["generative artificial intelligence"])
    assert term_found("generative ai", ["generative artificial intelligence"], rules)
    assert term_found("llm", ["large language models"], rules)
    # a synonym rule never makes a match fail: `large language models` is rewritten to `llm`, and
    # `language models` is still two of its words
    assert term_found("large language models", ["language models"], rules)
    assert not term_found("large language models", ["models"], rules)


def test_gold_terms_the_catalogue_covers_are_counted_apart():
    """`big data` is a catalogue term (data-analyse): never a candidate, so it is no emerging-term miss."""
    recs = [record(1, emerging=("drone taxi", "chatbot"), text="De gemeente test een drone taxi met een chatbot.")]
    rep = evaluate_tagger(KeywordTagger(), recs)["emerging"]
    assert rep["terms"] == 1 and rep["covered_terms"] == 1 and rep["recall"] == 0.0
    assert covered_here("chatbot", "een chatbot", [{"start": 4, "end": 11}])
    assert not covered_here("chatbot", "een chatbot en nog een chatbot", [{"start": 4, "end": 11}])
    assert not covered_here("chatbot", "geen woord", [])


def test_macro_f1_covers_present_labels_only():
    rep = macro(["pilot", "pilot", "setback"], ["pilot", "setback", "setback"])
    assert rep["macro_f1"] == pytest.approx((0.6667 + 0.6667) / 2, abs=1e-3)
    assert rep["min_f1"] == pytest.approx(0.6667, abs=1e-3)


def test_checklist_counts_inv_and_dir_failures():
    recs = [record(i, text=f"De gemeente zet de chatbot in. Bericht {i} over {i * 10} inwoners. Zo gaat het. "
                           "Klaar.") for i in range(1, 9)]
    out = run_checklist(KeywordTagger(), recs)
    by = {t["name"]: t for t in out["tests"]}
    assert by["numbers"]["failures"] == 0 and by["numbers"]["cases"] == 8
    assert by["stopped project"]["failures"] == 8  # 'stopgezet' is not the tagger's 'stopt': P(setback) falls
    assert out["failure_rate"] == round(sum(t["failures"] for t in out["tests"]) / out["cases"], 4)


def test_training_on_a_tiny_corpus_calibrates_and_sets_thresholds():
    recs = []
    for i in range(60):
        stage = ("adoption", "pilot", "setback")[i % 3]
        words = {"adoption": "is sinds maart in gebruik bij alle wijken", "pilot": "start een proef van drie maanden",
                 "setback": "stopt na een datalek met"}[stage]
        recs.append(record(i, stage=stage, site=f"s{i % 7}.nl", municipal=i % 2 == 0,
                           text=f"De gemeente {words} de chatbot, bericht {i}."))
    settings = {"seed": 1, "C": 10.0, "char_ngrams": [3, 4], "min_df": 1, "own_weight": 0.3, "folds": 3}
    fitted = real.train(recs, [], settings)
    assert 0.05 <= fitted["temperature"] <= 20
    assert set(fitted["thresholds"]) == set(real.LABELS)
    scores = fitted["stage"].scores(real.stage_text("De gemeente stopt na een datalek met de chatbot."))
    assert max(scores, key=scores.get) == "setback"


def load_script(name: str):
    path = REPO / "data" / "annotations" / "real" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"real_{name}", path)
    module = importlib.util.module_from_spec(spec)
    import sys

    sys.path.insert(0, str(path.parent))
    spec.loader.exec_module(module)
    return module


def test_reserved_variants_are_caught():
    validate = load_script("validate")
    url = "https://www.example.org/nieuws/artikel/"
    reserved = {hashlib.sha256("https://example.org/nieuws/artikel".encode()).hexdigest()}
    assert validate.is_reserved(url, reserved)
    assert validate.is_reserved("http://example.org/nieuws/artikel?utm_source=x", reserved)
    assert not validate.is_reserved("https://example.org/nieuws/ander-artikel", reserved)
    assert validate.is_reserved("https://Example.ORG:443/nieuws/artikel", reserved)  # host case, default port


def test_one_page_spelled_two_ways_is_one_page_but_two_queries_are_two():
    validate = load_script("validate")
    key = validate.page_key
    assert key("https://www.example.org/nieuws/artikel/") == key("http://example.org/nieuws/artikel#top")
    assert key("https://WWW.Example.org:443/nieuws/artikel") == key("https://example.org/nieuws/artikel")
    assert key("https://example.org/index.php?id=1") != key("https://example.org/index.php?id=2")
    assert key("https://example.org/nieuws/artikel") != key("https://example.org/nieuws/ander-artikel")


def test_committed_corpus_holds_each_page_once():
    validate = load_script("validate")
    path = REPO / "data" / "annotations" / "real" / "corpus.jsonl"
    urls = [json.loads(line)["url"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert len({validate.page_key(u) for u in urls}) == len(urls)


def test_split_is_site_disjoint_and_stable():
    build = load_script("build")
    assert build.split_of("gemeente.nu") == build.split_of("gemeente.nu")
    recs = load_real()
    sites = {}
    for r in recs:
        sites.setdefault(r.site, set()).add(r.split)
    assert all(len(s) == 1 for s in sites.values())
    assert {r.split for r in recs} == {"train", "dev", "test"}


def test_committed_corpus_has_no_reserved_page():
    validate = load_script("validate")
    reserved = validate.reserved_hashes()
    assert reserved, "../shared/eval/reserved-urls.sha256 must be beside the repo"
    path = REPO / "data" / "annotations" / "real" / "corpus.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        assert not validate.is_reserved(json.loads(line)["url"], reserved)


def test_replay_is_the_dated_natural_sample_without_the_stage_targeted_round():
    """The replay corpus (horizon backtest) leaves out the second round, whose queries were chosen by stage."""
    build = load_script("build")
    corpus = [json.loads(line) for line in
              (REPO / "data" / "annotations" / "real" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    replay = [json.loads(line) for line in
              (REPO / "data" / "replay" / "replay.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = {f"replay-{r['id']}" for r in corpus if r["published"] and "2016" <= r["published"][:4] <= "2026"
                and r["annotator"].lower() not in build.TARGETED_PARTS}
    assert {r["id"] for r in replay} == expected and len(expected) >= 1000
    assert not any(r["id"].split("-")[1] in build.TARGETED_PARTS for r in replay)


def test_every_logged_decision_is_what_the_parts_now_say():
    """decisions-log.tsv lists the labels the consistency passes changed (DECISIONS.md); the parts carry them."""
    import csv

    rows = list(csv.DictReader((REPO / "data" / "annotations" / "real" / "decisions-log.tsv")
                               .read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    parts = {}
    for path in sorted((REPO / "data" / "annotations" / "real" / "parts").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            parts[rec["id"]] = rec
    assert rows
    last = {(row["id"], row["field"]): row for row in rows}  # a label changed by two passes: the later one holds
    for row in last.values():
        rec = parts[row["id"]]
        if row["field"] in ("stage", "published"):
            now = rec[row["field"]] or ""
        elif row["field"] == "municipal":
            now = "true" if rec["municipal"] else "false"
        elif row["field"] in ("tech_required", "tech_acceptable"):
            assert rec[row["field"]] == json.loads(row["new"]) and row["decision"].startswith("D"), row
            continue
        else:
            now = rec["mention_stages"].get(row["field"].split(":")[-1])
        assert now == row["new"] and row["decision"].startswith("D"), row


def test_the_stage_model_has_its_own_regularisation():
    """[train] stage_C sets the stage model's inverse L2 strength; C (the label model's) does not."""
    recs = [record(i, stage=("adoption", "pilot")[i % 2], site=f"s{i % 5}.nl",
                   text=f"De gemeente {('gebruikt sinds maart', 'test drie maanden')[i % 2]} de chatbot {i}.")
            for i in range(20)]
    base = {"seed": 1, "C": 10.0, "char_ngrams": [3, 4], "min_df": 1, "own_weight": 0.3}
    weak = real.fit_stage(recs, [], base | {"stage_C": 100.0}).coef
    strong = real.fit_stage(recs, [], base | {"stage_C": 0.01}).coef
    assert abs(strong).max() < abs(weak).max() / 10
    assert (real.fit_stage(recs, [], base | {"stage_C": 0.01, "C": 1000.0}).coef == strong).all()


def split_records(split: str, n: int, sites: int) -> list[RealRecord]:
    """n records of one split over `sites` sites, alternately adoption and pilot."""
    out = [record(i, stage=("adoption", "pilot")[i % 2], site=f"{split}{i % sites}.nl",
                  text=f"De gemeente {('gebruikt sinds maart', 'test drie maanden')[i % 2]} de chatbot {i}.")
           for i in range(n)]
    return [RealRecord(**{**r.__dict__, "split": split}) for r in out]


def test_choosing_stage_c_reads_train_and_dev_only(monkeypatch):
    """`scanner train --choose-stage-c`: fitted on the train sites, scored on the dev sites, never the test split."""
    from scanner.train import real_report

    def recs(split: str, n: int) -> list[RealRecord]:
        return split_records(split, n, sites=3)

    asked = []

    def fake_load(splits=("train", "dev", "test")):
        asked.append(tuple(splits))
        return recs(splits[0], 24 if splits == ("train",) else 12)

    monkeypatch.setattr(real_report, "load_real", fake_load)
    monkeypatch.setattr("scanner.train.data.load_examples", lambda: [])
    settings = {"seed": 1, "C": 10.0, "char_ngrams": [3, 4], "min_df": 1, "own_weight": 0.3, "folds": 2,
                "stage_C": 1.0}
    result = real_report.choose_stage_c([0.01, 1.0], settings)
    assert sorted(asked) == [("dev",), ("train",)]
    assert result["train"] == 24 and result["dev"] == 12 and [r["stage_C"] for r in result["rows"]] == [0.01, 1.0]
    assert result["configured"] == 1.0 and result["chosen"] in (0.01, 1.0)


def test_comparing_label_inputs_reads_train_and_dev_only(monkeypatch):
    """`scanner train --compare-label-input`: both inputs fitted on the train sites, scored on the dev sites."""
    from scanner.train import real_report

    asked = []
    monkeypatch.setattr(real_report, "load_real", lambda splits: asked.append(tuple(splits))
                        or split_records(splits[0], 24 if splits == ("train",) else 12, sites=3))
    monkeypatch.setattr("scanner.train.data.load_examples", lambda: [])
    settings = {"seed": 1, "C": 10.0, "char_ngrams": [3, 4], "min_df": 1, "own_weight": 0.3, "folds": 2}
    result = real_report.compare_label_input(settings)
    assert sorted(asked) == [("dev",), ("train",)] and [r["input"] for r in result["rows"]] == ["text", "text+cues"]
    assert all(0 <= r["municipal_accuracy"] <= 1 and 0 <= r["domain_f1"] <= 1 for r in result["rows"])
    text = real_report.label_input_markdown(result, "scanner train --compare-label-input")
    assert "| text+cues |" in text and "24 train excerpts" in text and "12 dev excerpts" in text


def test_the_stage_c_pick_keeps_the_checklist_target():
    from scanner.train.real_report import pick_stage_c

    def row(c: float, f1: float, cl: float) -> dict:
        return {"stage_C": c, "document_stage_macro_f1": f1, "checklist_failure_rate": cl}

    assert pick_stage_c([row(1, 0.55, 0.04), row(3, 0.58, 0.06), row(10, 0.57, 0.05)], 1.0)["chosen"] == 10
    assert pick_stage_c([row(1, 0.55, 0.07), row(3, 0.58, 0.06)], 1.0)["chosen"] == 3  # none within: best F1
    tie = pick_stage_c([row(1, 0.57, 0.01), row(10, 0.57, 0.01)], 10.0)
    assert tie["chosen"] == 1 and not tie["configured_is_chosen"]  # a tie goes to the stronger regularisation


def test_the_stage_c_report_shows_every_value_and_the_choice():
    from scanner.train.real_report import stage_c_markdown

    rows = [{"stage_C": c, "document_stage_macro_f1": f, "document_stage_min_f1": 0.4, "mention_stage_macro_f1": 0.5,
             "checklist_failure_rate": cl} for c, f, cl in ((1, 0.55, 0.04), (10, 0.58, 0.07))]
    text = stage_c_markdown({"train": 30, "dev": 9, "rows": rows, "chosen": 1, "configured": 10.0,
                             "configured_is_chosen": False}, "scanner train --choose-stage-c 1,10")
    assert "| 1 | 0.550 | 0.400 | 0.500 | 0.040 |" in text and "| 10 | 0.580 |" in text
    assert "stage_C = 1, not the configured 10" in text and "30 train excerpts" in text


def test_the_learning_curve_reads_train_and_dev_only_and_nests_its_shares(monkeypatch):
    """`scanner train --learning-curve`: growing shares of the train sites, each containing the smaller ones."""
    from scanner.train import learning_curve

    def recs(split: str, n: int) -> list[RealRecord]:
        return split_records(split, n, sites=6)

    asked, fitted = [], []
    monkeypatch.setattr(learning_curve, "load_real",
                        lambda splits: asked.append(tuple(splits)) or recs(splits[0], 24 if splits == ("train",) else 8))
    monkeypatch.setattr("scanner.train.data.load_examples", lambda: [])
    fit = learning_curve.real.fit_stage
    monkeypatch.setattr(learning_curve.real, "fit_stage",
                        lambda rs, own, st: fitted.append({r.site for r in rs}) or fit(rs, own, st))
    settings = {"seed": 1, "C": 10.0, "char_ngrams": [3, 4], "min_df": 1, "own_weight": 0.3, "stage_C": 1.0}
    result = learning_curve.learning_curve([1.0, 0.5, 0.51], settings)  # 0.51 of 6 sites is 3 again: no point
    assert sorted(asked) == [("dev",), ("train",)]
    assert [r["share"] for r in result["rows"]] == [0.5, 1.0] and [r["sites"] for r in result["rows"]] == [3, 6]
    assert fitted[0] < fitted[1] and result["rows"][1]["excerpts"] == 24
    assert "| 0.5 | 12 |" in learning_curve.markdown(result, "scanner train --learning-curve 0.5,1")


def test_gain_per_doubling_and_where_the_line_would_reach_the_target():
    from scanner.train.learning_curve import per_doubling

    rows = [{"excerpts": n, "document_stage_macro_f1": f} for n, f in ((1000, 0.5), (2000, 0.55), (4000, 0.6))]
    fit = per_doubling(rows)
    assert fit["gain_per_doubling"] == 0.05 and fit["excerpts_for_target"] == 32000  # three more doublings
    flat = per_doubling([{"excerpts": 1000, "document_stage_macro_f1": 0.5}, {"excerpts": 2000,
                                                                              "document_stage_macro_f1": 0.5}])
    assert flat["gain_per_doubling"] == 0 and flat["excerpts_for_target"] is None
    assert per_doubling(rows[:1])["gain_per_doubling"] is None
    same = [{"excerpts": 1000, "document_stage_macro_f1": f} for f in (0.5, 0.6)]
    assert per_doubling(same)["gain_per_doubling"] is None  # one size twice: no slope to fit
    crawl = per_doubling([{"excerpts": 1000, "document_stage_macro_f1": 0.5},
                          {"excerpts": 2000, "document_stage_macro_f1": 0.5001}])
    assert crawl["gain_per_doubling"] > 0 and crawl["excerpts_for_target"] is None  # beyond 2 ** 40


@pytest.mark.parametrize("args, message", [
    (["--choose-stage-c", "1,x"], "expected positive numbers"),
    (["--choose-stage-c", "0,1"], "expected positive numbers"),
    (["--choose-stage-c", "1,3", "--eval"], "takes no --eval"),
    (["--learning-curve", "0,1"], "expected distinct shares in (0, 1]"),
    (["--learning-curve", "0.5,1.5"], "expected distinct shares in (0, 1]"),
    (["--learning-curve", "0.5,0.5"], "expected distinct shares in (0, 1]"),
    (["--learning-curve", "0.5", "--eval"], "--learning-curve only measures"),
    (["--compare-label-input", "--eval"], "--compare-label-input only compares inputs"),
])
def test_choose_stage_c_bad_input_is_one_line_and_exit_2(args, message):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "scanner", "train", *args], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
