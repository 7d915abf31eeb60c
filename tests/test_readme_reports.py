"""README figures are the generated reports' figures (docs/sync_readme.py copies them)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("sync_readme", ROOT / "docs" / "sync_readme.py")
sync = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sync)


@pytest.mark.parametrize("name", sorted(sync.REPORTS))
def test_readme_block_equals_report(name):
    path, readme_path = sync.REPORTS[name]
    match = sync.block(name, readme_path.read_text(encoding="utf-8"))
    assert match is not None, f"{readme_path.name} has no <!-- report:{name} --> block"
    assert match.group(1) == sync.body(path, readme_path) + "\n", "regenerate the report, then make readme"
