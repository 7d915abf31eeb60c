"""How the stage model's dev score grows with the number of training sites (`scanner train --learning-curve`).

The real-text targets ask for a stage macro-F1 of 0.75; the linear model stands near 0.6. Whether more
annotation or another kind of model is the way there is a question of this curve's slope: the stage model
is fitted on growing random shares of the train sites (the dev sites held out, the test split not read)
and the shipped tagger with it is scored on the dev sites, end to end, as `--choose-stage-c` does.
"""
from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import numpy as np

from scanner.config import repo_root
from scanner.train import real
from scanner.train.realtext import evaluate_tagger, headline, load_real


def learning_curve(fractions: list[float], settings: dict[str, Any]) -> dict[str, Any]:
    """Dev-site stage figures of stage models fitted on `fractions` of the train sites (a seeded random
    order of sites, each share containing the smaller ones), and the fitted gain per doubling."""
    from scanner.train.data import load_examples

    train, dev = load_real(splits=("train",)), load_real(splits=("dev",))
    own = [e for e in load_examples() if e.split == "train"]
    sites = sorted({r.site for r in train})
    random.Random(int(settings["seed"])).shuffle(sites)
    rows: list[dict[str, Any]] = []
    for share in sorted(fractions):
        kept = set(sites[:max(1, round(share * len(sites)))])
        if rows and rows[-1]["sites"] == len(kept):
            continue  # a share that rounds to the same sites adds no point, only a fake slope
        records = [r for r in train if r.site in kept]
        # no temperature: it rescales the logits and leaves every argmax, so every stage label, as it is
        tagger = real.tagger_with_stage(real.fit_stage(records, own, settings), f"share{share:g}")
        h = headline(evaluate_tagger(tagger, dev))
        rows.append({"share": share, "sites": len(kept), "excerpts": len(records),
                     "document_stage_macro_f1": h["document_stage_macro_f1"],
                     "mention_stage_macro_f1": h["mention_stage_macro_f1"]})
    return {"train_sites": len(sites), "dev": len(dev), "rows": rows, **per_doubling(rows)}


def per_doubling(rows: list[dict[str, Any]], target: float = 0.75) -> dict[str, Any]:
    """Least-squares slope of document stage macro-F1 against log2(excerpts), and where the line would
    reach `target` (None when it does not rise).

    >>> per_doubling([{"excerpts": 1000, "document_stage_macro_f1": 0.5},
    ...               {"excerpts": 2000, "document_stage_macro_f1": 0.55}])["gain_per_doubling"]
    0.05
    """
    if len({r["excerpts"] for r in rows}) < 2:
        return {"gain_per_doubling": None, "excerpts_for_target": None, "target": target}
    x = np.log2([float(r["excerpts"]) for r in rows])
    y = np.array([float(r["document_stage_macro_f1"]) for r in rows])
    slope, intercept = np.polyfit(x, y, 1)
    reach = None
    if slope > 0 and (target - intercept) / slope < 40:  # beyond 2 ** 40 excerpts: "not within reach"
        exact = 2 ** ((target - intercept) / slope)
        reach = int(round(exact, -2)) if exact >= 1000 else max(1, int(round(exact)))
    return {"gain_per_doubling": round(float(slope), 4), "excerpts_for_target": reach, "target": target}


def markdown(result: dict[str, Any], command: str) -> str:
    """The curve as the report the README includes (data/annotations/real/learning_curve.md)."""
    lines = [f"Command: `{command}`", "",
             f"Stage models (the configured `stage_C`) fitted on growing random shares of the {result['train_sites']} "
             f"train sites, the shipped tagger with each scored on the {result['dev']} dev excerpts (the test split "
             "is not read):", "",
             "| share of train sites | train excerpts | document stage macro-F1 | mention stage macro-F1 |",
             "|---|---|---|---|",
             *[f"| {r['share']:g} | {r['excerpts']} | {r['document_stage_macro_f1']:.3f} | "
               f"{r['mention_stage_macro_f1']:.3f} |" for r in result["rows"]], ""]
    gain, reach = result["gain_per_doubling"], result["excerpts_for_target"]
    if gain is not None:
        text = f"A straight line through these points against log2(excerpts) gains {gain:+.3f} per doubling"
        have = result["rows"][-1]["excerpts"]
        if reach is not None and reach > have:
            text += (f"; continued, it would reach {result['target']:g} at about {reach:,} train excerpts "
                     f"(about {math.log2(reach / have):.1f} more doublings), an extrapolation far beyond the data, "
                     "not a forecast")
        elif reach is None and gain > 0:
            text += f"; continued, it would not reach {result['target']:g} within 2^40 excerpts"
        text += (". Every point also trains on the project's own sentences, and it is one seeded draw of sites, "
                 "with no interval")
        lines += [text + ".", ""]
    return "\n".join(lines)


def report_path() -> Path:
    return repo_root() / "data" / "annotations" / "real" / "learning_curve.md"
