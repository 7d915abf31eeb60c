"""Copy the generated reports into the READMEs between their markers (`make readme`).

    <!-- report:NAME -->  ... replaced by the report file's body ...  <!-- /report:NAME -->

tests/test_readme_reports.py fails when a block differs from its file, so README figures are always
the ones the commands last printed.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# report name: (the generated file, the README that includes it)
REPORTS = {"real-text": (ROOT / "data" / "annotations" / "real" / "report.md", ROOT / "README.md"),
           "backtest": (ROOT / "data" / "backtest" / "report.md", ROOT / "README.md"),
           "corpus": (ROOT / "data" / "annotations" / "real" / "stats.md", ROOT / "README.md"),
           "stage-c": (ROOT / "data" / "annotations" / "real" / "stage_c.md", ROOT / "README.md"),
           "learning-curve": (ROOT / "data" / "annotations" / "real" / "learning_curve.md", ROOT / "README.md"),
           "label-input": (ROOT / "data" / "annotations" / "real" / "label_input.md", ROOT / "README.md"),
           "agreement": (ROOT / "data" / "annotations" / "real" / "agreement.md",
                         ROOT / "data" / "annotations" / "README.md")}


def body(path: Path, readme: Path) -> str:
    """The report without its first heading, links made relative to the README."""
    text = path.read_text(encoding="utf-8").split("\n", 1)[1].strip("\n")
    folder = path.parent.relative_to(readme.parent).as_posix()
    return re.sub(r"\]\((?!https?:)([^)]+)\)", lambda m: f"]({folder}/{m.group(1)})", text)


def block(name: str, readme: str) -> re.Match[str] | None:
    return re.search(rf"<!-- report:{name} -->\n(.*?)<!-- /report:{name} -->", readme, re.S)


def main() -> int:
    for name, (path, readme_path) in REPORTS.items():
        readme = readme_path.read_text(encoding="utf-8")
        match = block(name, readme)
        if match is None or not path.exists():
            print(f"skipped {name}: {'no marker' if match is None else 'no ' + str(path)}")
            continue
        readme = readme[:match.start(1)] + body(path, readme_path) + "\n" + readme[match.end(1):]
        readme_path.write_text(readme, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
