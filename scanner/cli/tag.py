"""`scanner tag`: JSONL documents in, one JSONL tagging result per line out (same order)."""
from __future__ import annotations

import json
import re
import sys
from typing import IO, Any, Iterator, Optional

import typer

from scanner.cli import common

_ID = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _best_effort_id(line: str) -> Optional[str]:
    match = _ID.search(line)
    if not match:
        return None
    try:
        return json.loads(f'"{match.group(1)}"')
    except ValueError:
        return match.group(1)


class BadLine(dict):
    """The error record of a line that could not be parsed (never sent to the tagger)."""


def parse_line(raw: bytes) -> Any:
    """A parsed document, or an error record for an undecodable / invalid JSON line."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.decode("utf-8", "replace")
        return BadLine(id=_best_effort_id(line), error=f"invalid UTF-8: {exc.reason} at byte {exc.start}")
    try:
        return json.loads(line)
    except ValueError as exc:
        return BadLine(id=_best_effort_id(line), error=f"invalid JSON: {exc}")


def dump(result: dict[str, Any]) -> bytes:
    """One JSON line; falls back to ASCII escapes when a string holds lone surrogates."""
    try:
        return (json.dumps(result, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(result, ensure_ascii=True) + "\n").encode("ascii")


def tag_stream(lines: Iterator[bytes], out: IO[bytes], batch_lines: int = 256, tagger: Any = None) -> int:
    """Tag JSONL lines in batches, writing results in input order; returns how many lines failed."""
    from scanner.tag.tagger import Tagger
    from scanner.util import chunked, frozen

    tagger = tagger or Tagger()
    failed = 0
    with frozen(getattr(tagger, "warm", None)):  # the warm tagger out of the collector's way (scanner/util.py)
        for batch in chunked((line for line in lines if line.strip()), batch_lines):
            parsed = [parse_line(line) for line in batch]
            docs = [p for p in parsed if not isinstance(p, BadLine)]
            tagged = iter(tagger.tag_many(docs))
            for item in parsed:
                result = dict(item) if isinstance(item, BadLine) else next(tagged)
                failed += "error" in result
                out.write(dump(result))
            out.flush()
    return failed


def register(app: typer.Typer) -> None:
    @app.command("tag")
    def tag(
        input: str = typer.Option("-", "--input", "-i", help="JSONL file of documents, or - for stdin."),
    ) -> None:
        """Tag JSONL documents {"id", "text", "title"?} with technologies, processes, stage and more.

        Writes one JSON line per input line, in order; a bad line becomes {"id", "error"} and the
        exit code is 1. Example:

            echo '{"id":"1","text":"De gemeente start een proef met een chatbot."}' | scanner tag
        """
        from scanner.errors import ScannerError
        from scanner.tag.tagger import Tagger

        config = common.get_config()
        batch_lines = int(config.tag["cli_batch_lines"])
        try:
            stream = sys.stdin.buffer if input == "-" else open(input, "rb")
        except OSError as exc:
            raise ScannerError(f"cannot read {input}: {exc.strerror}") from None
        with stream:
            failed = tag_stream(iter(stream), sys.stdout.buffer, batch_lines, Tagger(run=config))
        if failed:
            raise typer.Exit(1)
