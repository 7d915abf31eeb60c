"""`ingest_paths` and `scanner ingest`: PDF, HTML, TXT, MD and JSONL files; re-ingesting adds nothing."""
from __future__ import annotations

import json

from scanner.harvest.ingest import ingest_paths
from test_harvest_support import article_html, make_pdf, words


def _folder(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "rapport.pdf").write_bytes(make_pdf(["Gartner-achtige verkenning van AI in gemeenten. " * 8], "Verkenning"))
    (folder / "pagina.html").write_bytes(article_html("Opgeslagen pagina", words(5, 90)))
    (folder / "notitie.md").write_text("# Notitie over drones\n\n" + words(6, 40), encoding="utf-8")
    (folder / "sub" / "kort.txt").write_text("The city council tests a chatbot for permits.\n", encoding="utf-8")
    (folder / "sub" / "skip.docx").write_bytes(b"not supported, skipped in folders")
    lines = [
        {"id": "ext-1", "title": "Digitale tweeling", "text": words(8, 50), "published": "2026-01-15",
         "source": "export", "source_type": "research", "language": "nl"},
        {"title": "Zonder id", "text": "Some English text about cloud computing in cities.",
         "published": "2026-02-01T10:00:00Z", "url": "https://example.org/x"},
        {"title": "Geen datum", "text": "tekst"},
        "geen object",
    ]
    (folder / "export.jsonl").write_text("\n".join(json.dumps(l) for l in lines) + "\n{kapot\n", encoding="utf-8")
    return folder


def test_ingest_folder_and_reingest_adds_nothing(store, tmp_path):
    folder = _folder(tmp_path)
    first = ingest_paths(store, [folder])
    assert first.files == 5 and first.new_documents == 6
    assert len(first.errors) == 3 and all("export.jsonl:" in e for e in first.errors)
    docs = {d["uid"]: d for d in store.query("SELECT * FROM documents")}
    assert docs["ext-1"]["published"] == "2026-01-15T00:00:00+00:00" and docs["ext-1"]["source_type"] == "research"
    pdf = next(d for d in docs.values() if d["extraction"] == "pdf")
    assert pdf["title"] == "Verkenning" and pdf["published_estimated"] == 0
    md = next(d for d in docs.values() if d["title"] == "Notitie over drones")
    assert md["published_estimated"] == 1 and md["kind"] == "file"
    assert {d["language"] for d in docs.values()} <= {"nl", "en", "other"}
    again = ingest_paths(store, [folder])
    assert again.new_documents == 0 and store.count("documents") == 6


def test_ingest_reports_missing_and_unsupported(store, tmp_path):
    odd = tmp_path / "x.docx"
    odd.write_bytes(b"x")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    summary = ingest_paths(store, [tmp_path / "absent.pdf", odd, broken])
    assert summary.new_documents == 0 and len(summary.errors) == 3
    assert any("no such file" in e for e in summary.errors) and any("unsupported" in e for e in summary.errors)
    assert any("broken.pdf" in e for e in summary.errors)


def test_cli_ingest_exit_codes(tmp_path):
    from typer.testing import CliRunner

    from scanner.cli.main import app

    good = tmp_path / "note.txt"
    good.write_text("Gemeente Utrecht start een proef met een chatbot.\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    ok = CliRunner().invoke(app, ["--db", db, "ingest", str(good)])
    assert ok.exit_code == 0 and json.loads(ok.stdout.strip().splitlines()[-1])["new_documents"] == 1
    bad = CliRunner().invoke(app, ["--db", db, "ingest", str(good), str(tmp_path / "nope.md")])
    assert bad.exit_code == 1 and json.loads(bad.stdout.strip().splitlines()[-1])["new_documents"] == 0
