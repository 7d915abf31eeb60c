"""Municipality names and CBS codes as the catalogue's `municipal` section states them (lexicon/municipal.yaml).

The spelling fold that name lookups compare, and the `scanner lexicon check` rules for `codes:`; the lookup
index for harvested text is scanner.harvest.municipalities.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

CODE = re.compile(r"^GM\d{4}$")
EXPECTED_CODES = 342            # municipalities on 1 January 2024 (CBS gemeentelijke indeling 2024)
NATIONAL_LIST_MIN = 100         # a `municipalities` list this long is the national one: it needs codes
_PREFIXES = ("gemeentebestuur van ", "gemeente ", "gem. ", "municipality of ", "college van burgemeester en "
             "wethouders van ", "college van b&w van ", "college van b en w van ", "de raad van ", "raad van ")
_SUFFIX = re.compile(r"\s*\((?:l|nh|o|z|zh|gld|gem|gemeente)\.?\)\s*$")


def fold(text: str) -> str:
    """Lower-case, accents and punctuation removed, spaces squeezed out: `Súdwest-Fryslân` -> `sudwestfryslan`."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def strip_name(name: str) -> str:
    """The municipality's own name in `Gemeente Utrecht`, `loon_op_zand` or `Bergen (NH.)` (lower-case)."""
    name = " ".join(name.replace("_", " ").split()).lower()
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
    return _SUFFIX.sub("", name)


def code_problems(municipal: dict[str, Any]) -> list[str]:
    """`scanner lexicon check` rules for `codes:`: GMdddd, unique, 342, every listed municipality covered."""
    names = [str(n) for n in municipal.get("municipalities") or []]
    codes = municipal.get("codes")
    if codes is None:
        if len(names) >= NATIONAL_LIST_MIN:
            return ["municipal: `codes` (name -> CBS code) missing for the national municipality list"]
        return []
    if not isinstance(codes, dict):
        return ["municipal: `codes` must be a mapping name -> CBS code (GM0363)"]
    problems = [f"municipal codes: {name!r} has {code!r}, expected GM followed by 4 digits"
                for name, code in codes.items() if not CODE.match(str(code))]
    seen: dict[str, str] = {}
    for name, code in codes.items():
        if str(code) in seen:
            problems.append(f"municipal codes: {code} given to both {seen[str(code)]!r} and {name!r}")
        seen.setdefault(str(code), str(name))
    listed = {fold(n) for n in names}
    covered = {fold(strip_name(str(k))) for k in codes} | {fold(str(k)) for k in codes}
    problems += [f"municipal codes: no code for municipality {n!r}" for n in names if fold(n) not in covered]
    problems += [f"municipal codes: {k!r} is not in `municipalities`" for k in codes
                 if fold(str(k)) not in listed and fold(strip_name(str(k))) not in listed]
    if len(names) >= NATIONAL_LIST_MIN and len(codes) != EXPECTED_CODES:
        problems.append(f"municipal codes: {len(codes)} entries, expected {EXPECTED_CODES}")
    return problems
