"""Annotated sentences (data/annotations/*.jsonl) and analyst relabels as training examples."""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from scanner.catalogue import DOMAINS, FACTORS, POLARITIES, STAGE_LABELS
from scanner.config import repo_root

log = logging.getLogger(__name__)

STAGES = STAGE_LABELS
FACTOR_LABELS = tuple(f"{f}:{p}" for f in FACTORS for p in POLARITIES)
MUNICIPAL = "municipal"
LANGS = ("nl", "en")
SPLITS = ("train", "dev", "test")
STYLES = ("trade-press", "government", "consultancy", "local-news")


@dataclass
class Example:
    id: str
    text: str
    lang: str
    stage: str
    municipal: bool | None = None
    factors: list[str] = field(default_factory=list)  # "factor:polarity"
    split: str = "train"
    origin: str = "hand"
    technology: str | None = None
    domain: str | None = None


def data_dir() -> Path:
    return repo_root() / "data" / "annotations"


def municipality_names(lexicon_dir: Path | None = None) -> list[str]:
    """Last word of each Dutch municipality name and alias in lexicon/municipal.yaml, minus ambiguous ones."""
    import yaml

    path = (lexicon_dir or repo_root() / "lexicon") / "municipal.yaml"
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    ambiguous = set(data.get("ambiguous_municipalities") or [])
    names = [str(n) for n in (data.get("municipalities") or []) + list(data.get("aliases") or {})]
    words = {re.findall(r"\w+", n)[-1] for n in names if n not in ambiguous and re.findall(r"\w+", n)}
    return sorted(w for w in words if len(w) > 2 and w[0].isupper())


def read_rows(directory: Path | None = None) -> list[dict[str, Any]]:
    """Every JSON line of train/dev/test.jsonl (raw dicts, for validation and training)."""
    directory = directory or data_dir()
    rows = []
    for split in SPLITS:
        path = directory / f"{split}.jsonl"
        if path.exists():
            rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def to_example(row: dict[str, Any]) -> Example:
    factors = [f"{f['factor']}:{f['polarity']}" for f in row.get("factors") or []]
    return Example(id=row["id"], text=row["text"], lang=row["lang"], stage=row["stage"],
                   municipal=row.get("municipal"), factors=factors, split=row.get("split", "train"),
                   origin=row.get("origin", "hand"), technology=row.get("technology"), domain=row.get("domain"))


def load_examples(directory: Path | None = None, splits: Iterable[str] = SPLITS) -> list[Example]:
    wanted = set(splits)
    return [to_example(r) for r in read_rows(directory) if r.get("split", "train") in wanted]


def normalise_text(text: str) -> str:
    """Case- and punctuation-insensitive key used for duplicate and overlap checks."""
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _row_problems(row: dict[str, Any], where: str) -> list[str]:
    problems = []
    for key, kind in (("id", str), ("text", str), ("lang", str), ("stage", str), ("split", str)):
        if not isinstance(row.get(key), kind) or not row.get(key):
            problems.append(f"{where}: missing or bad {key!r}")
    if row.get("lang") not in LANGS:
        problems.append(f"{where}: lang {row.get('lang')!r}")
    if row.get("stage") not in STAGES:
        problems.append(f"{where}: stage {row.get('stage')!r}")
    if not isinstance(row.get("municipal"), bool):
        problems.append(f"{where}: municipal must be a bool")
    if row.get("split") not in SPLITS:
        problems.append(f"{where}: split {row.get('split')!r}")
    if row.get("domain") is not None and row["domain"] not in DOMAINS:
        problems.append(f"{where}: domain {row['domain']!r}")
    if row.get("style") not in STYLES:
        problems.append(f"{where}: style {row.get('style')!r}")
    for factor in row.get("factors") or []:
        if factor.get("factor") not in FACTORS or factor.get("polarity") not in POLARITIES:
            problems.append(f"{where}: factor {factor!r}")
    return problems


def validate_rows(rows: list[dict[str, Any]], technologies: set[str] | None = None) -> list[str]:
    """Schema problems, duplicate ids/texts and test-train overlap; empty list = valid."""
    problems: list[str] = []
    ids: set[str] = set()
    texts: dict[str, str] = {}
    for row in rows:
        where = str(row.get("id"))
        problems += _row_problems(row, where)
        if technologies is not None and row.get("technology") not in (None, *technologies):
            problems.append(f"{where}: unknown technology {row.get('technology')!r}")
        if str(row.get("id")) in ids:
            problems.append(f"{where}: duplicate id")
        ids.add(str(row.get("id")))
        key = normalise_text(str(row.get("text", "")))
        if key in texts:
            problems.append(f"{where}: duplicate text (also {texts[key]})")
        texts[key] = where
    return problems


def relabel_examples(store: Any) -> list[Example]:
    """Analyst stage relabels (review UI, table `relabels`, field 'stage', not undone) as train examples."""
    if "relabels" not in store.db.table_names():
        return []
    sql = ("SELECT r.id, r.sentence, r.new, d.language FROM relabels r "
           "LEFT JOIN documents d ON d.id = r.document_id "
           "WHERE r.field = ? AND COALESCE(r.undone, 0) = 0 ORDER BY r.id")
    latest: dict[str, Example] = {}
    for rid, sentence, new, lang in store.conn.execute(sql, ("stage",)).fetchall():
        if not sentence or new not in STAGES:
            continue
        lang = lang if lang in LANGS else "nl"
        # a later relabel of the same sentence wins
        latest[normalise_text(sentence)] = Example(id=f"relabel-{rid}", text=sentence, lang=lang, stage=new,
                                                   split="train", origin="relabel")
    log.info("%d analyst stage relabels", len(latest))
    return list(latest.values())


def merge_relabels(examples: list[Example], relabels: list[Example]) -> list[Example]:
    """Relabels override annotated train sentences with the same text; never touch dev/test sentences."""
    held_out = {normalise_text(e.text) for e in examples if e.split != "train"}
    by_text = {normalise_text(e.text): e for e in relabels if normalise_text(e.text) not in held_out}
    out = []
    for example in examples:
        key = normalise_text(example.text)
        if example.split == "train" and key in by_text:
            example.stage = by_text.pop(key).stage
        out.append(example)
    return out + list(by_text.values())
