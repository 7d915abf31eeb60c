"""spaCy components that make the shipped models loadable with spacy.load (import this module first).

`horizonscan_linear_cats` puts a LinearTextModel's scores into doc.cats; with `mix` < 1 it averages
them with the cats an earlier textcat set (the ensemble).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from scanner.tag.linear import LinearTextModel

FACTORY = "horizonscan_linear_cats"
TOKENIZER = "horizonscan.whole_text_tokenizer.v1"
TEXT_KEY = "horizonscan_text"


class WholeTextTokenizer:
    """No tokens at all: the linear model reads the raw text, so word tokens would only cost time."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        # an empty Doc with the text on the side: a one-token Doc would intern every text in the StringStore
        doc = Doc(self.vocab)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Any, batch_size: int = 1000) -> Any:
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> "WholeTextTokenizer":
        return self

    def to_disk(self, path: Path, **kwargs: Any) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: Path, **kwargs: Any) -> "WholeTextTokenizer":
        return self


@registry.tokenizers(TOKENIZER)
def create_whole_text_tokenizer() -> Any:
    def make(nlp: Language) -> WholeTextTokenizer:
        return WholeTextTokenizer(nlp.vocab)

    return make


class LinearCats:
    """doc.cats = mix * linear scores + (1 - mix) * cats already on the doc."""

    def __init__(self, name: str, mix: float) -> None:
        self.name = name
        self.mix = mix
        self.model: LinearTextModel | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            raise ValueError(f"{self.name}: no model loaded")
        scores = self.model.scores(doc.user_data.get(TEXT_KEY, doc.text) if doc.user_data else doc.text)
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
