"""Golden tagging outputs: the tagger's results on the demo corpus and the annotated real-text corpus,
recorded (as one sha256 per document) before the throughput work of issue 16, so the fast path can be
checked against them. Regenerate after a deliberate change of the lexicon, the models or the tagger:

    .venv/bin/python tests/tag_golden.py          # writes tests/fixtures/tagging/golden.json
"""
from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "tagging"
GOLDEN = FIXTURES / "golden.json"
DEMO_DOCS = FIXTURES / "demo_docs.jsonl.gz"  # title + text of the 1,976 live documents a demo harvest stores
REAL_CORPUS = ROOT / "data" / "annotations" / "real" / "corpus.jsonl"
VARIANTS: dict[str, dict[str, Any]] = {
    "models": {},  # every classifier on (the default)
    "rules": {"use_stage_model": False, "use_relevance_model": False, "use_label_model": False},
}


def demo_docs() -> list[dict[str, str]]:
    with gzip.open(DEMO_DOCS, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def real_docs() -> list[dict[str, str]]:
    with REAL_CORPUS.open(encoding="utf-8") as fh:
        return [{"id": r["id"], "text": r["text"]} for r in map(json.loads, fh)]


def corpora() -> dict[str, list[dict[str, str]]]:
    return {"demo": demo_docs(), "real": real_docs()}


def digest(result: dict[str, Any]) -> str:
    blob = json.dumps(result, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def digests(results: Iterable[dict[str, Any]]) -> list[str]:
    return [digest(r) for r in results]


def write(path: Path = GOLDEN) -> dict[str, Any]:
    from scanner.tag.tagger import Tagger

    out: dict[str, Any] = {"note": __doc__.strip().splitlines()[0], "variants": {}}
    docs = corpora()
    for name, config in VARIANTS.items():
        tagger = Tagger(config=config)
        out["variants"][name] = {"version": tagger.version,
                                 **{corpus: digests(tagger.tag_many(items)) for corpus, items in docs.items()}}
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    result = write()
    print({k: v["version"] for k, v in result["variants"].items()})
