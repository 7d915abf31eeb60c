"""The one config: scanner/defaults.toml, deep-merged with the TOML file(s) named by $SCANNER_CONFIG.

$SCANNER_CONFIG may list several files separated by os.pathsep; later ones win.
"""
from __future__ import annotations

import copy
import os
import tomllib
from functools import lru_cache
from pathlib import Path
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


@lru_cache(maxsize=8)
def _load(override: str | None) -> dict[str, Any]:
    config = _read(DEFAULTS)
    for name in (override or "").split(os.pathsep):
        if name:
            config = _merge(config, _read(Path(name)))
    return config


def load_config(override: str | None = None) -> dict[str, Any]:
    """Return a fresh copy of the merged config (callers may mutate it)."""
    return copy.deepcopy(_load(override or os.environ.get("SCANNER_CONFIG")))


def push_override(path: Path) -> None:
    """Put a config file in front of $SCANNER_CONFIG (the user's own files still win)."""
    current = os.environ.get("SCANNER_CONFIG")
    os.environ["SCANNER_CONFIG"] = os.pathsep.join([str(path), *([current] if current else [])])


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
