"""Municipality names <-> CBS codes (GM0363 style), from lexicon/municipal.yaml (`codes:`).

Official sources name a municipality in many ways: an ORI index key (`loon_op_zand`), an SRU creator
(`Pijnacker-Nootdorp`), a TED buyer (`Gemeente Utrecht`, `College van B&W van de gemeente Ede`). `resolve`
maps any of these to the code, or None when the text names no municipality (or an ambiguous one).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from scanner.municipal import CODE, EXPECTED_CODES, NATIONAL_LIST_MIN, code_problems, fold
from scanner.municipal import strip_name as _strip

__all__ = ["CODE", "EXPECTED_CODES", "NATIONAL_LIST_MIN", "MunicipalityIndex", "code_problems", "codes_of",
           "default_index", "fold"]


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
            found = codes.get(str(alias)) or codes.get(str(target))
            if found:
                index._add(str(alias), found)
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


def codes_of(values: Iterable[str | None], index: MunicipalityIndex) -> list[str]:
    """Distinct codes resolved from several spellings, in order."""
    out: list[str] = []
    for value in values:
        code = index.resolve(value)
        if code and code not in out:
            out.append(code)
    return out
