"""Every bench that `make bench` runs, on tiny sizes: each prints JSON and none crashes."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from scanner.cli.main import app
from scanner.config import repo_root


def _tiny(tmp: str) -> dict[str, list[str] | None]:
    return {
        "tag": ["--docs", "20", "--words", "60", "--scaling-docs", "300", "--reference-docs", "10"],
        "harvest": ["--feeds", "2", "--items", "2", "--latency", "0", "--sample", "1", "--big-page-mb", "1"],
        "signals": ["--size", "500", "--classify-sample", "0", "--cache", tmp],
        "digest": ["--size", "500", "--cache", tmp],
        "ui": ["--flags", "50", "--repeats", "2"],
        "official": ["--pages", "2", "--factor", "1"],
        "classify": ["--docs", "100", "--words", "40", "--workers", "1"],
        "flows": None,  # needs a Prefect server: tests/flows/test_flows.py runs it under the test harness
    }


def _make_bench_names() -> list[str]:
    makefile = (repo_root() / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"scanner bench (\w+)", recipe)


def test_every_make_bench_has_a_tiny_run(tmp_path):
    names = _make_bench_names()
    assert names and set(names) == set(_tiny(str(tmp_path)))


@pytest.mark.parametrize("name", ["tag", "classify", "harvest", "signals", "digest", "ui", "official"])
def test_bench_runs_on_tiny_sizes(tmp_path, name):
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "b.db"), "bench", name, *_tiny(str(tmp_path))[name]])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines and all(isinstance(line, dict) for line in lines)
