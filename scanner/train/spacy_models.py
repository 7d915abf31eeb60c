"""Train and apply the spaCy textcat models through the committed config files (seeded)."""
from __future__ import annotations

import io
import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from scanner.train.data import FACTOR_LABELS, MUNICIPAL, STAGES, Example

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
CONFIGS = {"stage": HERE / "config.cfg", "relevance": HERE / "config_multilabel.cfg"}
PIPES = {"stage": "textcat", "relevance": "textcat_multilabel"}
RELEVANCE_LABELS = (MUNICIPAL, *FACTOR_LABELS)


def cats_for(example: Example, task: str) -> dict[str, float]:
    """Gold doc.cats for one example and task."""
    if task == "stage":
        return {label: float(label == example.stage) for label in STAGES}
    cats = {label: float(label in example.factors) for label in FACTOR_LABELS}
    cats[MUNICIPAL] = float(bool(example.municipal))
    return cats


def write_docbin(examples: Iterable[Example], task: str, path: Path) -> int:
    """Serialise examples as a DocBin with gold cats; returns how many were written."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("xx")
    docbin = DocBin(store_user_data=False)
    count = 0
    for example in examples:
        if task == "relevance" and example.municipal is None:
            continue  # relabels carry only a stage
        doc = nlp.make_doc(example.text)
        doc.cats = cats_for(example, task)
        docbin.add(doc)
        count += 1
    docbin.to_disk(path)
    return count


def train_spacy(task: str, train: list[Example], dev: list[Example], seed: int = 42,
                overrides: dict[str, Any] | None = None, config_path: Path | None = None) -> "Language":
    """Train one pipeline with spaCy's training loop; returns the best-on-dev pipeline (loaded)."""
    import spacy
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop
    from spacy.util import load_config

    with tempfile.TemporaryDirectory(prefix="scanner-train-") as tmp:
        root = Path(tmp)
        write_docbin(train, task, root / "train.spacy")
        write_docbin(dev, task, root / "dev.spacy")
        settings = {"paths.train": str(root / "train.spacy"), "paths.dev": str(root / "dev.spacy"),
                    "system.seed": seed, **(overrides or {})}
        config = load_config(config_path or CONFIGS[task], overrides=settings, interpolate=False)
        nlp = init_nlp(config)
        log_stream = io.StringIO()
        (root / "out").mkdir()
        train_loop(nlp, root / "out", stdout=log_stream, stderr=log_stream)
        log.debug("spaCy training log (%s):\n%s", task, log_stream.getvalue())
        return spacy.load(root / "out" / "model-best")
