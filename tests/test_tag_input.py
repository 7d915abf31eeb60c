"""Bad input never crashes the tagger; offsets stay exact for arbitrary unicode; the CLI keeps order."""
from __future__ import annotations

import io
import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_tag_support import real_tagger, tag

WORDS = ["chatbot", "Drones", "parkeersensoren", "RPA", "digital twin", "camera's", "cloud", "gemeente",
         "proef", "5G-netwerk", "AI-chatbot", "e-mail", "app", "quantum computing", "paspoort"]
ODD = ["\x00", "\x07", "\u200f", "\u202e", "\u200d", "\ufeff", "\r\n", "\t", "\u2028", "🙂", "👩‍💻", "İ",
       "שלום", "مرحبا", "ß", "ﬁ", "\ud800"]


def _check_offsets(result: dict, combined: str) -> None:
    assert "error" not in result, result
    for mention in result["technologies"] + result["processes"]:
        assert combined[mention["start"] : mention["end"]] == mention["text"]
        assert combined[mention["sent_start"] : mention["sent_end"]] == mention["sentence"]
        assert mention["sent_start"] <= mention["start"] <= mention["end"] <= mention["sent_end"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(ODD), st.text(max_size=8)), min_size=1,
                max_size=25), st.one_of(st.none(), st.text(max_size=15)))
def test_offsets_match_span_text_for_arbitrary_unicode(parts: list[str], title: str | None) -> None:
    text = " ".join(parts)
    if not text.strip():
        assert "error" in tag(text, title)
        return
    result = tag(text, title)
    combined = f"{title}\n{text}" if title else text
    combined = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in combined)
    _check_offsets(result, combined)


def test_offsets_into_title_plus_text() -> None:
    result = tag("De gemeente zet drones in.", title="Chatbot voor afval")
    combined = "Chatbot voor afval\nDe gemeente zet drones in."
    _check_offsets(result, combined)
    assert {m["text"] for m in result["technologies"]} == {"Chatbot", "drones"}
    assert result["technologies"][0]["start"] == 0


def test_control_characters_emoji_and_rtl() -> None:
    text = "Een \x00chatbot\x07 🙂 en ‮drones‬ naast שלום en مرحبا; de cloud\u200b-dienst."
    result = tag(text)
    _check_offsets(result, text)
    assert {"chatbots", "drones"} <= {m["id"] for m in result["technologies"]}


def test_bad_documents_yield_errors_and_the_rest_is_tagged() -> None:
    docs = [{"id": "ok1", "text": "Een chatbot."}, "not a dict", {"id": "no-text"}, {"id": "num", "text": 42},
            {"id": "empty", "text": ""}, {"id": "blank", "text": "  \n "}, {"id": "title", "text": "x", "title": 3},
            None, {"id": "ok2", "text": "Drones boven de stad."}]
    results = list(real_tagger().tag_many(docs))
    assert [r.get("id") for r in results] == ["ok1", None, "no-text", "num", "empty", "blank", "title", None, "ok2"]
    assert all("error" in r for r in results[1:-1])
    assert "error" not in results[0] and "error" not in results[-1]
    assert results[-1]["technologies"][0]["id"] == "drones"


def test_huge_text_is_truncated_quickly() -> None:
    text = ("De gemeente zet een chatbot in voor vragen over afval. " * 95000)  # ~5 MB
    start = time.perf_counter()
    result = tag(text)
    elapsed = time.perf_counter() - start
    assert "error" not in result
    assert "truncated" in result["note"]
    assert max(m["end"] for m in result["technologies"]) <= 1_000_000
    assert elapsed < 60


def test_output_order_kept_across_languages_and_batches() -> None:
    docs = [{"id": str(i), "text": ("The council uses drones." if i % 3 else "De gemeente gebruikt drones.")}
            for i in range(150)]
    results = list(real_tagger().tag_many(docs, batch_size=16))
    assert [r["id"] for r in results] == [str(i) for i in range(150)]
    assert [r["language"] for r in results[:3]] == ["nl", "en", "en"]


def test_cli_stream_reports_bad_line_and_keeps_order() -> None:
    from scanner.cli.tag import tag_stream

    lines = [b'{"id": "a", "text": "De gemeente start een proef met een chatbot."}\n',
             b'{"id": "b", "text": "broken\n',
             b'\n',
             b'{"id": "c", "title": "Drones", "text": "The council rolled out drones."}\n',
             b'\xff\xfe{"id": "d"}\n',
             b'[1, 2]\n']
    out = io.BytesIO()
    failed = tag_stream(iter(lines), out, batch_lines=2, tagger=real_tagger())
    rows = [json.loads(line) for line in out.getvalue().decode("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", None]
    assert failed == 3
    assert rows[1]["error"].startswith("invalid JSON")
    assert rows[3]["error"].startswith("invalid UTF-8")
    assert rows[0]["stage"] == "pilot" and rows[2]["stage"] == "adoption"


def test_cli_command_exit_code_and_contract_keys(tmp_path) -> None:
    import subprocess
    import sys

    src = tmp_path / "in.jsonl"
    src.write_text('{"id":"1","text":"Een chatbot voor de gemeente."}\nnot json\n{"id":"3","text":"Drones."}\n',
                   encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "scanner", "tag", "--input", str(src)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["1", None, "3"]
    keys = {"id", "language", "technologies", "processes", "domains", "stage", "stage_scores", "municipal",
            "candidates"}
    assert keys <= set(rows[0]) and "error" in rows[1]
    assert set(rows[0]["technologies"][0]) >= {"id", "text", "start", "end"}


def test_symbol_runs_do_not_make_tokenization_quadratic() -> None:
    start = time.perf_counter()
    for text in ("🙂" * 30000 + " drones", '"' * 50000 + " chatbot", "ai-" * 50000):
        result = tag(text)
        assert "error" not in result
    assert tag("🙂" * 30000 + " drones")["technologies"][0]["start"] == 30001
    assert time.perf_counter() - start < 30
