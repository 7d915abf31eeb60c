"""The catalogue lexicon: loads fast, has the contract's ids and counts, and the validator catches problems."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from scanner import catalogue as catalogue_mod
from scanner.catalogue import (REQUIRED_IDS, Catalogue, check_catalogue, export_catalogue, load_catalogue,
                               term_key)
from scanner.errors import ScannerError

LEXICON = Path(__file__).resolve().parent.parent / "lexicon"

IN_USE = {"kantoorautomatisering", "procesapplicaties", "gis-systemen", "basisregistraties", "digid-eherkenning",
          "berichtenbox", "mijnoverheid", "personal-web", "apps", "data-analyse", "data-visualisatie", "wifi",
          "digi-voorzieningen", "social-media", "epayment", "cameras", "vingerafdrukken"}
THREE_SEVEN = {"vr-ar-steden-gebouwen", "digital-twins", "wearables", "gezichtsherkenning", "datamarktplaatsen",
               "g5-netwerken", "spraakherkenning", "machine-learning", "natural-language-processing",
               "dienstenrobots", "privacy-enhancing-technologies", "zelfrijdende-voertuigen"}
FAMILIES = {"procesondersteuning", "communicatie-infrastructuur", "data-analyse", "dataplatforms",
            "dienstverlening", "slimme-dingen", "virtualisering-augmentation", "menselijke-kenmerken"}

ADDITIONS_SQL = """CREATE TABLE IF NOT EXISTS lexicon_additions (
    id INTEGER PRIMARY KEY, kind TEXT, technology TEXT, term TEXT, data TEXT,
    created_by TEXT, created_at TEXT, active INTEGER DEFAULT 1)"""


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(LEXICON)


@pytest.fixture
def lexdir(tmp_path: Path) -> Path:
    """A private copy of the lexicon to break."""
    target = tmp_path / "lexicon"
    shutil.copytree(LEXICON, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def _edit(path: Path, edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _tech(data: dict, ident: str) -> dict:
    return next(t for t in data["technologies"] if t["id"] == ident)


def _problems(lexdir: Path) -> list[str]:
    return check_catalogue(load_catalogue(lexdir, validate=False))


def test_real_lexicon_is_valid(cat: Catalogue) -> None:
    assert check_catalogue(cat) == []
    assert len(cat.version) == 12 and int(cat.version, 16) >= 0


def test_exactly_the_54_required_ids(cat: Catalogue) -> None:
    assert len(REQUIRED_IDS) == 54 == len(set(REQUIRED_IDS))
    assert set(cat.technologies) == set(REQUIRED_IDS)


def test_every_family_used_and_known(cat: Catalogue) -> None:
    assert set(cat.families) == FAMILIES
    assert {t.family for t in cat.technologies.values()} == FAMILIES


@pytest.mark.parametrize("ident", REQUIRED_IDS)
def test_baseline_horizon_per_issue(cat: Catalogue, ident: str) -> None:
    tech = cat.technologies[ident]
    expected = "in-use" if ident in IN_USE else "3-7" if ident in THREE_SEVEN else "0-3"
    assert tech.baseline_horizon == expected
    assert tech.baseline_date == "2019-06"


@pytest.mark.parametrize("ident", REQUIRED_IDS)
def test_entries_have_rich_bilingual_terms(cat: Catalogue, ident: str) -> None:
    tech = cat.technologies[ident]
    assert tech.terms["nl"] and tech.terms["en"], ident
    assert len(tech.all_terms()) + len(tech.abbreviations) >= 6, ident
    assert tech.name and tech.name_en and tech.description


def test_processes_56_split_18_14_24(cat: Catalogue) -> None:
    impacts = [p.baseline_impact for p in cat.processes.values()]
    assert len(impacts) == 56
    assert (impacts.count("immediate"), impacts.count("coming"), impacts.count("slow")) == (18, 14, 24)
    assert {p.domain for p in cat.processes.values()} == set(catalogue_mod.DOMAINS)


def test_no_term_claimed_twice(cat: Catalogue) -> None:
    owners: dict[str, str] = {}
    for tech in cat.technologies.values():
        for term in tech.all_terms():
            assert owners.setdefault(term_key(term), tech.id) == tech.id, term


def test_sections_loaded(cat: Catalogue) -> None:
    assert set(cat.stages) == {"research", "pilot", "procurement", "adoption", "policy", "setback"}
    assert set(cat.domains) == set(catalogue_mod.DOMAINS)
    assert len(cat.factors["factors"]) == 14 and len(cat.factors["functions"]) == 6
    assert len(cat.municipal["municipalities"]) >= 300
    assert "Amsterdam" in cat.municipal["municipalities"]
    assert cat.candidates["seed_patterns"] == [] and cat.candidates["heads"]["nl"]


@pytest.mark.parametrize("term, ident", [
    ("digitale tweeling", "digital-twins"), ("LoRaWAN", "lora"), ("zaakgericht werken", "zaaksystemen"),
    ("algoritmische besluitvorming", "beslisalgoritmes"), ("slimme lantaarnpalen", "slimme-infrastructuren"),
    ("virtuele assistent", "chatbots"), ("camerabewaking", "cameras"), ("bodycam", "cameras"),
    ("office 365", "kantoorautomatisering"), ("Digital-Twin", "digital-twins"), ("sensoren", "sensornetwerken"),
])
def test_key_synonyms_present(cat: Catalogue, term: str, ident: str) -> None:
    assert cat.technology_for_term(term) == ident


@pytest.mark.parametrize("abbr, ident", [("RPA", "robotic-process-automation"), ("NLP", "natural-language-processing"),
                                         ("IoT", "iot-platforms"), ("5G", "g5-netwerken"), ("4G", "g34-netwerken"),
                                         ("PET", "privacy-enhancing-technologies")])
def test_abbreviations_case_sensitive_entries(cat: Catalogue, abbr: str, ident: str) -> None:
    assert abbr in cat.technologies[ident].abbreviations


def test_ambiguous_terms_have_negatives(cat: Catalogue) -> None:
    for ident in ("cloud", "apps", "drones", "mobiel", "cameras", "wearables", "machine-learning",
                  "natural-language-processing", "privacy-enhancing-technologies"):
        assert cat.technologies[ident].negative, ident
    weather = [w for rule in cat.technologies["cloud"].negative for w in rule.context]
    assert {"bewolking", "regen", "weather"} <= set(weather)


def test_invalid_yaml_raises_one_line(lexdir: Path) -> None:
    (lexdir / "stages.yaml").write_text("stages: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScannerError) as info:
        load_catalogue(lexdir)
    assert "stages.yaml" in str(info.value) and "\n" not in str(info.value)


def test_a_key_given_twice_is_an_error_not_a_silent_override(lexdir: Path) -> None:
    path = lexdir / "candidates.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "seed_patterns:\n- 'llm'\n", encoding="utf-8")
    with pytest.raises(ScannerError) as info:
        load_catalogue(lexdir)
    assert "candidates.yaml" in str(info.value) and "duplicate key 'seed_patterns'" in str(info.value)
    assert "\n" not in str(info.value)


def test_discovery_is_not_seeded() -> None:
    """No seed pattern names an expected term (issue 11): new terms come from their shape."""
    data = yaml.safe_load((LEXICON / "candidates.yaml").read_text(encoding="utf-8"))
    assert data["seed_patterns"] == []


def test_missing_lexicon_dir_raises(tmp_path: Path) -> None:
    with pytest.raises(ScannerError):
        load_catalogue(tmp_path / "nowhere")


def test_planted_problems_are_found(lexdir: Path) -> None:
    def plant(data: dict) -> None:
        _tech(data, "cloud")["family"] = "weerkunde"
        _tech(data, "drones")["baseline_horizon"] = "soon"
        _tech(data, "wifi")["terms"]["nl"].append("Cloud-Computing")  # claimed by cloud too
        del _tech(data, "apps")["name_en"]
        data["technologies"].append(dict(_tech(data, "lora")))  # duplicate id
        data["technologies"] = [t for t in data["technologies"] if t["id"] != "blockchain"]
    _edit(lexdir / "technologies.yaml", plant)
    problems = "\n".join(_problems(lexdir))
    assert "unknown family 'weerkunde'" in problems
    assert "unknown baseline_horizon 'soon'" in problems
    assert "'cloudcomputing' claimed by both" in problems
    assert "technology apps: missing name_en" in problems
    assert "technology lora: duplicate id" in problems
    assert "missing required ids: blockchain" in problems
    with pytest.raises(ScannerError):
        load_catalogue(lexdir)


def test_process_problems_are_found(lexdir: Path) -> None:
    def plant(data: dict) -> None:
        data["processes"][0]["domain"] = "financien"
        data["processes"][1]["baseline_impact"] = "slow"
        data["processes"].pop()
    _edit(lexdir / "processes.yaml", plant)
    problems = "\n".join(_problems(lexdir))
    assert "unknown domain 'financien'" in problems
    assert "processes: 55 entries, expected 56" in problems
    assert "baseline_impact immediate, expected 18" in problems


def test_unquoted_comma_term_is_found(lexdir: Path) -> None:
    path = lexdir / "technologies.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("small cells]", "3,5 GHz, small cells]"),
                    encoding="utf-8")
    assert any("suspicious term '3'" in p for p in _problems(lexdir))


def test_negative_naming_unknown_term_is_found(lexdir: Path) -> None:
    _edit(lexdir / "technologies.yaml",
          lambda d: _tech(d, "cloud")["negative"].append({"terms": ["wolkje"], "context": ["regen"]}))
    assert any("does not have: wolkje" in p for p in _problems(lexdir))


def test_negative_redirecting_to_no_technology_or_without_context_is_found(lexdir: Path) -> None:
    def plant(data: dict) -> None:
        _tech(data, "cloud")["negative"].append({"context": ["regen"], "instead": "wolken"})
        _tech(data, "apps")["negative"].append({"phrases": ["app me"], "instead": "chatbots"})
    _edit(lexdir / "technologies.yaml", plant)
    problems = "\n".join(_problems(lexdir))
    assert "redirects to 'wolken', which is no other technology" in problems
    assert "redirects without context words" in problems


def test_empty_family_is_found(lexdir: Path) -> None:
    def plant(data: dict) -> None:
        for tech in data["technologies"]:
            if tech["family"] == "menselijke-kenmerken":
                tech["family"] = "slimme-dingen"
    _edit(lexdir / "technologies.yaml", plant)
    assert "family menselijke-kenmerken: has no technology" in _problems(lexdir)


def test_version_changes_with_content(lexdir: Path, cat: Catalogue) -> None:
    assert load_catalogue(lexdir).version == cat.version
    _edit(lexdir / "stages.yaml", lambda d: d["stages"]["pilot"]["cues"]["nl"].append("proefballon"))
    assert load_catalogue(lexdir).version != cat.version


def test_env_var_selects_dir(lexdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _edit(lexdir / "technologies.yaml", lambda d: _tech(d, "cloud").update(name="Wolk"))
    monkeypatch.setenv("SCANNER_LEXICON_DIR", str(lexdir))
    assert load_catalogue().technologies["cloud"].name == "Wolk"


def _additions_db(rows: list[tuple]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(ADDITIONS_SQL)
    conn.executemany("INSERT INTO lexicon_additions (kind, technology, term, data, created_by, created_at, active) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return conn


def test_additions_from_store_are_merged(cat: Catalogue) -> None:
    new_tech = {"id": "generatieve-ai", "name": "Generatieve AI", "family": "data-analyse",
                "baseline_horizon": "0-3", "description": "AI die tekst en beeld genereert.",
                "terms": {"nl": ["generatieve ai", "taalmodel"], "en": ["generative ai"]}}
    conn = _additions_db([
        ("technology", "generatieve-ai", None, json.dumps(new_tech), "ana", "2026-03-01T10:00:00+00:00", 1),
        ("synonym", "chatbots", "praatpaal", None, "ana", "2026-03-02T10:00:00+00:00", 1),
        ("synonym", "cloud", "SaaS-dienst", json.dumps({"lang": "nl"}), "ana", "2026-03-02T10:00:00+00:00", 1),
        ("rejected-term", None, "Nieuwe  Aanpak", None, "ana", "2026-03-03T10:00:00+00:00", 1),
        ("synonym", "wifi", "chatbot", None, "ana", "2026-03-04T10:00:00+00:00", 1),  # claimed by chatbots
        ("synonym", "drones", "vliegende camera", None, "ana", "2026-03-04T10:00:00+00:00", 0),  # inactive
    ])
    merged = load_catalogue(LEXICON, store=conn)
    assert merged.technologies["generatieve-ai"].baseline_date == "2026-03"
    assert merged.technologies["generatieve-ai"].source == "analyst"
    assert "praatpaal" in merged.technologies["chatbots"].terms["nl"]
    assert "praatpaal" in merged.technologies["chatbots"].terms["en"]
    assert "SaaS-dienst" in merged.technologies["cloud"].terms["nl"]
    assert "SaaS-dienst" not in merged.technologies["cloud"].terms["en"]
    assert "nieuwe aanpak" in merged.rejected_terms
    assert "chatbot" not in merged.technologies["wifi"].all_terms()
    assert len(merged.addition_problems) == 1
    assert "vliegende camera" not in merged.technologies["drones"].all_terms()
    assert merged.version != cat.version
    assert check_catalogue(merged) == []
    assert "praatpaal" not in load_catalogue(LEXICON).technologies["chatbots"].all_terms()  # cache untouched


def test_additions_through_store_object(store) -> None:
    store.conn.execute(
        "INSERT INTO lexicon_additions (kind, technology, term, created_by, created_at, active) VALUES (?,?,?,?,?,?)",
        ("synonym", "digital-twins", "digitale schaduw", "ana", "2026-03-01T10:00:00+00:00", 1))
    merged = load_catalogue(LEXICON, store=store)
    assert merged.technology_for_term("digitale schaduw") == "digital-twins"


def test_store_without_table_has_no_additions(cat: Catalogue) -> None:
    merged = load_catalogue(LEXICON, store=sqlite3.connect(":memory:"))
    assert merged.version == cat.version


def test_export_round_trip(tmp_path: Path) -> None:
    conn = _additions_db([("synonym", "chatbots", "praatpaal", None, "ana", "2026-03-02T10:00:00+00:00", 1),
                          ("rejected-term", None, "nieuwe aanpak", None, "ana", "2026-03-03T10:00:00+00:00", 1)])
    merged = load_catalogue(LEXICON, store=conn)
    export_catalogue(merged, tmp_path / "out")
    again = load_catalogue(tmp_path / "out")
    assert "praatpaal" in again.technologies["chatbots"].all_terms()
    assert "nieuwe aanpak" in again.rejected_terms
    assert check_catalogue(again) == []
    assert again.technologies["cloud"].negative == merged.technologies["cloud"].negative


def test_cli_check_ok_and_failing(lexdir: Path) -> None:
    from typer.testing import CliRunner

    from scanner.cli.main import app

    runner = CliRunner()
    ok = runner.invoke(app, ["lexicon", "check", "--dir", str(LEXICON)])
    assert ok.exit_code == 0 and "lexicon OK" in ok.output
    _edit(lexdir / "technologies.yaml", lambda d: _tech(d, "cloud").update(family="weerkunde"))
    bad = runner.invoke(app, ["lexicon", "check", "--dir", str(lexdir)])
    assert bad.exit_code == 2 and "lexicon OK" not in bad.output
