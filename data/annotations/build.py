"""Build train/dev/test JSONL from the hand-written src/*.txt and the seeded templates (generate.py).

Usage: python data/annotations/build.py [--resplit]   (deterministic; rewrites train/dev/test.jsonl)
The split is stratified by origin x language x stage with a fixed seed. Sentences already in the JSONL
files keep their split (so a test sentence never leaks into training); only new ones are assigned.
--resplit ignores the current files and splits everything afresh.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

SEED = 8
SHARES = {"test": 0.2, "dev": 0.1}
STAGES = ["research", "pilot", "procurement", "adoption", "policy", "setback", "none"]
STYLES = {"tp": "trade-press", "gov": "government", "con": "consultancy", "news": "local-news"}
FACTORS = {"pp": "product-performance", "pr": "price", "ps": "production-system", "cp": "complementary-products",
           "nf": "network-formation", "cu": "customers", "ia": "institutional-aspects",
           "kt": "knowledge-of-technology", "ka": "knowledge-of-application", "wr": "workers-and-resources",
           "fm": "financial-means", "me": "macro-economic-strategic", "sc": "socio-cultural-aspects",
           "ae": "accidents-unexpected-events"}
DOMAINS = {"dienstverlening", "bedrijfsvoering", "ruimtelijk-fysiek", "sociaal-domein", "handhaving-toezicht",
           "bestuur-participatie"}


def parse_line(line: str, lang: str, where: str) -> dict:
    """`stage|municipal|technology|domain|style|factors|text` -> an example dict."""
    parts = line.split("|", 6)
    if len(parts) != 7:
        raise ValueError(f"{where}: expected 7 fields")
    stage, mun, tech, domain, style, factors, text = (p.strip() for p in parts)
    if stage not in STAGES or mun not in ("0", "1") or style not in STYLES:
        raise ValueError(f"{where}: bad stage/municipal/style")
    if domain != "-" and domain not in DOMAINS:
        raise ValueError(f"{where}: bad domain {domain}")
    out = []
    for code in ([] if factors == "-" else factors.split(",")):
        if code[:-1] not in FACTORS or code[-1] not in "+-":
            raise ValueError(f"{where}: bad factor {code}")
        out.append({"factor": FACTORS[code[:-1]], "polarity": "driver" if code[-1] == "+" else "barrier"})
    return {"text": text, "lang": lang, "stage": stage, "municipal": mun == "1", "factors": out,
            "technology": None if tech == "-" else tech, "domain": None if domain == "-" else domain,
            "style": STYLES[style], "origin": "hand"}


def read_hand(src: Path) -> list[dict]:
    rows = []
    for path in sorted(src.glob("*.txt")):
        lang = path.name[:2]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.startswith("#"):
                rows.append(parse_line(line, lang, f"{path.name}:{number}"))
    return rows


def norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def with_ids(rows: list[dict]) -> list[dict]:
    seen: dict[str, str] = {}
    for row in rows:
        key = norm(row["text"])
        if key in seen:
            raise ValueError(f"duplicate sentence: {row['text']!r}")
        seen[key] = row["text"]
        prefix = "h" if row["origin"] == "hand" else "t"
        row["id"] = f"{prefix}-{row['lang']}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"
    return rows


def existing_splits() -> dict[str, str]:
    """id -> split of the current JSONL files, so a sentence never changes split once assigned."""
    out = {}
    for split in ("train", "dev", "test"):
        path = HERE / f"{split}.jsonl"
        if path.exists():
            out.update({json.loads(line)["id"]: split for line in path.read_text(encoding="utf-8").splitlines()})
    return out


def assign_splits(rows: list[dict], seed: int = SEED, keep: dict[str, str] | None = None) -> None:
    """Stratified by origin x lang x stage (~20% test, ~10% dev); kept ids keep their split, new ones
    (in seeded random order) go to whichever split is furthest below its share in their stratum."""
    keep = keep or {}
    strata: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        strata[(row["origin"], row["lang"], row["stage"])].append(row)
    rng = random.Random(seed)
    for key in sorted(strata):
        group = sorted(strata[key], key=lambda r: r["id"])
        rng.shuffle(group)
        counts = {"train": 0, "dev": 0, "test": 0}
        for row in group:
            if row["id"] in keep:
                row["split"] = keep[row["id"]]
                counts[row["split"]] += 1
        for row in (r for r in group if r["id"] not in keep):
            total = sum(counts.values()) + 1
            need = {s: SHARES.get(s, 1 - sum(SHARES.values())) * total - counts[s] for s in ("test", "dev", "train")}
            row["split"] = max(need, key=lambda s: (need[s], s == "train"))
            counts[row["split"]] += 1


def main() -> None:
    templates = [dict(r, style=STYLES[r["style"]]) for r in generate()]
    rows = with_ids(read_hand(HERE / "src") + templates)
    assign_splits(rows, keep={} if "--resplit" in sys.argv else existing_splits())
    fields = ["id", "text", "lang", "stage", "municipal", "factors", "technology", "domain", "style",
              "origin", "split"]
    for split in ("train", "dev", "test"):
        chosen = sorted((r for r in rows if r["split"] == split), key=lambda r: r["id"])
        with (HERE / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for row in chosen:
                fh.write(json.dumps({k: row.get(k) for k in fields}, ensure_ascii=False) + "\n")
        print(f"{split}: {len(chosen)}")


if __name__ == "__main__":
    main()
