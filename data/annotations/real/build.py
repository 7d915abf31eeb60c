"""Build the real-text corpus and the replay corpus from the annotators' parts.

    python data/annotations/real/build.py

Writes
- data/annotations/real/corpus.jsonl: every valid record once, with a site-disjoint `split`
  (train, dev or test, decided by a hash of the site before any model saw the data; no site in two);
- data/replay/replay.jsonl: the dated records (2016 or later) in `scanner ingest` JSONL form, from the
  parts collected as a natural sample of news (not the stage-targeted second round, TARGETED_PARTS).
Deterministic: the same parts give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE))

from validate import catalogue_ids, check_record, load, page_key, reserved_hashes  # noqa: E402

TEST_SHARE = 25  # percent of sites held out for the final report only
DEV_SHARE = 15   # percent of sites for choosing models and thresholds (the test split chooses nothing)
# The second annotation round chose its queries by stage (30% procurement, 25% setbacks: the stages the
# classifier reads worst). Good training data, but not a sample of what a monitor sees: in the replay
# corpus it would bias every horizon towards setbacks, so its records stay out of the replay.
TARGETED_PARTS = ("h", "i", "j")
# Source types for the replay corpus, by host suffix (first match wins); anything else is news.
SOURCE_TYPES = (
    ("overheid.nl", "government"), ("rijksoverheid.nl", "government"), ("vng.nl", "government"),
    ("gemeente", "local"), ("raad", "local"), ("stad.", "local"), (".gent", "local"), ("gov.uk", "government"),
    ("europa.eu", "government"), ("binnenlandsbestuur.nl", "trade-press"), ("ibestuur.nl", "trade-press"),
    ("gemeente.nu", "trade-press"), ("stadszaken.nl", "trade-press"), ("computable.nl", "trade-press"),
    ("agconnect.nl", "trade-press"), ("tweakers.net", "trade-press"), ("security.nl", "trade-press"),
    ("techzine", "trade-press"), ("tno.nl", "research"), ("rathenau.nl", "research"), ("uu.nl", "research"),
    ("tudelft.nl", "research"), ("universiteit", "research"), ("deloitte", "consultancy"),
    ("pwc", "consultancy"), ("kpmg", "consultancy"), ("gartner", "consultancy"), ("mckinsey", "consultancy"),
)


def split_of(site: str) -> str:
    """test / dev / train for about TEST_SHARE / DEV_SHARE / the rest % of sites, by a stable hash of the site."""
    bucket = int(hashlib.sha256(site.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "test" if bucket < TEST_SHARE else ("dev" if bucket < TEST_SHARE + DEV_SHARE else "train")


def source_type(site: str) -> str:
    return next((kind for key, kind in SOURCE_TYPES if key in site), "news")


def records() -> list[dict]:
    """Valid records of every part, first occurrence of each url, sorted by id."""
    techs, domains = catalogue_ids()
    reserved = reserved_hashes()
    seen: set[str] = set()
    out = []
    for path, n, rec, err in load(sorted((HERE / "parts").glob("*.jsonl"))):
        if err or rec is None:
            print(f"skipped {path.name}:{n}: {err}", file=sys.stderr)
            continue
        problems = check_record(rec, techs, domains, reserved)
        if problems or page_key(rec["url"]) in seen:
            print(f"skipped {path.name}:{n}: {'; '.join(problems) or 'duplicate url'}", file=sys.stderr)
            continue
        seen.add(page_key(rec["url"]))
        out.append(rec | {"site": rec["site"].removeprefix("www."), "split": split_of(rec["site"].removeprefix("www."))})
    return sorted(out, key=lambda r: r["id"])


def title_of(rec: dict) -> str:
    """The headline, else the excerpt's first sentence (ingest needs a title), cut at a word."""
    if rec.get("title"):
        return rec["title"]
    first = rec["text"].split(". ")[0]
    return first if len(first) <= 120 else first[:120].rsplit(" ", 1)[0] + " ..."


def replay_row(rec: dict) -> dict:
    return {"id": f"replay-{rec['id']}", "url": rec["url"], "title": title_of(rec),
            "text": rec["text"], "published": rec["published"], "source": rec["site"],
            "source_type": source_type(rec["site"]), "language": rec["lang"] if rec["lang"] != "other" else "auto"}


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows),
                    encoding="utf-8")


def stats(recs: list[dict], dated: int) -> str:
    """The corpus composition as a Markdown page (data/annotations/real/stats.md)."""
    from collections import Counter

    def row(counter: Counter) -> str:
        return ", ".join(f"{k} {v} ({v / len(recs):.0%})" for k, v in counter.most_common())

    return "\n".join([
        "# Real-text corpus: composition", "", "Written by `python data/annotations/real/build.py`.", "",
        f"- excerpts: {len(recs)} from {len({r['site'] for r in recs})} sites",
        f"- language: {row(Counter(r['lang'] for r in recs))}",
        f"- split (site-disjoint): {row(Counter(r['split'] for r in recs))}",
        f"- stage: {row(Counter(r['stage'] for r in recs))}",
        f"- municipal: {row(Counter(str(r['municipal']).lower() for r in recs))}",
        f"- with a technology: {sum(bool(r['tech_required']) for r in recs)}; "
        f"with emerging terms: {sum(bool(r['emerging_terms']) for r in recs)}",
        f"- dated: {sum(bool(r['published']) for r in recs)}; dated 2016-2026 outside the stage-targeted round (the replay corpus): {dated}",
        f"- annotators: {row(Counter(r['annotator'] for r in recs))}", ""])


def main() -> int:
    recs = records()
    write_jsonl(HERE / "corpus.jsonl", recs)
    dated = [r for r in recs if r["published"] and "2016" <= r["published"][:4] <= "2026"
             and r["annotator"].lower() not in TARGETED_PARTS]
    write_jsonl(REPO / "data" / "replay" / "replay.jsonl", [replay_row(r) for r in dated])
    (HERE / "stats.md").write_text(stats(recs, len(dated)), encoding="utf-8")
    n = {k: sum(r["split"] == k for r in recs) for k in ("train", "dev", "test")}
    print(f"{len(recs)} records ({n['train']} train, {n['dev']} dev, {n['test']} test; "
          f"{len({r['site'] for r in recs})} sites); {len(dated)} dated 2016-2026 in data/replay/replay.jsonl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
