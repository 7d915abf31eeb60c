"""spaCy components that make the shipped models loadable with spacy.load (import this module first).

`horizonscan_linear_cats` puts a LinearTextModel's scores into doc.cats; with `mix` < 1 it averages
them with the cats an earlier textcat set (the ensemble).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from scanner.train.linear import LinearTextModel

FACTORY = "horizonscan_linear_cats"


class LinearCats:
    """doc.cats = mix * linear scores + (1 - mix) * cats already on the doc."""

    def __init__(self, name: str, mix: float) -> None:
        self.name = name
        self.mix = mix
        self.model: LinearTextModel | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            raise ValueError(f"{self.name}: no model loaded")
        scores = self.model.scores(doc.text)
        if self.mix >= 1.0 or not doc.cats:
            doc.cats = scores
        else:
            doc.cats = {label: self.mix * p + (1.0 - self.mix) * doc.cats.get(label, p)
                        for label, p in scores.items()}
        return doc

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.model.labels) if self.model else ()

    def to_disk(self, path: Path, *, exclude: Any = tuple()) -> None:
        if self.model is not None:
            self.model.to_disk(Path(path))

    def from_disk(self, path: Path, *, exclude: Any = tuple()) -> "LinearCats":
        self.model = LinearTextModel.from_disk(Path(path))
        return self


@Language.factory(FACTORY, default_config={"mix": 1.0})
def make_linear_cats(nlp: Language, name: str, mix: float) -> LinearCats:
    return LinearCats(name, mix)
