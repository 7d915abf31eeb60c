"""The tagger's tokenizer: spaCy's, with the sentence-final period split off words that end in a capital.

spaCy keeps the period on `DigiD.`, `IoT.` and `LoRaWAN.` (so that initials such as `J.` and `U.S.` stay
whole), and a catalogue term at the end of a sentence was then never matched: on the real training
excerpts "Bijna alle Nederlanders hebben een DigiD." named no technology. The rule splits the period only
after a capital that follows a lower-case letter or a digit (spaCy itself splits it after two capitals,
`AI.`), so initials and dotted abbreviations stay intact.
"""
from __future__ import annotations

from typing import Any

from spacy.lang.char_classes import ALPHA_LOWER, ALPHA_UPPER
from spacy.util import compile_suffix_regex

CAPITAL_FINAL_PERIOD = rf"(?<=[{ALPHA_LOWER}0-9][{ALPHA_UPPER}])\."


def split_capital_final_period(nlp: Any) -> None:
    """Add the suffix rule to `nlp`'s tokenizer (in place).

    >>> import spacy
    >>> nlp = spacy.blank("nl"); split_capital_final_period(nlp)
    >>> [t.text for t in nlp("Log in met DigiD. Of met IoT. Dhr. J. de Vries")]
    ['Log', 'in', 'met', 'DigiD', '.', 'Of', 'met', 'IoT', '.', 'Dhr.', 'J.', 'de', 'Vries']
    """
    suffixes = [*nlp.Defaults.suffixes, CAPITAL_FINAL_PERIOD]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
