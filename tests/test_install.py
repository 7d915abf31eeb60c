"""The install is reproducible: every dependency is pinned in requirements.lock; article extraction imports."""
from __future__ import annotations

import re
import tomllib

from scanner.config import repo_root

ROOT = repo_root()


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = version.split()[0]
    return pins


def test_every_runtime_and_dev_dependency_is_pinned_in_the_lock_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    assert "lxml-html-clean" in wanted
    missing = wanted - set(_locked())
    assert not missing, f"not in requirements.lock (run `make lock`): {sorted(missing)}"


def test_makefile_installs_from_the_lock_file():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet -r requirements.lock" in makefile and "--no-deps -e ." in makefile


def test_article_extraction_imports():
    import lxml.html.clean  # noqa: F401  (the separate lxml_html_clean project)
    import trafilatura

    assert trafilatura.extract("<html><body><article><p>" + "Gemeente test een chatbot. " * 20
                               + "</p></article></body></html>")
