"""scanner backtest: outcome parsing, the three forecasters, scores and the report."""
from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from signals_fixtures import Builder, catalogue

from scanner.cli.main import app
from scanner.errors import ScannerError
from scanner.signals import api as signals
from scanner.signals.backtest import Forecast, read_outcomes, scores

CAT = catalogue()


def outcomes_file(tmp_path, rows: list[str]):
    path = tmp_path / "outcomes.tsv"
    path.write_text("technology\tdate\thorizon\tevidence_urls\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_scores_of_a_perfect_and_a_wrong_forecast():
    sure = Forecast(np.array([1.0, 0.0, 0.0, 0.0]), "in-use")
    perfect = scores([(sure, "in-use")])
    assert perfect["brier"] == 0 and perfect["accuracy"] == 1 and perfect["mae_bins"] == 0
    wrong = scores([(sure, ">7")])
    assert wrong["brier"] == 2 and wrong["accuracy"] == 0 and wrong["mae_bins"] == 3
    assert wrong["log_loss"] > 9  # -log(1e-4)


def test_macro_recall_averages_over_observed_bins():
    a = Forecast(np.array([0.7, 0.1, 0.1, 0.1]), "in-use")
    pairs = [(a, "in-use"), (a, "in-use"), (a, "in-use"), (a, "3-7")]
    assert scores(pairs)["macro_recall"] == 0.5 and scores(pairs)["accuracy"] == 0.75


@pytest.mark.parametrize("row, message", [
    ("nosuchtech\t2026-10\tin-use\tx", "unknown technology"),
    ("chatbots\t2026-10\tsoon\tx", "horizon 'soon'"),
    ("chatbots\tlast year\tin-use\tx", "date 'last year'"),
])
def test_bad_outcome_rows_are_one_clear_error(tmp_path, row, message):
    with pytest.raises(ScannerError, match=message):
        read_outcomes(outcomes_file(tmp_path, [row]), set(CAT.technologies))


def test_replay_scores_model_baseline_and_persistence(store, tmp_path):
    b = Builder(store)
    b.background(date(2020, 1, 1), 30, 10)
    for month in range(1, 13):
        for k in range(3):
            b.doc(date(2021, month, 3 + k), [("technology", "drones", "adoption")], source=f"gemeente{k}",
                  source_type="government")
    path = outcomes_file(tmp_path, ["drones\t2021-12\tin-use\tx", "drones\t2020-10\t0-3\tx",
                                    "gezichtsherkenning\t2021-12\t>7\tx"])
    figures, report = signals.backtest(store, path, out_dir=tmp_path / "report", catalogue=CAT)
    assert set(figures) >= {"model", "aged_baseline", "persistence"}
    for who in ("model", "aged_baseline", "persistence"):
        assert figures[who]["n"] == 3
        assert {"brier", "log_loss", "accuracy", "macro_recall", "mae_bins"} <= set(figures[who])
    assert figures["by_date"]["2021-12"]["model"]["n"] == 2
    assert report.exists() and (tmp_path / "report" / "reliability.png").stat().st_size > 1000
    assert (tmp_path / "report" / "timelines.png").exists() and (tmp_path / "report" / "index.html").exists()
    assert "2019 baseline aged by time" in report.read_text(encoding="utf-8")
    diff = figures["brier_difference"]
    assert diff["latest"]["technologies"] == 2 and diff["all_rows"]["technologies"] == 2
    assert all(d["low"] is None for d in diff.values())  # too few technologies for an interval
    last = figures["by_date"]["2021-12"]
    assert abs(diff["latest"]["difference"] - (last["model"]["brier"] - last["aged_baseline"]["brier"])) < 1e-3
    assert abs(diff["all_rows"]["difference"] - (figures["model"]["brier"] - figures["persistence"]["brier"])) < 1e-3
    assert "How sure these verdicts are" in report.read_text(encoding="utf-8")
    latest = figures["latest_rows"]  # the rows the latest date's macro recall and bin error are made of
    assert [r["date"] for r in latest] == ["2021-12", "2021-12"]
    hits = [r["estimate"] == r["observed"] for r in latest]
    assert np.mean(hits) == last["model"]["accuracy"]
    assert all(0 <= r["p_observed"] <= 1 and r["aged_baseline"] in ("in-use", "0-3", "3-7", ">7") for r in latest)
    assert all(r["held_by"] in (None, "margin", "sources", "override") for r in latest)
    assert all((r["held_by"] is None) == (r["most_probable"] == r["estimate"]) for r in latest)
    text = report.read_text(encoding="utf-8")
    assert "At 2021-12, observed bins (rows)" in text and "estimate's recall" in text
    assert (f"misses at 2021-12 ({hits.count(False)} of 2;" in text if not all(hits)
            else "misses no technology at 2021-12" in text)

    varied, report = signals.backtest(store, path, out_dir=tmp_path / "report", catalogue=CAT,
                                      vary={"silence_weight": [0.0, 1.0, 5.0]})
    rows = varied["sensitivity"]
    assert [r["value"] for r in rows] == [0.0, 1.0, 5.0] and [r["configured"] for r in rows] == [False, True, False]
    assert rows[1]["all_rows"]["model"] == figures["model"]["brier"]  # the configured value is the report itself
    assert "| silence_weight | 1 * |" in report.read_text(encoding="utf-8")
    with pytest.raises(ScannerError, match="not a numeric"):
        signals.backtest(store, path, catalogue=CAT, vary={"no_such_knob": [1.0]})
    whole = signals.backtest(store, path, catalogue=CAT, vary={"change_min_sources": [1.0, 2.0]})[0]["sensitivity"]
    assert [r["configured"] for r in whole] == [False, True]
    # a table entry is varied by its dotted key, and only that entry changes
    entry = signals.backtest(store, path, catalogue=CAT, vary={"strength.adoption": [0.0, 1.0]})[0]["sensitivity"]
    assert [r["configured"] for r in entry] == [False, True]
    assert entry[1]["all_rows"]["model"] == figures["model"]["brier"]
    assert entry[0]["all_rows"]["model"] != entry[1]["all_rows"]["model"]  # adoption evidence no longer counts


def test_the_confusion_table_counts_both_forecasters_and_lists_each_miss():
    from scanner.signals.backtest_report import _confusion

    def row(tech: str, observed: str, estimate: str, aged: str) -> dict:
        return {"technology": tech, "date": "2026-10", "observed": observed, "estimate": estimate,
                "aged_baseline": aged, "p_observed": 0.3, "aged_p_observed": 0.01}

    text = "\n".join(_confusion([row("a", "in-use", "in-use", "in-use"), row("b", "0-3", "in-use", "in-use"),
                                 row("c", "0-3", "0-3", "in-use")]))
    assert "| in-use | 1 / 1 | 0 / 0 | 0 / 0 | 0 / 0 | 1 of 1 |" in text
    assert "| 0-3 | 1 / 2 | 1 / 0 | 0 / 0 | 0 / 0 | 1 of 2 |" in text and "\n| 3-7 |" not in text
    assert "(1 of 3;" in text and "| b | 0-3 | in-use | in-use | 0.3 / 0.01 |" in text and "| c |" not in text
    assert "misses no technology at 2026-10" in "\n".join(_confusion([row("a", "in-use", "in-use", "0-3")]))


def test_tuning_chooses_on_earlier_outcomes_only(store, tmp_path):
    b = Builder(store)
    b.background(date(2020, 1, 1), 30, 10)
    for month in range(1, 13):
        b.doc(date(2021, month, 3), [("technology", "drones", "adoption")], source=f"gemeente{month % 3}",
              source_type="government")
    early = ["drones\t2021-06\tin-use\tx", "gezichtsherkenning\t2021-06\t>7\tx"]
    path = outcomes_file(tmp_path, [*early, "drones\t2021-12\tin-use\tx"])
    grid = {"silence_weight": [0.0, 1.0], "hysteresis": [0.25]}
    figures, report = signals.backtest(store, path, out_dir=tmp_path / "report", catalogue=CAT, tune=grid)
    t = figures["tuning"]
    assert t["before"] == "2021-12" and t["last_date"] == "2021-12" and t["held_out_rows"] == 1
    assert all(r["choose"]["model"]["n"] == 2 and r["held_out"]["model"]["n"] == 1 for r in t["rows"])
    # the choice is what the rows before the cut alone would give: the 2021-12 row chose nothing
    solo = {}
    for weight in (0.0, 1.0):
        fig = signals.backtest(store, outcomes_file(tmp_path, early), catalogue=CAT,
                               config=_with_horizon({"silence_weight": weight}))[0]
        solo[weight] = fig["model"]["brier"]
    assert solo[0.0] != solo[1.0]  # the two settings do differ on these rows
    assert t["chosen"]["silence_weight"] == min(solo, key=solo.get)
    assert [r["configured"] for r in t["rows"] if r["setting"]["silence_weight"] == 1.0] == [True]
    text = report.read_text(encoding="utf-8")
    assert "Settings chosen on earlier outcomes" in text and "The 1 rows dated 2021-12 chose nothing" in text
    assert t["chosen_minus_configured"] is None or t["chosen_minus_configured"]["low"] is None  # 2 technologies
    for cut, message in (("2020-01", "no outcome rows to choose on"), ("2030-01", "none held out"),
                         ("2021-6", "must be YYYY-MM")):
        with pytest.raises(ScannerError, match=message):
            signals.backtest(store, path, catalogue=CAT, tune={"silence_weight": [1.0]}, tune_before=cut)


def _with_horizon(overrides: dict) -> dict:
    from scanner.config import load_config

    cfg = load_config()
    return {**cfg, "horizon": {**cfg["horizon"], **overrides}}


def test_bootstrap_difference_is_over_technologies():
    from scanner.signals.backtest import MIN_BOOTSTRAP_TECHS, bootstrap_difference

    # half the technologies favour a, half b, by the same amount: the interval spans 0, a wins about half
    a = {f"t{i}": (1.0 if i % 2 else 0.0, 1) for i in range(20)}
    b = {f"t{i}": (0.0 if i % 2 else 1.0, 1) for i in range(20)}
    even = bootstrap_difference(a, b)
    assert even["difference"] == 0.0 and even["low"] < 0 < even["high"] and 0.3 < even["better_share"] < 0.7
    better = bootstrap_difference({k: (v[0] - 0.5, 1) for k, v in b.items()}, b)
    assert better["difference"] == -0.5 and better["high"] == -0.5 and better["better_share"] == 1.0
    # a technology with three rows weighs three times one with one row
    weighted = bootstrap_difference({"x": (3.0, 3), "y": (0.0, 1), **{f"z{i}": (0.0, 1) for i in range(4)}},
                                    {"x": (0.0, 3), "y": (0.0, 1), **{f"z{i}": (0.0, 1) for i in range(4)}})
    assert weighted["difference"] == round(3 / 8, 4)
    few = bootstrap_difference({f"t{i}": (0.0, 1) for i in range(MIN_BOOTSTRAP_TECHS - 1)},
                               {f"t{i}": (1.0, 1) for i in range(MIN_BOOTSTRAP_TECHS - 1)})
    assert few["difference"] == -1.0 and few["low"] is None and few["better_share"] is None


def test_backtest_cli_json_is_the_contract_shape(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    path = outcomes_file(tmp_path, ["chatbots\t2026-10\tin-use\tx"])
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "backtest", "--outcomes", str(path),
                                      "--json", "--out", str(tmp_path / "bt")])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    for who in ("model", "aged_baseline", "persistence"):
        assert set(out[who]) >= {"brier", "log_loss", "accuracy", "macro_recall", "mae_bins", "n"}


def test_backtest_cli_tune_prints_the_choice_and_json_carries_it(tmp_path):
    from typer.testing import CliRunner

    path = outcomes_file(tmp_path, ["chatbots\t2025-10\tin-use\tx", "drones\t2025-10\t0-3\tx",
                                    "chatbots\t2026-10\tin-use\tx"])
    args = ["--db", str(tmp_path / "x.db"), "backtest", "--outcomes", str(path), "--out", str(tmp_path / "bt"),
            "--tune", "silence_weight=0.5,1", "--tune-before", "2026-10"]
    shown = CliRunner().invoke(app, args)
    assert shown.exit_code == 0, shown.output
    assert "chosen on outcomes before 2026-10: silence_weight=" in shown.stdout
    out = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout.strip().splitlines()[-1])
    assert out["tuning"]["held_out_rows"] == 1 and len(out["tuning"]["rows"]) == 2
    assert [r["technology"] for r in out["latest_rows"]] == ["chatbots"]  # the rows behind the latest figures
    assert out["brier_difference"]["latest"]["technologies"] == 1


@pytest.mark.parametrize("args, message", [
    (["--to", "2026-13"], "--to must be YYYY-MM"),
    (["--from", "2026-10", "--to", "2020-01"], "is after --to"),
    (["--vary", "hysteresis=a,b"], "expected KEY=NUMBER"),
    (["--vary", "hysteresis=nan"], "expected KEY=NUMBER"),
    (["--vary", "hysteresis=0.1", "--vary", "hysteresis=0.2"], "given twice"),
    (["--vary", "change_min_sources=1.5"], "a whole number"),
    (["--tune", "no_such_knob=1"], "--tune no_such_knob: not a numeric"),
    (["--tune", "strength.no_such_stage=1"], "--tune strength.no_such_stage: not a numeric"),
    (["--tune", "silence_weight.x=1"], "--tune silence_weight.x: not a numeric"),
    (["--vary", "prior.in-use=1"], "--vary prior.in-use: not a numeric"),
    (["--tune", "silence_weight=x"], "--tune 'silence_weight=x': expected KEY=NUMBER"),
    (["--tune", "silence_weight=1", "--tune-before", "2026"], "--tune-before must be YYYY-MM"),
    (["--tune-before", "2026-01"], "--tune-before needs --tune"),
])
def test_backtest_cli_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    import subprocess
    import sys

    path = outcomes_file(tmp_path, ["chatbots\t2026-10\tin-use\tx"])
    done = subprocess.run([sys.executable, "-m", "scanner", "--db", str(tmp_path / "x.db"), "backtest",
                           "--outcomes", str(path), *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
