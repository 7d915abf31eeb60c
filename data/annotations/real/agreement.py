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
    empty: set = set()
    tech = [(set(a["tech_required"]), set(a["tech_acceptable"]), set(b["tech_required"]), set(b["tech_acceptable"]))
            for a, b in pairs]
    doms = [(set(a["domains_required"]), empty, set(b["domains_required"]), empty) for a, b in pairs]
    emer = [(set(a["emerging_terms"]), empty, set(b["emerging_terms"]), empty) for a, b in pairs]
    stage_a, stage_b = [a["stage"] for a, _ in pairs], [b["stage"] for _, b in pairs]
    mun_a, mun_b = [a["municipal"] for a, _ in pairs], [b["municipal"] for _, b in pairs]
    confusion = Counter((x, y) for x, y in zip(stage_a, stage_b) if x != y)
    lines = [
        "# Inter-annotator agreement (real-text corpus)", "",
        f"{len(pairs)} excerpts, drawn at random (seed 20261129) from the annotated records of the parts at the time",
        "the sample was taken (about 550), labelled again blind by an independent second annotator.",
        "`python data/annotations/real/agreement.py` prints this page.", "",
        "| label | measure | value |", "|---|---|---|",
        f"| stage | Cohen's kappa | {kappa(stage_a, stage_b):.3f} |",
        f"| stage | exact agreement | {sum(x == y for x, y in zip(stage_a, stage_b)) / len(pairs):.3f} |",
        f"| municipal | Cohen's kappa | {kappa(mun_a, mun_b):.3f} |",
        f"| municipal | exact agreement | {sum(x == y for x, y in zip(mun_a, mun_b)) / len(pairs):.3f} |",
        f"| technologies (required, acceptable neutral) | F1 | {set_f1(tech):.3f} |",
        f"| domains | F1 | {set_f1(doms):.3f} |",
        f"| emerging terms (exact string) | F1 | {set_f1(emer):.3f} |", "",
        "Most frequent stage disagreements (first annotator -> second):", "",
        *[f"- {x} -> {y}: {n}" for (x, y), n in confusion.most_common(8)], "",
    ]
    (HERE / "agreement.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
