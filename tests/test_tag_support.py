"""Shared helpers for the tag tests (no tests here): the real-catalogue tagger, cue rules only, built once."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

FIXTURE_LEXICON = Path(__file__).parent / "fixtures" / "lexicon"


@lru_cache(maxsize=1)
def real_tagger() -> Any:
    from scanner.tag.tagger import Tagger

    return Tagger(config={"use_stage_model": False})


@lru_cache(maxsize=1)
def shape_tagger() -> Any:
    """The real catalogue with candidates from the shape rules alone (no term model)."""
    from scanner.tag.tagger import Tagger

    return Tagger(config={"use_stage_model": False, "use_term_model": False})


@lru_cache(maxsize=1)
def fixture_tagger() -> Any:
    from scanner.catalogue import load_catalogue
    from scanner.tag.tagger import Tagger

    return Tagger(load_catalogue(FIXTURE_LEXICON, validate=False), config={"use_stage_model": False})


def tag(text: str, title: str | None = None, tagger: Any = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": "t", "text": text}
    if title is not None:
        doc["title"] = title
    return (tagger or real_tagger()).tag(doc)


def found_ids(result: dict[str, Any]) -> set[str]:
    return {m["id"] for m in result["technologies"]} | {m["id"] for m in result["processes"]}
