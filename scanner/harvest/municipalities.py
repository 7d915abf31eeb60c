"""Municipality names <-> CBS codes (GM0363 style), from lexicon/municipal.yaml (`codes:`).

Official sources name a municipality in many ways: an ORI index key (`loon_op_zand`), an SRU creator
(`Pijnacker-Nootdorp`), a TED buyer (`Gemeente Utrecht`, `College van B&W van de gemeente Ede`). `resolve`
maps any of these to the code, or None when the text names no municipality (or an ambiguous one).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

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


def _strip(name: str) -> str:
    name = " ".join(name.replace("_", " ").split()).lower()
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
    return _SUFFIX.sub("", name)


@dataclass
class MunicipalityIndex:
    """Code lookups built from the catalogue's `municipal` section."""
    codes: dict[str, str] = field(default_factory=dict)        # display name -> code
    names: dict[str, str] = field(default_factory=dict)        # code -> display name
    _by_key: dict[str, str | None] = field(default_factory=dict)  # folded spelling -> code (None: ambiguous)

    @classmethod
    def from_municipal(cls, municipal: dict[str, Any]) -> "MunicipalityIndex":
        index = cls()
        codes = {str(k): str(v) for k, v in (municipal.get("codes") or {}).items()}
        index.codes = codes
        for name, code in codes.items():
            index.names.setdefault(code, name)
            index._add(name, code)
            index._add(_strip(name), code)
        for alias, target in (municipal.get("aliases") or {}).items():
            code = codes.get(str(alias)) or codes.get(str(target))
            if code:
                index._add(str(alias), code)
        return index

    def _add(self, spelling: str, code: str) -> None:
        key = fold(spelling)
        if not key:
            return
        if key in self._by_key and self._by_key[key] != code:
            self._by_key[key] = None  # e.g. plain "Bergen": two municipalities
        else:
            self._by_key[key] = code

    def resolve(self, text: str | None) -> str | None:
        """The CBS code named by text (a code itself, a name, an index key, a buyer name), else None."""
        if not text:
            return None
        text = str(text).strip()
        if CODE.match(text.upper()) and text.upper() in self.names:
            return text.upper()
        for candidate in (text, _strip(text)):
            code = self._by_key.get(fold(candidate))
            if code:
                return code
        return None

    def name(self, code: str | None) -> str | None:
        return self.names.get(code or "")


@lru_cache(maxsize=4)
def _cached(lexicon_version: str) -> MunicipalityIndex:
    from scanner.catalogue import load_catalogue

    return MunicipalityIndex.from_municipal(load_catalogue().municipal)


def default_index() -> MunicipalityIndex:
    """The index of the repository lexicon (cached per lexicon version)."""
    from scanner.catalogue import load_catalogue

    return _cached(str(getattr(load_catalogue(), "version", "")))


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
    covered = {fold(_strip(str(k))) for k in codes} | {fold(str(k)) for k in codes}
    problems += [f"municipal codes: no code for municipality {n!r}" for n in names if fold(n) not in covered]
    problems += [f"municipal codes: {k!r} is not in `municipalities`" for k in codes
                 if fold(str(k)) not in listed and fold(_strip(str(k))) not in listed]
    if len(names) >= NATIONAL_LIST_MIN and len(codes) != EXPECTED_CODES:
        problems.append(f"municipal codes: {len(codes)} entries, expected {EXPECTED_CODES}")
    return problems


def codes_of(values: Iterable[str | None], index: MunicipalityIndex) -> list[str]:
    """Distinct codes resolved from several spellings, in order."""
    out: list[str] = []
    for value in values:
        code = index.resolve(value)
        if code and code not in out:
            out.append(code)
    return out
