"""Load and validate the catalogue lexicon (lexicon/*.yaml) plus analyst additions from the store."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from scanner.errors import ScannerError
from scanner.municipal import code_problems

log = logging.getLogger(__name__)

LEXICON_FILES = ("technologies", "processes", "domains", "stages", "municipal", "factors", "candidates")
LANGS = ("nl", "en")
HORIZONS = ("in-use", "0-3", "3-7", ">7")
IMPACTS = ("immediate", "coming", "slow")
IMPACT_COUNTS = {"immediate": 18, "coming": 14, "slow": 24}
PROCESS_COUNT = 56
STAGES = ("research", "pilot", "procurement", "adoption", "policy", "setback")
STAGE_LABELS = (*STAGES, "none")  # the stage of a document or mention: a catalogue stage, or none
DOMAINS = ("dienstverlening", "bedrijfsvoering", "ruimtelijk-fysiek", "sociaal-domein",
           "handhaving-toezicht", "bestuur-participatie")
FAMILIES = ("procesondersteuning", "communicatie-infrastructuur", "data-analyse", "dataplatforms",
            "dienstverlening", "slimme-dingen", "virtualisering-augmentation", "menselijke-kenmerken")
POLARITIES = ("driver", "barrier")  # how a factor acts on a technology's adoption
FACTORS = ("product-performance", "price", "production-system", "complementary-products", "network-formation",
           "customers", "institutional-aspects", "knowledge-of-technology", "knowledge-of-application",
           "workers-and-resources", "financial-means", "macro-economic-strategic", "socio-cultural-aspects",
           "accidents-unexpected-events")  # the ids of lexicon/factors.yaml `factors:` (the trained labels)
REQUIRED_IDS = (
    "kantoorautomatisering", "procesapplicaties", "gis-systemen", "basisregistraties", "digid-eherkenning",
    "berichtenbox", "mijnoverheid", "personal-web", "apps", "data-analyse", "data-visualisatie", "wifi",
    "digi-voorzieningen", "social-media", "epayment", "cameras", "vingerafdrukken", "zaaksystemen",
    "workflowsystemen", "managementinformatie", "webportals", "dashboards", "digitale-diensten", "drones",
    "cloud", "mobiel", "g34-netwerken", "iot-platforms", "robotic-process-automation", "textmining",
    "gamification", "training-vr-ar", "social-media-analyse", "lora", "sensornetwerken", "blockchain",
    "beslisalgoritmes", "slimme-infrastructuren", "dienstenplatforms", "persoonlijke-assistent",
    "e-democracy-tools", "chatbots", "zelfrijdende-voertuigen", "privacy-enhancing-technologies",
    "dienstenrobots", "natural-language-processing", "machine-learning", "spraakherkenning", "g5-netwerken",
    "datamarktplaatsen", "gezichtsherkenning", "wearables", "digital-twins", "vr-ar-steden-gebouwen",
)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SEP = re.compile(r"[\s\-‐‑–]+")

try:  # the C loader is ~10x faster on the large term lists
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


class StrictLoader(_Loader):
    """A safe loader that refuses a key given twice in one mapping: YAML keeps the last silently, which
    once left a list the comment above it called empty active in lexicon/candidates.yaml."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


@dataclass(frozen=True)
class NegativeRule:
    """Cancels a mention: `context` words in the same sentence (for `terms`, empty = all), or `phrases`.
    With `instead` (another technology's id), a mention its context cancels is that technology instead:
    generic "virtual reality" beside "bouwplannen" is VR for cities and buildings, not VR training."""

    terms: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    instead: str = ""


class _Terms:
    terms: dict[str, list[str]]

    def all_terms(self) -> list[str]:
        """Every term of both languages, without duplicates, in file order."""
        return list(dict.fromkeys(t for lang in LANGS for t in self.terms.get(lang, [])))


@dataclass(frozen=True)
class Technology(_Terms):
    id: str
    name: str
    name_en: str
    family: str
    baseline_horizon: str
    baseline_date: str
    description: str = ""
    terms: dict[str, list[str]] = field(default_factory=lambda: {"nl": [], "en": []})
    abbreviations: list[str] = field(default_factory=list)
    compound_heads: list[str] = field(default_factory=list)
    negative: list[NegativeRule] = field(default_factory=list)
    source: str = "lexicon"  # lexicon | analyst


@dataclass(frozen=True)
class Process(_Terms):
    id: str
    name: str
    name_en: str
    domain: str
    baseline_impact: str
    description: str = ""
    terms: dict[str, list[str]] = field(default_factory=lambda: {"nl": [], "en": []})
    abbreviations: list[str] = field(default_factory=list)
    compound_heads: list[str] = field(default_factory=list)
    negative: list[NegativeRule] = field(default_factory=list)


@dataclass(frozen=True)
class TitleRule:
    """An official publication whose title matches `pattern` (a case-insensitive regex) is this stage and type."""

    pattern: str
    stage: str
    type: str = ""


@dataclass(frozen=True)
class TitleHints:
    """The stage hint (and document type) of one official source kind's publications, from their titles:
    lexicon/stages.yaml `official_titles`; the first matching rule wins, else the defaults."""

    rules: tuple[TitleRule, ...] = ()
    stage: str = "policy"  # the default of a catalogue without the section (small test lexicons)
    type: str = ""

    def match(self, title: str) -> tuple[str, str]:
        """(document type, stage hint) of a title; the type is "" when the kind names none."""
        for rule in self.rules:
            if re.search(rule.pattern, title, re.IGNORECASE):
                return rule.type, rule.stage
        return self.type, self.stage


@dataclass(frozen=True)
class Catalogue:
    technologies: dict[str, Technology]
    processes: dict[str, Process]
    families: dict[str, dict[str, str]]
    domains: dict[str, dict[str, Any]]
    stages: dict[str, dict[str, Any]]
    municipal: dict[str, Any]
    factors: dict[str, list[dict[str, Any]]]
    candidates: dict[str, Any]
    rejected_terms: set[str] = field(default_factory=set)
    version: str = ""
    lexicon_dir: Path | None = None
    addition_problems: list[str] = field(default_factory=list)  # analyst rows that were skipped
    load_problems: list[str] = field(default_factory=list)  # duplicate ids, non-mapping entries
    horizons: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> {name, name_en}
    stage_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # STAGE_LABELS id -> {name, name_en}
    official_titles: dict[str, TitleHints] = field(default_factory=dict)  # source kind -> its title hints

    def title_hints(self, kind: str) -> TitleHints:
        """How titles of this official source kind (ori, sru, tenders) give a stage hint and document type."""
        return self.official_titles.get(kind) or TitleHints()

    def technology_for_term(self, term: str) -> str | None:
        """The technology id that claims `term` (normalised), if any."""
        key = term_key(term)
        for tech in self.technologies.values():
            if any(term_key(t) == key for t in tech.all_terms()):
                return tech.id
        return None


def term_key(term: str) -> str:
    """Comparison key for 'a term claimed twice': lower-case, hyphens and whitespace removed."""
    return _SEP.sub("", str(term).strip().lower())


# ------------------------------------------------------------------------------------------ loading
def default_lexicon_dir() -> Path:
    env = os.environ.get("SCANNER_LEXICON_DIR")
    if env:
        return Path(env)
    from scanner.config import repo_root

    return repo_root() / "lexicon"


_CACHE: dict[tuple[str, tuple[tuple[str, int, int], ...]], tuple[dict[str, Any], str]] = {}
_VALID: set[str] = set()  # content digests that passed check_catalogue


def _stamp(lexicon_dir: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for name in LEXICON_FILES:
        path = lexicon_dir / f"{name}.yaml"
        if path.exists():
            st = path.stat()
            out.append((name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def _read_yaml(path: Path) -> tuple[Any, bytes]:
    data = path.read_bytes()
    try:
        return yaml.load(data, Loader=StrictLoader), data  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScannerError(f"{path}:{where} invalid YAML: {problem}") from None


def _load_raw(lexicon_dir: Path) -> tuple[dict[str, Any], str]:
    """Parsed YAML per file name plus the sha256 of the file contents, cached per (dir, mtimes)."""
    if not (lexicon_dir / "technologies.yaml").exists():
        raise ScannerError(f"no lexicon found: {lexicon_dir}/technologies.yaml does not exist")
    key = (str(lexicon_dir.resolve()), _stamp(lexicon_dir))
    if key in _CACHE:
        return _CACHE[key]
    raw: dict[str, Any] = {}
    digest = hashlib.sha256()
    for name in LEXICON_FILES:
        path = lexicon_dir / f"{name}.yaml"
        if not path.exists():
            raw[name] = {}
            continue
        value, data = _read_yaml(path)
        if value is not None and not isinstance(value, dict):
            raise ScannerError(f"{path}: expected a mapping at the top level, got {type(value).__name__}")
        raw[name] = value or {}
        digest.update(name.encode() + b"\0" + data + b"\0")
    _CACHE.clear()
    _CACHE[key] = (raw, digest.hexdigest())
    return _CACHE[key]


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [str(value)]
    return [str(v) for v in value if v is not None and str(v).strip()]


def _terms(value: Any) -> dict[str, list[str]]:
    if isinstance(value, dict):
        return {lang: _strings(value.get(lang)) for lang in LANGS}
    items = _strings(value)
    return {"nl": items, "en": list(items)}


def _negatives(value: Any) -> list[NegativeRule]:
    rules = []
    for item in value or []:
        if isinstance(item, dict):
            rules.append(NegativeRule(_strings(item.get("terms")), _strings(item.get("context")),
                                      _strings(item.get("phrases")), _text(item, "instead")))
    return rules


def _text(entry: dict[str, Any], key: str, default: str = "") -> str:
    value = entry.get(key)
    return default if value is None else str(value).strip()


def technology_from_dict(entry: dict[str, Any], source: str = "lexicon") -> Technology:
    """A Technology from one YAML/JSON mapping; missing fields stay empty for check_catalogue to report."""
    return Technology(
        id=_text(entry, "id"), name=_text(entry, "name"), name_en=_text(entry, "name_en"),
        family=_text(entry, "family"), baseline_horizon=_text(entry, "baseline_horizon"),
        baseline_date=_text(entry, "baseline_date"), description=_text(entry, "description"),
        terms=_terms(entry.get("terms")), abbreviations=_strings(entry.get("abbreviations")),
        compound_heads=[h.lower() for h in _strings(entry.get("compound_heads"))],
        negative=_negatives(entry.get("negative")), source=source,
    )


def process_from_dict(entry: dict[str, Any]) -> Process:
    return Process(
        id=_text(entry, "id"), name=_text(entry, "name"), name_en=_text(entry, "name_en"),
        domain=_text(entry, "domain"), baseline_impact=_text(entry, "baseline_impact"),
        description=_text(entry, "description"), terms=_terms(entry.get("terms")),
        abbreviations=_strings(entry.get("abbreviations")),
        compound_heads=[h.lower() for h in _strings(entry.get("compound_heads"))],
        negative=_negatives(entry.get("negative")),
    )


def _keyed(items: Any, builder: Any, what: str, problems: list[str]) -> dict[str, Any]:
    """Entries by id; duplicates and non-mappings are remembered as problems (raised by validation)."""
    out: dict[str, Any] = {}
    for index, entry in enumerate(items or []):
        if not isinstance(entry, dict):
            problems.append(f"{what} #{index + 1}: expected a mapping, got {type(entry).__name__}")
            continue
        obj = builder(entry)
        if not obj.id:
            problems.append(f"{what} #{index + 1}: missing id")
            obj = replace(obj, id=f"<missing-id-{index + 1}>")
        if obj.id in out:
            problems.append(f"{what} {obj.id}: duplicate id")
            continue
        out[obj.id] = obj
    return out


def _mapping_section(raw: dict[str, Any], key: str) -> dict[str, Any]:
    """`domains:`/`stages:` as {id: entry}; accepts a mapping or a list of entries with `id`."""
    value = raw.get(key, raw) if isinstance(raw, dict) else {}
    if isinstance(value, list):
        return {str(e.get("id")): e for e in value if isinstance(e, dict) and e.get("id")}
    return {str(k): (v or {}) for k, v in (value or {}).items()} if isinstance(value, dict) else {}


def _name_table(value: Any) -> dict[str, dict[str, str]]:
    """`{id: {name, name_en}}` (the families' form) as plain strings."""
    if not isinstance(value, dict):
        return {}
    return {str(k): {key: str(v[key]) for key in ("name", "name_en") if v.get(key) is not None}
            for k, v in value.items() if isinstance(v, dict)}


def _title_hints(value: Any, problems: list[str]) -> dict[str, TitleHints]:
    """lexicon/stages.yaml `official_titles`: per source kind, `default: {stage, type}` and `patterns`."""
    out: dict[str, TitleHints] = {}
    for kind, entry in (value or {}).items() if isinstance(value, dict) else ():
        if not isinstance(entry, dict):
            problems.append(f"official_titles {kind}: expected a mapping")
            continue
        found = entry.get("default")
        default: dict[str, Any] = found if isinstance(found, dict) else {}
        rules = tuple(TitleRule(str(r.get("pattern") or ""), str(r.get("stage") or ""), str(r.get("type") or ""))
                      for r in entry.get("patterns") or [] if isinstance(r, dict))
        out[str(kind)] = TitleHints(rules, str(default.get("stage") or ""), str(default.get("type") or ""))
    return out


def display_names(kind: str, lexicon_dir: Path | None = None) -> dict[str, dict[str, str]]:
    """{lang: {id: name}} of the "horizons" (HORIZONS) or the "stages" (STAGE_LABELS), in id order, from the
    lexicon (technologies.yaml `horizons`, stages.yaml `labels`); an id without a name shows as itself."""
    raw, _ = _load_raw(Path(lexicon_dir) if lexicon_dir else default_lexicon_dir())
    ids, table = ((HORIZONS, _name_table(raw["technologies"].get("horizons"))) if kind == "horizons"
                  else (STAGE_LABELS, _name_table(raw["stages"].get("labels"))))
    return {lang: {i: table.get(i, {}).get(key) or i for i in ids}
            for lang, key in (("nl", "name"), ("en", "name_en"))}


def _build(raw: dict[str, Any], digest: str, lexicon_dir: Path) -> Catalogue:
    problems: list[str] = []
    tech_raw = raw["technologies"]
    cat = Catalogue(
        technologies=_keyed(tech_raw.get("technologies"), technology_from_dict, "technology", problems),
        processes=_keyed(raw["processes"].get("processes"), process_from_dict, "process", problems),
        families={str(k): dict(v or {}) for k, v in (tech_raw.get("families") or {}).items()},
        domains=_mapping_section(raw["domains"], "domains"),
        stages=_mapping_section(raw["stages"], "stages"),
        municipal=dict(raw["municipal"]),
        factors={"factors": list(raw["factors"].get("factors") or []),
                 "functions": list(raw["factors"].get("functions") or [])},
        candidates=dict(raw["candidates"]),
        rejected_terms={" ".join(t.lower().split()) for t in _strings(raw["candidates"].get("rejected_terms"))},
        version=digest[:12], lexicon_dir=lexicon_dir, load_problems=problems,
        horizons=_name_table(tech_raw.get("horizons")), stage_labels=_name_table(raw["stages"].get("labels")),
        official_titles=_title_hints(raw["stages"].get("official_titles"), problems),
    )
    return cat


# ------------------------------------------------------------------------------------------ additions
def _addition_rows(store: Any) -> list[dict[str, Any]]:
    conn = getattr(store, "conn", store)
    try:
        cur = conn.execute(
            "SELECT id, kind, technology, term, data, created_at FROM lexicon_additions "
            "WHERE active = ? ORDER BY id", (1,))
    except Exception as exc:  # noqa: BLE001 - a store without the table simply has no additions
        log.debug("no lexicon additions: %s", exc)
        return []
    cols = ["id", "kind", "technology", "term", "data", "created_at"]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def _json(value: Any) -> dict[str, Any]:
    if not value:
        return {}
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _add_technology(cat: Catalogue, row: dict[str, Any]) -> str | None:
    data = _json(row["data"])
    data.setdefault("id", row.get("technology") or "")
    data.setdefault("baseline_date", str(row.get("created_at") or "")[:7])
    data.setdefault("name_en", data.get("name"))
    tech = technology_from_dict(data, source="analyst")
    if not tech.id or tech.id in cat.technologies:
        return f"addition {row['id']}: technology id {tech.id!r} missing or already exists"
    problems = _technology_problems(tech)
    if problems:
        return f"addition {row['id']}: " + problems[0]
    owners = _term_owners(cat)
    for term in tech.all_terms():
        if term_key(term) in owners:
            return f"addition {row['id']}: term {term!r} already belongs to {owners[term_key(term)]}"
    cat.technologies[tech.id] = tech
    return None


def _add_synonym(cat: Catalogue, row: dict[str, Any]) -> str | None:
    tech = cat.technologies.get(str(row.get("technology") or ""))
    term = str(row.get("term") or "").strip()
    if tech is None or not term:
        return f"addition {row['id']}: synonym {term!r} for unknown technology {row.get('technology')!r}"
    owner = _term_owners(cat).get(term_key(term))
    if owner and owner != tech.id:
        return f"addition {row['id']}: term {term!r} already belongs to {owner}"
    data = _json(row["data"])
    if data.get("abbreviation"):
        if term not in tech.abbreviations:
            tech.abbreviations.append(term)
        return None
    langs = [data["lang"]] if data.get("lang") in LANGS else list(LANGS)
    for lang in langs:
        if all(term_key(t) != term_key(term) for t in tech.terms.setdefault(lang, [])):
            tech.terms[lang].append(term)
    return None


def merge_additions(cat: Catalogue, rows: list[dict[str, Any]]) -> None:
    """Apply active lexicon_additions rows; a bad row is skipped and noted, never fatal."""
    for row in rows:
        kind = str(row.get("kind") or "")
        if kind == "technology":
            problem = _add_technology(cat, row)
        elif kind == "synonym":
            problem = _add_synonym(cat, row)
        elif kind == "rejected-term":
            term = str(row.get("term") or "").strip().lower()
            problem = None if term else f"addition {row['id']}: empty rejected term"
            if term:
                cat.rejected_terms.add(" ".join(term.split()))
        else:
            problem = f"addition {row['id']}: unknown kind {kind!r}"
        if problem:
            log.warning("lexicon %s (skipped)", problem)
            cat.addition_problems.append(problem)


def _rows_digest(rows: list[dict[str, Any]]) -> str:
    payload = json.dumps([[r["id"], r["kind"], r["technology"], r["term"], r["data"]] for r in rows],
                         ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def load_catalogue(lexicon_dir: Path | None = None, store: Any = None, validate: bool = True) -> Catalogue:
    """The catalogue from lexicon/*.yaml (+ active analyst additions when a store is given).

    Raises ScannerError (one line) on invalid YAML or, with validate=True, on the first schema problem.
    """
    lexicon_dir = Path(lexicon_dir) if lexicon_dir else default_lexicon_dir()
    raw, digest = _load_raw(lexicon_dir)
    cat = _build(raw, digest, lexicon_dir)
    if validate and digest not in _VALID:
        problems = check_catalogue(cat)
        if problems:
            more = f" (and {len(problems) - 1} more; run `scanner lexicon check`)" if len(problems) > 1 else ""
            raise ScannerError(f"lexicon {lexicon_dir}: {problems[0]}{more}")
        _VALID.add(digest)
    if store is not None:
        rows = _addition_rows(store)
        if rows:
            merge_additions(cat, rows)
            cat = replace(cat, version=hashlib.sha256((digest + _rows_digest(rows)).encode()).hexdigest()[:12])
    return cat


def lexicon_version(lexicon_dir: Path | None = None, store: Any = None) -> str:
    return load_catalogue(lexicon_dir, store, validate=False).version


# ------------------------------------------------------------------------------------------ validation
def _technology_problems(tech: Technology, families: tuple[str, ...] | list[str] = FAMILIES) -> list[str]:
    where = f"technology {tech.id}"
    problems = [f"{where}: missing {name}" for name in ("name", "name_en", "family", "baseline_horizon",
                                                          "baseline_date", "description")
                if not getattr(tech, name)]
    if tech.id and not _SLUG.match(tech.id):
        problems.append(f"{where}: id is not a lower-case slug")
    if tech.family and tech.family not in families:
        problems.append(f"{where}: unknown family {tech.family!r}")
    if tech.baseline_horizon and tech.baseline_horizon not in HORIZONS:
        problems.append(f"{where}: unknown baseline_horizon {tech.baseline_horizon!r}")
    if tech.baseline_date and not _MONTH.match(tech.baseline_date):
        problems.append(f"{where}: baseline_date {tech.baseline_date!r} is not YYYY-MM")
    if not tech.all_terms():
        problems.append(f"{where}: no terms")
    problems += _suspicious_terms(where, tech.all_terms())
    problems += _negative_problems(where, tech.all_terms() + tech.abbreviations, tech.negative)
    return problems


def _negative_problems(where: str, terms: list[str], rules: list[NegativeRule]) -> list[str]:
    problems = []
    known = {term_key(t) for t in terms}
    for index, rule in enumerate(rules, 1):
        if not rule.context and not rule.phrases:
            problems.append(f"{where}: negative #{index} has neither context nor phrases")
        unknown = [t for t in rule.terms if term_key(t) not in known]
        if unknown:
            problems.append(f"{where}: negative #{index} names terms it does not have: {', '.join(unknown)}")
    return problems


def _instead_problems(cat: Catalogue) -> list[str]:
    """`instead` names another technology (processes cannot redirect) and needs context words."""
    problems = []
    for kind, entries in (("technology", cat.technologies), ("process", cat.processes)):
        for entry in entries.values():
            for index, rule in enumerate(entry.negative, 1):
                if not rule.instead:
                    continue
                where = f"{kind} {entry.id}: negative #{index}"
                if kind == "process" or rule.instead not in cat.technologies or rule.instead == entry.id:
                    problems.append(f"{where} redirects to {rule.instead!r}, which is no other technology")
                elif not rule.context:
                    problems.append(f"{where} redirects without context words")
    return problems


def _process_problems(proc: Process) -> list[str]:
    where = f"process {proc.id}"
    problems = [f"{where}: missing {name}" for name in ("name", "name_en", "domain", "baseline_impact")
                if not getattr(proc, name)]
    if proc.id and not _SLUG.match(proc.id):
        problems.append(f"{where}: id is not a lower-case slug")
    if proc.domain and proc.domain not in DOMAINS:
        problems.append(f"{where}: unknown domain {proc.domain!r}")
    if proc.baseline_impact and proc.baseline_impact not in IMPACTS:
        problems.append(f"{where}: unknown baseline_impact {proc.baseline_impact!r}")
    if not proc.all_terms():
        problems.append(f"{where}: no terms")
    return problems + _suspicious_terms(where, proc.all_terms())


def _suspicious_terms(where: str, terms: list[str]) -> list[str]:
    """Terms a YAML slip produces: '3,5 GHz' unquoted in a flow list becomes '3' and '5 GHz'."""
    return [f"{where}: suspicious term {t!r} (too short or only digits; quote terms containing commas)"
            for t in terms if len(t.strip()) < 2 or t.strip().replace(".", "").isdigit()]


def _term_owners(cat: Catalogue) -> dict[str, str]:
    owners: dict[str, str] = {}
    for tech in cat.technologies.values():
        for term in tech.all_terms():
            owners.setdefault(term_key(term), tech.id)
    return owners


def _claimed_twice(entries: list[Any], what: str, attr: str, key: Any) -> list[str]:
    """A term/abbreviation/head that two entries claim."""
    owners: dict[str, str] = {}
    problems = []
    for entry in entries:
        values = entry.all_terms() if attr == "terms" else getattr(entry, attr)
        for value in dict.fromkeys(key(v) for v in values):
            other = owners.setdefault(value, entry.id)
            if other != entry.id:
                problems.append(f"{what} {value!r} claimed by both {other} and {entry.id}")
    return problems


def _count_problems(cat: Catalogue) -> list[str]:
    problems = []
    missing = [i for i in REQUIRED_IDS if i not in cat.technologies]
    if missing:
        problems.append(f"technologies: missing required ids: {', '.join(missing)}")
    if len(cat.technologies) < len(REQUIRED_IDS):
        problems.append(f"technologies: {len(cat.technologies)} entries, expected at least {len(REQUIRED_IDS)}")
    for family in _families(cat):
        if not any(t.family == family for t in cat.technologies.values()):
            problems.append(f"family {family}: has no technology")
    if len(cat.processes) != PROCESS_COUNT:
        problems.append(f"processes: {len(cat.processes)} entries, expected {PROCESS_COUNT}")
    for impact, expected in IMPACT_COUNTS.items():
        found = sum(p.baseline_impact == impact for p in cat.processes.values())
        if found != expected:
            problems.append(f"processes: {found} with baseline_impact {impact}, expected {expected}")
    for domain in DOMAINS:
        if cat.processes and not any(p.domain == domain for p in cat.processes.values()):
            problems.append(f"domain {domain}: no process uses it")
    return problems


def _families(cat: Catalogue) -> tuple[str, ...]:
    return tuple(cat.families) if cat.families else FAMILIES


def _section_problems(cat: Catalogue) -> list[str]:
    problems = []
    unknown_families = [f for f in cat.families if f not in FAMILIES]
    if unknown_families:
        problems.append(f"families: unknown family slugs {', '.join(unknown_families)}")
    for stage in STAGES:
        if stage not in cat.stages:
            problems.append(f"stages: missing stage {stage}")
    for stage in cat.stages:
        if stage not in STAGES:
            problems.append(f"stages: unknown stage {stage!r}")
    for domain in cat.domains:
        if domain not in DOMAINS:
            problems.append(f"domains: unknown domain {domain!r}")
    for factor in cat.factors.get("factors") or []:
        if isinstance(factor, dict) and factor.get("id") not in FACTORS:
            problems.append(f"factors: unknown factor {factor.get('id')!r}")
    problems += _names_problems("horizons", cat.horizons, HORIZONS)
    problems += _names_problems("stage labels", cat.stage_labels, STAGE_LABELS)
    return problems + _title_problems(cat.official_titles)


def _names_problems(what: str, table: dict[str, dict[str, str]], ids: tuple[str, ...]) -> list[str]:
    """Every id named in both languages (name, name_en), and no unknown ids."""
    problems = [f"{what}: {i} needs name and name_en" for i in ids
                if not (table.get(i, {}).get("name") and table.get(i, {}).get("name_en"))]
    return problems + [f"{what}: unknown id {i!r}" for i in table if i not in ids]


def _title_problems(hints: dict[str, TitleHints]) -> list[str]:
    problems = []
    for kind, hint in hints.items():
        for stage in [hint.stage, *(r.stage for r in hint.rules)]:
            if stage not in STAGES:
                problems.append(f"official_titles {kind}: unknown stage {stage!r}")
        for rule in hint.rules:
            try:
                re.compile(rule.pattern)
            except re.error as exc:
                problems.append(f"official_titles {kind}: bad pattern {rule.pattern!r}: {exc}")
            if not rule.pattern:
                problems.append(f"official_titles {kind}: empty pattern")
    return problems


def check_catalogue(cat: Catalogue) -> list[str]:
    """Every schema problem as one line; an empty list means the catalogue is valid."""
    problems = list(cat.load_problems)
    families = _families(cat)
    for tech in cat.technologies.values():
        problems += _technology_problems(tech, families)
    for proc in cat.processes.values():
        problems += _process_problems(proc)
        problems += _negative_problems(f"process {proc.id}", proc.all_terms() + proc.abbreviations,
                                       proc.negative)
    techs, procs = list(cat.technologies.values()), list(cat.processes.values())
    problems += _instead_problems(cat)
    problems += _claimed_twice(techs, "term", "terms", term_key)
    problems += _claimed_twice(techs, "abbreviation", "abbreviations", str)
    problems += _claimed_twice(techs, "compound head", "compound_heads", str.lower)
    problems += _claimed_twice(procs, "process term", "terms", term_key)
    problems += _count_problems(cat)
    problems += _section_problems(cat)
    problems += code_problems(cat.municipal)
    return problems


# ------------------------------------------------------------------------------------------ export
def _entry_dict(obj: Technology | Process) -> dict[str, Any]:
    """The YAML form of an entry: dataclass fields in order, empty negatives/extras dropped."""
    out: dict[str, Any] = {}
    for key, value in obj.__dict__.items():
        if key == "source":
            continue
        if key == "negative":
            value = [{k: v for k, v in rule.__dict__.items() if v} for rule in value]
        out[key] = value
    return out


def _hints_dict(hints: TitleHints) -> dict[str, Any]:
    """The YAML form of one kind's title hints (empty types dropped)."""
    def drop(d: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in d.items() if v}

    return {"default": drop({"type": hints.type, "stage": hints.stage}),
            "patterns": [drop({"pattern": r.pattern, "type": r.type, "stage": r.stage}) for r in hints.rules]}


def catalogue_documents(cat: Catalogue) -> dict[str, Any]:
    """Every lexicon file as a plain YAML-able document, analyst additions included."""
    candidates = dict(cat.candidates)
    if cat.rejected_terms:
        candidates["rejected_terms"] = sorted(cat.rejected_terms)
    return {
        "technologies": {"families": cat.families, "horizons": cat.horizons,
                         "technologies": [_entry_dict(t) for t in cat.technologies.values()]},
        "processes": {"processes": [_entry_dict(p) for p in cat.processes.values()]},
        "domains": {"domains": cat.domains},
        "stages": {"stages": cat.stages, "labels": cat.stage_labels,
                   "official_titles": {kind: _hints_dict(h) for kind, h in cat.official_titles.items()}},
        "municipal": cat.municipal,
        "factors": cat.factors,
        "candidates": candidates,
    }


def export_catalogue(cat: Catalogue, out_dir: Path) -> list[Path]:
    """Write the catalogue as lexicon/*.yaml files into out_dir (loadable again with load_catalogue)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in catalogue_documents(cat).items():
        path = out_dir / f"{name}.yaml"
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
        path.write_text(f"# exported from lexicon version {cat.version}\n" + text, encoding="utf-8")
        written.append(path)
    return written
