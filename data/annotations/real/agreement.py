"""Agreement between the first annotators and the independent second annotator.

    python data/annotations/real/agreement.py     # prints and writes data/annotations/real/agreement.md

The second annotator labelled a random sample of the parts blind (`second_annotator.jsonl`: labels only,
ids of the first annotation). Stage and municipal: Cohen's kappa; technologies, domains and emerging
terms: F1 of one annotator's labels against the other's (symmetric). For technologies an id one side
requires and the other lists as acceptable counts as agreement, as in scoring.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = ["research", "pilot", "procurement", "adoption", "policy", "setback", "none"]


def kappa(a: list, b: list) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def set_f1(pairs: list[tuple[set, set, set, set]]) -> float:
    """F1 of side 2 against side 1: (required1, acceptable1, required2, acceptable2) per record."""
    tp = fp = fn = 0
    for req1, acc1, req2, acc2 in pairs:
        tp += len(req1 & (req2 | acc2))
        fn += len(req1 - req2 - acc2)
        fp += len(req2 - req1 - acc1)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


ROUND2 = ("h-", "i-", "j-")  # parts added in the second round (targeted at the weak stages)
ROUND3 = ("k-", "l-", "m-", "n-", "o-", "p-", "q-", "r-")  # third round: a stage-neutral sample per technology
ROUND4 = ("s-", "t-", "u-", "v-", "w-", "x-", "y-", "z-")  # fourth round: the same, other wordings, earlier years
ROUND5 = ("5a-", "5b-", "5c-", "5d-", "5e-", "5f-")  # fifth round: the same, recent years (2023-2026)
ROUND6 = ("r6a-", "r6b-", "r6c-", "r6d-")  # sixth round: the same, for the technologies the replay covers thinly


def figures(pairs: list[tuple[dict, dict]]) -> dict[str, float]:
    empty: set = set()
    tech = [(set(a["tech_required"]), set(a["tech_acceptable"]), set(b["tech_required"]), set(b["tech_acceptable"]))
            for a, b in pairs]
    doms = [(set(a["domains_required"]), empty, set(b["domains_required"]), empty) for a, b in pairs]
    emer = [(set(a["emerging_terms"]), empty, set(b["emerging_terms"]), empty) for a, b in pairs]
    stage_a, stage_b = [a["stage"] for a, _ in pairs], [b["stage"] for _, b in pairs]
    mun_a, mun_b = [a["municipal"] for a, _ in pairs], [b["municipal"] for _, b in pairs]
    return {"stage kappa": kappa(stage_a, stage_b),
            "stage agreement": sum(x == y for x, y in zip(stage_a, stage_b)) / len(pairs),
            "municipal kappa": kappa(mun_a, mun_b),
            "municipal agreement": sum(x == y for x, y in zip(mun_a, mun_b)) / len(pairs),
            "tech F1": set_f1(tech), "domain F1": set_f1(doms), "emerging F1": set_f1(emer)}


ROWS = [("stage", "Cohen's kappa", "stage kappa"), ("stage", "exact agreement", "stage agreement"),
        ("municipal", "Cohen's kappa", "municipal kappa"), ("municipal", "exact agreement", "municipal agreement"),
        ("technologies (required, acceptable neutral)", "F1", "tech F1"), ("domains", "F1", "domain F1"),
        ("emerging terms (exact string)", "F1", "emerging F1")]


def main() -> int:
    first = {}
    for path in sorted((HERE / "parts").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                first[rec["id"]] = rec
    second = [json.loads(line) for line in (HERE / "second_annotator.jsonl").read_text(encoding="utf-8").splitlines()
              if line.strip()]
    pairs = [(first[s["id"]], s) for s in second if s["id"] in first]
    rounds = {"all": pairs, "round 1": [p for p in pairs if not p[0]["id"].startswith(ROUND2 + ROUND3 + ROUND4 + ROUND5 + ROUND6)],
              "round 2": [p for p in pairs if p[0]["id"].startswith(ROUND2)],
              "round 3": [p for p in pairs if p[0]["id"].startswith(ROUND3)],
              "round 4": [p for p in pairs if p[0]["id"].startswith(ROUND4)],
              "round 5": [p for p in pairs if p[0]["id"].startswith(ROUND5)],
              "round 6": [p for p in pairs if p[0]["id"].startswith(ROUND6)]}
    cols = {name: figures(ps) for name, ps in rounds.items() if ps}
    confusion = Counter((a["stage"], b["stage"]) for a, b in pairs if a["stage"] != b["stage"])
    lines = [
        "# Inter-annotator agreement (real-text corpus)", "",
        f"{len(pairs)} excerpts labelled again, blind, by an independent second annotator (labels only, in",
        "`second_annotator.jsonl`): round 1, a random 170 (seed 20261129) of the first ~550 records of parts a-g;",
        "round 2, a random 120 (same seed) of parts h-j, the second round that targeted procurement, setbacks,",
        "policy and new terms; round 3, a random 100 (same seed) of parts k-n, the stage-neutral sample per",
        "technology; round 4, a random 100 (same seed) of parts s-z, the same kind of sample with other",
        "wordings and earlier years; round 5, a random 100 (seed 5) of parts 5a-5f, the same kind of sample",
        "from recent years; round 6, a random 100 (seed 6) of parts 6a-6d, the same kind of sample for the 22",
        "technologies with fewer than 20 replay documents. The first labels are compared as they stand after",
        "the consistency passes of DECISIONS.md. `python data/annotations/real/agreement.py` prints this page.", "",
        "| label | measure | " + " | ".join(f"{k} (n={len(rounds[k])})" for k in cols) + " |",
        "|---|---|" + "---|" * len(cols),
        *[f"| {label} | {measure} | " + " | ".join(f"{cols[k][key]:.3f}" for k in cols) + " |"
          for label, measure, key in ROWS], "",
        "Most frequent stage disagreements (first annotator -> second):", "",
        *[f"- {x} -> {y}: {n}" for (x, y), n in confusion.most_common(8)], "",
    ]
    (HERE / "agreement.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
