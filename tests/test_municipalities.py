"""CBS municipality codes in lexicon/municipal.yaml and the name -> code resolver of the official sources."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from scanner.catalogue import check_catalogue, load_catalogue
from scanner.harvest.municipalities import EXPECTED_CODES, MunicipalityIndex, code_problems

LEXICON = Path(__file__).resolve().parent.parent / "lexicon"


@pytest.fixture(scope="module")
def municipal() -> dict:
    return load_catalogue(LEXICON).municipal


@pytest.fixture(scope="module")
def index(municipal: dict) -> MunicipalityIndex:
    return MunicipalityIndex.from_municipal(municipal)


def test_codes_complete_unique_and_valid(municipal: dict) -> None:
    codes = municipal["codes"]
    assert len(codes) == EXPECTED_CODES == len(set(codes.values()))
    assert code_problems(municipal) == []


@pytest.mark.parametrize("name, code", [("Amsterdam", "GM0363"), ("Rotterdam", "GM0599"), ("Den Haag", "GM0518"),
                                        ("Utrecht", "GM0344"), ("Groningen", "GM0014"), ("Voorne aan Zee", "GM1992"),
                                        ("Bergen (NH.)", "GM0373"), ("Bergen (L.)", "GM0893")])
def test_known_codes(municipal: dict, name: str, code: str) -> None:
    assert municipal["codes"][name] == code


@pytest.mark.parametrize("text, code", [
    ("Gemeente Utrecht", "GM0344"), ("loon_op_zand", "GM0809"), ("'s-Gravenhage", "GM0518"),
    ("Den Bosch", "GM0796"), ("gemeente Súdwest-Fryslân", "GM1900"), ("Sudwest-Fryslan", "GM1900"),
    ("Gemeente Hengelo (O)", "GM0164"), ("gm0599", "GM0599"), ("Bergen", None), ("Provincie Utrecht", None),
    ("", None), (None, None), ("GM9999", None)])
def test_resolve(index: MunicipalityIndex, text: str | None, code: str | None) -> None:
    assert index.resolve(text) == code


def test_every_listed_municipality_resolves(municipal: dict, index: MunicipalityIndex) -> None:
    unresolved = [n for n in municipal["municipalities"] if n != "Bergen" and index.resolve(n) is None]
    assert unresolved == []
    assert index.name("GM0363") == "Amsterdam"


def _broken(tmp_path: Path, edit) -> list[str]:
    target = tmp_path / "lexicon"
    shutil.copytree(LEXICON, target, ignore=shutil.ignore_patterns("*.md"))
    path = target / "municipal.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return check_catalogue(load_catalogue(target, validate=False))


def test_check_finds_bad_duplicate_and_missing_codes(tmp_path: Path) -> None:
    def edit(data: dict) -> None:
        data["codes"]["Amsterdam"] = "GM363"
        data["codes"]["Rotterdam"] = data["codes"]["Utrecht"]
        del data["codes"]["Zwolle"]
    problems = "\n".join(_broken(tmp_path, edit))
    assert "'Amsterdam' has 'GM363'" in problems
    assert "GM0344 given to both" in problems
    assert "no code for municipality 'Zwolle'" in problems
    assert "341 entries, expected 342" in problems


def test_check_requires_codes_for_the_national_list(tmp_path: Path) -> None:
    problems = _broken(tmp_path, lambda data: data.pop("codes"))
    assert any("`codes`" in p and "missing" in p for p in problems)
