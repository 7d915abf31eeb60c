"""The tagger's tokenizer: spaCy's, with the sentence-final period split off words that end in a capital.

spaCy keeps the period on `DigiD.`, `IoT.`, `5G.` and `ChatGPT.` (so that initials such as `J.` and
`U.S.` stay whole), and a catalogue term at the end of a sentence was then never matched: on the
real training excerpts a third of the missed DigiD mentions read "... met uw DigiD." Splitting only
after a lower-case letter, a digit or a second capital keeps initials and dotted abbreviations intact.
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
