"""Merge two independent outcome judgements into data/outcomes.tsv and report their agreement.

    python data/outcomes/merge.py            # writes data/outcomes.tsv and data/outcomes/agreement.md

Rows judged by both judges: where they agree, that horizon; where they differ, the judgement held
with more confidence (high > medium > low), and on a tie the later horizon (a claim of adoption
needs the evidence both judges would accept). Rows judged by one judge only are kept with that
judge's horizon and marked `single`. Both judgements and all evidence addresses stay in the file.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
HORIZONS = ["in-use", "0-3", "3-7", ">7"]
CONFIDENCE = {"high": 3, "medium": 2, "low": 1}


def read(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["technology"], r["date"]): r for r in csv.DictReader(fh, delimiter="\t")}


def kappa(pairs: list[tuple[str, str]], weighted: bool = False) -> float:
    """Cohen's kappa (linear weights over the ordered bins when weighted)."""
    n = len(pairs)
    a, b = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)

    def dist(x: str, y: str) -> float:
        d = abs(HORIZONS.index(x) - HORIZONS.index(y))
        return d / (len(HORIZONS) - 1) if weighted else float(d > 0)

    observed = sum(dist(x, y) for x, y in pairs) / n
    expected = sum(a[x] * b[y] * dist(x, y) for x in HORIZONS for y in HORIZONS) / (n * n)
    return 1 - observed / expected if expected else 1.0


def settle(one: dict[str, str], two: dict[str, str]) -> tuple[str, str]:
    if one["horizon"] == two["horizon"]:
        return one["horizon"], "agreed"
    c1, c2 = CONFIDENCE.get(one["confidence"], 0), CONFIDENCE.get(two["confidence"], 0)
    if c1 != c2:
        return (one if c1 > c2 else two)["horizon"], "confidence"
    return max(one["horizon"], two["horizon"], key=HORIZONS.index), "later"


def main() -> int:
    j1, j2 = read(HERE / "judge1.tsv"), read(HERE / "judge2.tsv")
    keys = sorted(set(j1) | set(j2), key=lambda k: (k[0], k[1]))
    rows, both = [], []
    for key in keys:
        one, two = j1.get(key), j2.get(key)
        if one and two:
            horizon, how = settle(one, two)
            both.append((one["horizon"], two["horizon"]))
        else:
            horizon, how = (one or two)["horizon"], "single"
        urls = " ".join(dict.fromkeys(" ".join(r["evidence_urls"] for r in (one, two) if r).split()))
        rows.append({"technology": key[0], "date": key[1], "horizon": horizon, "settled": how,
                     "judge1": one["horizon"] if one else "", "judge2": two["horizon"] if two else "",
                     "evidence_urls": urls})
    with (HERE.parent / "outcomes.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    latest = [(j1[k]["horizon"], j2[k]["horizon"]) for k in j1 if k in j2 and k[1] == "2026-10"]
    settled = Counter(r["settled"] for r in rows)
    report = [
        "# Outcome judgements: agreement", "",
        "Two judges independently judged where Dutch municipalities stood with each technology, from cited",
        "public evidence (`judge1.tsv`, `judge2.tsv`); `python data/outcomes/merge.py` writes this page and",
        "`data/outcomes.tsv`.", "",
        "| rows | judged by both | exact agreement | Cohen's kappa | linearly weighted kappa |",
        "|---|---|---|---|---|",
        f"| all dates | {len(both)} | {sum(x == y for x, y in both) / len(both):.3f} | {kappa(both):.3f} | "
        f"{kappa(both, True):.3f} |",
        f"| 2026-10 | {len(latest)} | {sum(x == y for x, y in latest) / len(latest):.3f} | {kappa(latest):.3f} | "
        f"{kappa(latest, True):.3f} |", "",
        f"Merged rows: {len(rows)} ({settled['agreed']} agreed, {settled['confidence']} settled by the more "
        f"confident judge, {settled['later']} by the later horizon on equal confidence, {settled['single']} "
        "judged once).", "",
        "Horizons at 2026-10 after merging: " + ", ".join(
            f"{h} {sum(r['horizon'] == h and r['date'] == '2026-10' for r in rows)}" for h in HORIZONS) + ".", "",
    ]
    (HERE / "agreement.md").write_text("\n".join(report), encoding="utf-8")
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
