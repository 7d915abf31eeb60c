"""The one config: scanner/defaults.toml, deep-merged with the TOML file(s) named by $SCANNER_CONFIG.

$SCANNER_CONFIG may list several files separated by os.pathsep; later ones win.
"""
from __future__ import annotations

import copy
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from scanner.errors import ScannerError

DEFAULTS = Path(__file__).with_name("defaults.toml")


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScannerError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScannerError(f"invalid TOML in {path}: {exc}") from None


# The schema is scanner/defaults.toml itself: an override may only set keys it has, with values of the
# same type; numbers may not be negative (except these leaves), and these must be at least 1.
OPEN_TABLES = {("horizon", "source_type")}   # maps whose keys users extend (their values: numbers)
NEGATIVE_OK = {"offset"}
AT_LEAST_ONE = {"max_concurrency", "source_workers", "per_host", "shingle_words", "minhash_perm", "max_items",
                "harvest_concurrency", "classify_batch_size", "batch_size", "cli_batch_lines", "page_size",
                "mentions_page_size", "ingest_batch", "max_shingles", "max_text_chars", "max_file_bytes",
                "max_line_chars", "max_bytes", "login_max_attempts", "scrypt_n", "scrypt_r", "scrypt_p"}
_TYPE_NAMES = {bool: "true or false", int: "an integer", float: "a number", str: "a string",
               list: "a list", dict: "a table"}
_PLURALS = {bool: "true/false values", int: "integers", float: "numbers", str: "strings", list: "lists"}


def _kind(value: Any) -> type:
    return bool if isinstance(value, bool) else type(value)


def _fits(value: Any, default: Any) -> bool:
    want, got = _kind(default), _kind(value)
    return got is want or (want is float and got is int)


def _problem(key: str, value: Any, default: Any) -> str | None:
    """Why value cannot replace default (type, sign, minimum), or None."""
    if not _fits(value, default):
        return f"must be {_TYPE_NAMES.get(_kind(default), _kind(default).__name__)}, got {value!r}"
    if isinstance(value, list) and default:
        bad = [v for v in value if not _fits(v, default[0])]
        if bad:
            return f"must be a list of {_PLURALS.get(_kind(default[0]), 'values')}, got {bad[0]!r} in it"
    if _kind(value) in (int, float):
        if value < 0 and key not in NEGATIVE_OK:
            return f"must not be negative, got {value!r}"
        if value < 1 and key in AT_LEAST_ONE:
            return f"must be at least 1, got {value!r}"
    return None


def validate(extra: dict[str, Any], defaults: dict[str, Any], origin: str, where: tuple[str, ...] = ()) -> None:
    """Raise ScannerError naming the first unknown key or wrong value of an override file."""
    for key, value in extra.items():
        path = (*where, key)
        name = f"[{path[0]}] {'.'.join(path[1:])}" if len(path) > 1 else f"[{key}]"
        if key not in defaults:
            if where in OPEN_TABLES and _kind(value) in (int, float) and value >= 0:
                continue
            raise ScannerError(f"config error in {origin}: unknown key {name}")
        if isinstance(value, dict) and isinstance(defaults[key], dict):
            validate(value, defaults[key], origin, path)
            continue
        problem = _problem(key, value, defaults[key])
        if problem:
            raise ScannerError(f"config error in {origin}: {name} {problem}")


@lru_cache(maxsize=8)
def _load(override: str | None) -> dict[str, Any]:
    defaults = _read(DEFAULTS)
    config = defaults
    for name in (override or "").split(os.pathsep):
        if name:
            extra = _read(Path(name))
            validate(extra, defaults, name)
            config = _merge(config, extra)
    return config


class Config(dict[str, Any]):
    """The merged configuration of one run: scanner/defaults.toml deep-merged with the overrides.

    Loaded once per run by the entry points (a CLI command, a flow, a bench) with load_config() and passed
    down; every section is a table of scanner/defaults.toml (the schema), available as a typed property.
    Still a dict, so a caller (or a test) may change a copy before passing it on.
    """

    def section(self, name: str) -> dict[str, Any]:
        """One [section]: the table itself (callers may change it to adjust this run)."""
        table = self[name]
        assert isinstance(table, dict)
        return table

    @property
    def store(self) -> dict[str, Any]:
        return self.section("store")

    @property
    def harvest(self) -> dict[str, Any]:
        return self.section("harvest")

    @property
    def flows(self) -> dict[str, Any]:
        return self.section("flows")

    @property
    def review(self) -> dict[str, Any]:
        return self.section("review")

    @property
    def signals(self) -> dict[str, Any]:
        return self.section("signals")

    @property
    def horizon(self) -> dict[str, Any]:
        return self.section("horizon")

    @property
    def emerging(self) -> dict[str, Any]:
        return self.section("emerging")

    @property
    def digest(self) -> dict[str, Any]:
        return self.section("digest")

    @property
    def tag(self) -> dict[str, Any]:
        return self.section("tag")

    @property
    def train(self) -> dict[str, Any]:
        return self.section("train")

    @property
    def factors(self) -> dict[str, Any]:
        return self.section("factors")

    @property
    def official(self) -> dict[str, Any]:
        return self.section("official")


def default(section: str, key: str) -> Any:
    """The value scanner/defaults.toml gives [section] key (no overrides): the one place defaults live."""
    return copy.deepcopy(_load(None)[section][key])


def setting(cfg: Mapping[str, Any], section: str, key: str) -> Any:
    """cfg[key], or the defaults.toml value when cfg is a partial [section] table without it."""
    return cfg[key] if key in cfg else default(section, key)


def complete(section: str, cfg: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A whole [section]: defaults.toml's table with the (partial) cfg over it."""
    return {**copy.deepcopy(_load(None)[section]), **(cfg or {})}


_PUSHED: list[str] = []  # files this process put in front of $SCANNER_CONFIG (scanner demo, bench flows)


def load_config(override: str | None = None) -> Config:
    """The one loader: a fresh copy of the merged config (callers may mutate it).

    Called once per run by the entry points (CLI commands, flows, benches), which pass the result down.
    """
    if override is None:
        env = os.environ.get("SCANNER_CONFIG")
        override = os.pathsep.join([*_PUSHED, *([env] if env else [])])
    return Config(copy.deepcopy(_load(override or None)))


def push_override(path: Path) -> None:
    """Put a config file in front of $SCANNER_CONFIG for the rest of this process (the user's files still win)."""
    _PUSHED.insert(0, str(path))


def repo_root() -> Path:
    """The checkout that lexicon/ and data/ live in.

    An editable install runs from it; after a plain `pip install .` the package lives in site-packages, so
    $SCANNER_HOME, then the working folder, is used when it holds lexicon/.
    """
    here = Path(__file__).resolve().parent.parent
    for candidate in (os.environ.get("SCANNER_HOME"), here, Path.cwd()):
        if candidate and (Path(candidate) / "lexicon").is_dir():
            return Path(candidate)
    return here
