"""Official sources (ori, sru, tenders) against loopback servers replaying the documented response shapes."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from werkzeug import Request, Response

import scanner.harvest.save as save_module
from scanner.errors import ScannerError
from scanner.harvest.official import load_cursor
from scanner.harvest.run import harvest
from scanner.harvest.sources import parse_sources
from scanner.store import Store
from test_harvest_support import fast_config

FIXTURES = Path(__file__).parent / "fixtures" / "official"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class Api:
    """ORI (POST /ori/_search), SRU (GET /sru) and TED (POST /ted) with switchable failures per page."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.requests: list[tuple[str, Any]] = []
        self.fail: dict[tuple[str, int], tuple[int, bytes, dict[str, str]]] = {}   # (api, page) -> response
        self.fail_once: dict[tuple[str, int], tuple[int, bytes, dict[str, str]]] = {}
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def handle(self, request: Request) -> Response:
        if request.path == "/ori/_search":
            body = json.loads(request.get_data() or b"{}")
            self.requests.append(("ori", body))
            return self._reply("ori", 2 if body.get("search_after") else 1, "application/json")
        if request.path == "/sru":
            params = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
            self.requests.append(("sru", params))
            return self._reply("sru", 1 if params.get("startRecord") == "1" else 2, "application/xml")
        if request.path == "/ted":
            body = json.loads(request.get_data() or b"{}")
            self.requests.append(("ted", body))
            return self._reply("ted", int(body.get("page", 1)), "application/json")
        if request.path == "/papi/tenderned-rs-tns/v2/publicaties":
            params = parse_qs(request.query_string.decode())
            self.requests.append(("tenderned", params))
            return self._reply("tenderned", int(params.get("page", ["0"])[0]) + 1, "application/json")
        return Response("not found", status=404)

    def _reply(self, api: str, page: int, kind: str) -> Response:
        key = (api, page)
        if key in self.fail_once:
            status, body, headers = self.fail_once.pop(key)
            return Response(body, status=status, headers=headers, content_type=kind)
        if key in self.fail:
            status, body, headers = self.fail[key]
            return Response(body, status=status, headers=headers, content_type=kind)
        ext = "xml" if api == "sru" else "json"
        return Response(fixture(f"{api}_page{page}.{ext}"), content_type=kind)

    def bodies(self, api: str) -> list[Any]:
        return [body for name, body in self.requests if name == api]


@pytest.fixture
def api(httpserver):
    return Api(httpserver)


def config(**overrides: Any) -> dict[str, Any]:
    return fast_config(official={"min_interval_s": 0.0, "page_size": 100, "max_pages": 50}, **overrides)


def sources(api: Api, **extra: dict[str, Any]) -> list:
    tables = [
        {"id": "ori", "name": "ORI", "url": api.url("/ori/_search"), "kind": "ori", "source_type": "local",
         "language": "nl", "allow_private": True, "query": "chatbot | \"virtuele assistent\"", "page_size": 3},
        {"id": "cvdr", "name": "CVDR", "url": api.url("/sru"), "kind": "sru", "source_type": "government",
         "language": "nl", "allow_private": True, "connection": "cvdr", "query": "dcterms.type==regeling",
         "page_size": 2, "since": "2024-01-01"},
        {"id": "ted", "name": "TED", "url": api.url("/ted"), "kind": "tenders", "source_type": "government",
         "language": "nl", "allow_private": True, "page_size": 3, "since": "2024-01-01"},
    ]
    for table in tables:
        table.update(extra.get(table["id"], {}))
    return parse_sources({"source": tables})


def docs(store: Store) -> dict[str, dict[str, Any]]:
    rows = store.query("SELECT guid, source_id, kind, url, title, published, meta FROM documents")
    return {r["guid"]: {**r, "meta": json.loads(r["meta"])} for r in rows}


def test_three_kinds_store_documents_with_municipality_codes_and_provenance(store, api):
    summary = harvest(store, sources(api), config())
    assert summary.sources_failed == 0, [r.line() for r in summary.results]
    stored = docs(store)
    assert len(stored) == summary.new_documents == 4 + 3 + 3
    codes = {guid: d["meta"].get("municipality") for guid, d in stored.items()}
    assert codes == {"4401001": "GM0344", "5502002": "GM0809", "6603003": None, "7704004": "GM0363",
                     "CVDR701234_1": "GM1926", "CVDR702222_1": None, "CVDR703333_2": "GM1900",
                     "104512-2024": "GM0344", "131313-2024": "GM0772", "150001-2024": "GM0228"}
    ori = stored["5502002"]
    assert ori["meta"]["document_type"] == "besluitenlijst" and ori["meta"]["stage_hint"] == "adoption"
    assert ori["meta"]["meeting_date"] == ori["published"][:10] == "2024-03-14"
    assert ori["url"] == "https://loonopzand.raadsinformatie.nl/document/5502002"
    assert stored["4401001"]["meta"]["stage_hint"] == "policy"
    assert stored["CVDR703333_2"]["meta"]["stage_hint"] == "adoption"
    assert stored["CVDR701234_1"]["url"] == "https://lokaleregelgeving.overheid.nl/CVDR701234/1"
    ted = stored["104512-2024"]
    assert ted["meta"]["stage_hint"] == "procurement" and ted["meta"]["buyer"] == "Gemeente Utrecht"
    assert ted["title"].startswith("Nederland – Diensten voor softwareontwikkeling")
    assert "118800-2024" not in stored  # Rijkswaterstaat is no municipality
    lines = {r.source_id: r.line() for r in summary.results}
    assert "1 warning(s): skipped a malformed ORI hit" in lines["ori"]


def test_requests_follow_the_documented_shapes(store, api):
    harvest(store, sources(api), config())
    first, second = api.bodies("ori")
    assert first["sort"] == [{"last_discussed_at": {"order": "asc"}}, {"_id": {"order": "asc"}}]
    assert first["size"] == 3 and "search_after" not in first
    assert second["search_after"] == [1710961200000, "6603003"]
    assert first["query"]["bool"]["must"][0]["simple_query_string"]["query"] == "chatbot | \"virtuele assistent\""
    sru = api.bodies("sru")
    assert [p["startRecord"] for p in sru] == ["1", "3"]
    assert sru[0]["x-connection"] == "cvdr" and sru[0]["operation"] == "searchRetrieve"
    assert sru[0]["query"] == "(dcterms.type==regeling) and dcterms.modified>=2024-01-01"
    ted = api.bodies("ted")
    assert [b["page"] for b in ted] == [1, 2] and ted[0]["paginationMode"] == "PAGE_NUMBER"
    assert ted[0]["query"].startswith("buyer-country=NLD AND classification-cpv IN (72000000 48000000")
    assert "publication-date>=20240101" in ted[0]["query"]


def test_second_run_adds_nothing_and_asks_only_for_newer_documents(store, api):
    harvest(store, sources(api), config())
    api.requests.clear()
    again = harvest(store, sources(api), config())
    assert again.sources_failed == 0 and again.new_documents == 0 and again.duplicates == 0
    ori = api.bodies("ori")[0]
    assert {"range": {"last_discussed_at": {"gte": "2024-04-03"}}} in ori["query"]["bool"]["filter"]
    assert api.bodies("sru")[0]["query"].endswith("dcterms.modified>=2024-04-02")
    assert "publication-date>=20240319" in api.bodies("ted")[0]["query"]
    assert store.count("documents") == 10


def test_server_error_is_one_line_the_rest_kept_and_the_next_run_resumes(store, api):
    api.fail[("ori", 2)] = (500, b"internal error", {})
    summary = harvest(store, sources(api), config())
    results = {r.source_id: r for r in summary.results}
    line = results["ori"].line()
    assert not results["ori"].ok and "\n" not in line
    assert line == "ori: FAILED HTTP 500; 3 new document(s) kept, the next run resumes"
    assert results["cvdr"].ok and results["ted"].ok
    assert len([b for b in api.bodies("ori") if b.get("search_after")]) == 3  # first try + 2 retries
    assert {d["source_id"] for d in docs(store).values()} == {"ori", "cvdr", "ted"}
    assert load_cursor(store, "ori", "standing")["position"] == [1710961200000, "6603003"]
    del api.fail[("ori", 2)]
    api.requests.clear()
    resumed = harvest(store, sources(api), config())
    assert resumed.sources_failed == 0
    assert api.bodies("ori")[0]["search_after"] == [1710961200000, "6603003"]
    assert results["ori"].new_documents + resumed.new_documents == 4
    assert store.count("documents") == 10
    assert load_cursor(store, "ori", "standing") == {"since": "2024-04-03"}


def test_retry_after_is_honoured_then_the_page_succeeds(store, api):
    api.fail_once[("ted", 1)] = (429, b"slow down", {"Retry-After": "0"})
    summary = harvest(store, sources(api), config())
    assert summary.sources_failed == 0
    assert [b["page"] for b in api.bodies("ted")] == [1, 1, 2]
    log = store.query("SELECT status, error FROM fetch_log WHERE source_id = 'ted' ORDER BY id")
    assert [r["status"] for r in log] == [429, 200, 200] and log[0]["error"] == "HTTP 429"


@pytest.mark.parametrize("api_name, page, body, expected", [
    ("ted", 2, b'{"notices": [', "ted: FAILED malformed TED response: not JSON"),
    ("ted", 1, b'{"message": "Invalid query"}', "ted: FAILED malformed TED response: no notices list (Invalid query)"),
    ("ori", 1, b'{"error": {"type": "search_phase_execution_exception"}, "status": 400}',
     "ori: FAILED malformed ORI response: no hits.hits"),
    ("sru", 1, b"<sru:searchRetrieveResponse xmlns:sru='x'><sru:records>", "cvdr: FAILED malformed SRU response: not XML"),
    ("sru", 2, b"<html><body>Onderhoud</body></html>", "cvdr: FAILED malformed SRU response: root <html>"),
    ("sru", 1, b"<searchRetrieveResponse><diagnostics><diagnostic><message>Query syntax error</message>"
               b"</diagnostic></diagnostics></searchRetrieveResponse>", "cvdr: FAILED SRU diagnostic: Query syntax error"),
])
def test_malformed_response_is_one_line_with_the_rest_kept(store, api, api_name, page, body, expected):
    api.fail[(api_name, page)] = (200, body, {})
    summary = harvest(store, sources(api), config())
    failed = [r for r in summary.results if not r.ok]
    assert len(failed) == 1 and failed[0].line().startswith(expected) and "\n" not in failed[0].line()
    assert summary.sources_ok == 2
    kept = 3 if (api_name, page) == ("ori", 2) else 2 if (api_name, page) in (("ted", 2), ("sru", 2)) else 0
    assert failed[0].new_documents == kept
    assert store.count("documents") == summary.new_documents


def test_killed_mid_run_resumes_without_duplicates(store, api, monkeypatch, tmp_path):
    reference = Store(tmp_path / "reference.db")
    harvest(reference, sources(api), config(source_workers=1))
    real_row = save_module._row
    calls = {"n": 0}

    def dying_row(doc: dict[str, Any]) -> tuple[Any, ...]:
        if doc["source_id"] == "cvdr":
            calls["n"] += 1
            if calls["n"] == 3:  # the first record of SRU page 2
                raise KeyboardInterrupt("killed")
        return real_row(doc)
    monkeypatch.setattr(save_module, "_row", dying_row)
    with pytest.raises(KeyboardInterrupt):
        harvest(store, sources(api), config(source_workers=1))
    assert store.query("SELECT count(*) AS n FROM documents WHERE source_id = 'cvdr'")[0]["n"] == 2
    monkeypatch.setattr(save_module, "_row", real_row)
    api.requests.clear()
    assert harvest(store, sources(api), config(source_workers=1)).sources_failed == 0
    assert [p["startRecord"] for p in api.bodies("sru")] == ["3"]  # resumed at the page that was lost
    snapshot = "SELECT uid, title, json_extract(meta, '$.municipality') AS m FROM documents ORDER BY uid"
    assert [tuple(r.values()) for r in store.query(snapshot)] == [tuple(r.values()) for r in reference.query(snapshot)]
    reference.close()


def test_per_technology_queries_use_lexicon_terms_and_keep_own_cursors(store, api):
    chosen = sources(api, ori={"query": None, "technologies": ["chatbots"], "max_terms": 3})[:1]
    harvest(store, chosen, config())
    body = api.bodies("ori")[0]
    terms = body["query"]["bool"]["must"][0]["simple_query_string"]
    assert terms["default_operator"] == "or" and "chatbot" in terms["query"]
    assert load_cursor(store, "ori", "tech:chatbots") == {"since": "2024-04-03"}
    assert docs(store)["4401001"]["meta"]["technology"] == "chatbots"


@pytest.mark.parametrize("table, message", [
    ({"kind": "ori", "query": "x", "cpv": ["72000000"]}, "cpv not used by kind = \"ori\""),
    ({"kind": "sru"}, "needs a standing `query` or `technologies`"),
    ({"kind": "ori", "query": "x", "municipality": "0363"}, "municipality must be a CBS code"),
    ({"kind": "tenders", "cpv": ["72"]}, "cpv must be a list of 8-digit CPV codes"),
    ({"kind": "ori", "technologies": "some"}, "technologies must be \"all\" or a list"),
    ({"kind": "ori", "query": "x", "since": "last week"}, "since must be a date"),
    ({"kind": "feed", "query": "x"}, "unknown key(s) query"),
])
def test_source_file_problems_are_one_line(table, message):
    with pytest.raises(ScannerError) as err:
        parse_sources({"source": [{"id": "s", "name": "S", "url": "https://example.org/api", **table}]})
    assert message in str(err.value) and "\n" not in str(err.value)


def test_cli_harvest_and_sources_check(tmp_path, api, monkeypatch):
    from typer.testing import CliRunner

    from scanner.cli.main import app
    from scanner.config import _load

    conf = tmp_path / "fast.toml"
    conf.write_text("[harvest]\nhost_delay_s = 0.0\nmax_retries = 1\nbackoff_base_s = 0.01\n"
                    "connect_timeout_s = 1.0\n\n[official]\nmin_interval_s = 0.0\n", encoding="utf-8")
    monkeypatch.setenv("SCANNER_CONFIG", str(conf))
    _load.cache_clear()
    toml = tmp_path / "sources.toml"
    toml.write_text(
        f'[[source]]\nid = "ori"\nname = "ORI"\nurl = "{api.url("/ori/_search")}"\nkind = "ori"\n'
        f'source_type = "local"\nallow_private = true\nquery = "chatbot"\npage_size = 3\n\n'
        f'[[source]]\nid = "ted"\nname = "TED"\nurl = "{api.url("/ted")}"\nkind = "tenders"\n'
        f'source_type = "government"\nallow_private = true\npage_size = 3\n\n'
        f'[[source]]\nid = "down"\nname = "Down"\nurl = "http://127.0.0.1:9/sru"\nkind = "sru"\n'
        f'allow_private = true\nconnection = "cvdr"\nquery = "x"\n', encoding="utf-8")
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db, "harvest", "--sources", str(toml)])
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert lines[0].startswith("ori: ok, 4 items, 4 new") and lines[1].startswith("ted: ok, 3 items, 3 new")
    assert lines[2].startswith("down: FAILED connection error")
    assert json.loads(lines[-1]) == {"sources_ok": 2, "sources_failed": 1, "new_documents": 7, "duplicates": 0}
    again = runner.invoke(app, ["--db", db, "harvest", "--sources", str(toml), "--source", "ori", "--source", "ted"])
    assert json.loads(again.stdout.strip().splitlines()[-1])["new_documents"] == 0

    check = runner.invoke(app, ["--db", db, "sources", "check", "--sources", str(toml)])
    reports = {r["id"]: r for r in map(json.loads, check.stdout.strip().splitlines())}
    assert check.exit_code == 1
    assert reports["ori"]["ok"] and reports["ori"]["items"] == 3
    assert "GM0344" in reports["ori"]["note"] and reports["ted"]["ok"]
    assert not reports["down"]["ok"] and reports["down"]["note"].startswith("connection error")
    _load.cache_clear()


def test_official_documents_count_for_their_municipality(store, api):
    from scanner.signals import api as signals

    harvest(store, sources(api), config())
    signals.classify(store)
    rows = store.query("SELECT d.guid, d.meta, m.target, m.stage, m.municipalities, t.municipal FROM mentions m "
                       "JOIN documents d ON d.id = m.document_id JOIN doc_tags t ON t.document_id = d.id "
                       "WHERE m.kind = 'technology'")
    coded = [r for r in rows if json.loads(r["meta"]).get("municipality")]
    assert {r["guid"] for r in coded} >= {"104512-2024", "4401001"}  # both say "chatbot"
    names = {"GM0344": "Utrecht", "GM0809": "Loon op Zand", "GM0363": "Amsterdam", "GM0772": "Eindhoven",
             "GM0228": "Ede", "GM1926": "Pijnacker-Nootdorp", "GM1900": "Súdwest-Fryslân"}
    for row in coded:
        assert names[json.loads(row["meta"])["municipality"]] in json.loads(row["municipalities"]), row
        assert row["municipal"] == 1
    reach = {n for r in rows if r["target"] == "chatbots" and r["stage"] in ("adoption", "procurement", "pilot")
             for n in json.loads(r["municipalities"])}
    horizon = {h["id"]: h for h in signals.horizons(store, as_of="2024-12-31")}
    assert horizon["chatbots"]["municipalities"] == len(reach) >= 1


def test_sources_file_keys_match_the_kinds():
    from scanner.harvest.official import API_KINDS as OFFICIAL_KINDS, EXTRA_KEYS
    from scanner.harvest.sources import API_KEYS, API_KINDS

    assert API_KEYS == EXTRA_KEYS and API_KINDS == OFFICIAL_KINDS


def test_official_section_of_a_full_config_applies(store, api):
    from scanner.config import load_config

    full = load_config()
    full["harvest"] = config()
    del full["harvest"]["official"]
    full["official"] = {"min_interval_s": 0.0, "page_size": 100, "max_pages": 1}
    harvest(store, sources(api)[:1], full)
    assert [bool(b.get("search_after")) for b in api.bodies("ori")] == [False]  # one page, then stop
    assert load_cursor(store, "ori", "standing")["position"] == [1710961200000, "6603003"]


# ------------------------------------------------------------------------------------------ TenderNed
def tenderned(api: Api, **extra: Any) -> list:
    table = {"id": "tn", "name": "TenderNed", "url": api.url("/papi/tenderned-rs-tns/v2/publicaties"),
             "kind": "tenders", "source_type": "government", "language": "nl", "allow_private": True,
             "page_size": 3, "since": "2024-01-01", **extra}
    return parse_sources({"source": [table]})


def test_tenderned_stores_municipal_notices_with_codes_and_a_second_run_adds_nothing(store, api):
    summary = harvest(store, tenderned(api), config())
    result = summary.results[0]
    assert result.ok, result.line()
    stored = docs(store)
    assert {g: d["meta"].get("municipality") for g, d in stored.items()} == {
        "341210": "GM0599", "343550": "GM0014", "345901": "GM0855"}  # Belastingdienst is no municipality
    rotterdam = stored["341210"]
    assert rotterdam["meta"]["stage_hint"] == "procurement" and rotterdam["meta"]["buyer"] == "Gemeente Rotterdam"
    assert rotterdam["meta"]["document_type"] == "AAO" and rotterdam["published"][:10] == "2024-02-12"
    assert rotterdam["url"] == "https://www.tenderned.nl/aankondigingen/overzicht/341210"
    assert "1 warning(s): skipped a malformed TenderNed publication" in result.line()
    first, second = api.bodies("tenderned")
    assert (first["page"], first["size"], first["publicatieDatumVanaf"]) == (["0"], ["3"], ["2024-01-01"])
    assert second["page"] == ["1"] and "search" not in first
    assert load_cursor(store, "tn", "standing") == {"since": "2024-03-11"}
    api.requests.clear()
    again = harvest(store, tenderned(api), config())
    assert again.new_documents == 0 and again.duplicates == 0 and again.sources_failed == 0
    assert api.bodies("tenderned")[0]["publicatieDatumVanaf"] == ["2024-03-11"]
    assert store.count("documents") == 3


def test_tenderned_walks_a_technology_term_by_term_with_cpv_check_digits(store, api):
    chosen = tenderned(api, technologies=["chatbots"], max_terms=2, cpv=["72000000", "48000000-8"])
    harvest(store, chosen, config())
    asked = api.bodies("tenderned")
    assert [(b["search"][0], b["page"][0]) for b in asked] == [
        (asked[0]["search"][0], "0"), (asked[0]["search"][0], "1"), (asked[2]["search"][0], "0"),
        (asked[2]["search"][0], "1")]
    assert asked[0]["search"] != asked[2]["search"] and "chatbot" in asked[0]["search"][0].lower() + \
        asked[2]["search"][0].lower()
    assert asked[0]["cpvCodes"] == ["72000000-5", "48000000-8"]
    assert store.count("documents") == 3  # the same notices under both terms are stored once
    assert load_cursor(store, "tn", "tech:chatbots") == {"since": "2024-03-11"}


@pytest.mark.parametrize("page, status, body, expected", [
    (2, 503, b"busy", "tn: FAILED HTTP 503; 2 new document(s) kept, the next run resumes"),
    (1, 200, b"<html>Onderhoud</html>", "tn: FAILED malformed TenderNed response: not JSON"),
    (1, 200, b'{"message": "Ongeldige parameter"}',
     "tn: FAILED malformed TenderNed response: no content list (Ongeldige parameter)"),
])
def test_tenderned_bad_response_is_one_line_the_rest_kept(store, api, page, status, body, expected):
    api.fail[("tenderned", page)] = (status, body, {})
    summary = harvest(store, tenderned(api), config())
    line = summary.results[0].line()
    assert line.startswith(expected) and "\n" not in line
    assert store.count("documents") == (2 if page == 2 else 0)
    del api.fail[("tenderned", page)]
    assert harvest(store, tenderned(api), config()).sources_failed == 0
    assert store.count("documents") == 3


def test_tenders_api_choice_is_checked():
    with pytest.raises(ScannerError, match="api must be \"ted\" or \"tenderned\""):
        parse_sources({"source": [{"id": "s", "name": "S", "url": "https://example.org/x", "kind": "tenders",
                                   "api": "mercell"}]})


def test_horizon_tech_shows_municipalities_with_council_or_tender_evidence(tmp_path, api, monkeypatch):
    from typer.testing import CliRunner

    from scanner.cli.main import app
    from scanner.signals import api as signals

    db = tmp_path / "h.db"
    store = Store(db)
    harvest(store, sources(api) + tenderned(api), config())
    signals.classify(store)
    rows = store.query("SELECT DISTINCT d.kind, json_extract(d.meta, '$.municipality') AS code FROM mentions m "
                       "JOIN documents d ON d.id = m.document_id WHERE m.kind = 'technology' "
                       "AND m.target = 'chatbots' AND json_extract(d.meta, '$.municipality') IS NOT NULL")
    council = {r["code"] for r in rows if r["kind"] == "ori"}
    tenders = {r["code"] for r in rows if r["kind"] == "tenders"}
    assert council and {"GM0599", "GM0014"} <= tenders  # Rotterdam and Groningen from TenderNed
    store.close()
    out = CliRunner().invoke(app, ["--db", str(db), "horizon", "--tech", "chatbots", "--as-of", "2024-12-31"])
    assert out.exit_code == 0, out.output
    line = next(x for x in out.stdout.splitlines() if x.startswith("official sources:"))
    assert line.startswith(f"official sources: {len(council | tenders)} municipalities with council or tender "
                           f"evidence (council documents {len(council)}, tenders {len(tenders)};")
    as_json = CliRunner().invoke(app, ["--db", str(db), "horizon", "--tech", "chatbots", "--as-of", "2024-12-31",
                                       "--json"])
    reach = json.loads(as_json.stdout)["official_reach"]
    assert reach["codes"]["council_or_tender"] == sorted(council | tenders)
    early = CliRunner().invoke(app, ["--db", str(db), "horizon", "--tech", "chatbots", "--as-of", "2023-12-31",
                                     "--json"])
    assert json.loads(early.stdout)["official_reach"]["council_or_tender"] == 0  # nothing published before


def test_paged_sources_report_progress_and_the_terminal_shows_bars(store, api):
    import io

    from rich.console import Console

    from scanner.cli.progress import HarvestBars

    events: list[Any] = []
    chosen = sources(api)[:1] + tenderned(api, technologies=["chatbots"], max_terms=2)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    with HarvestBars(console, [s.id for s in chosen]) as bars:
        def page(event: Any) -> None:
            events.append(event)
            bars.page(event)
        harvest(store, chosen, config(), on_result=bars.result, on_progress=page)
    ori = [(e.query, e.seen, e.total, e.finished) for e in events if e.source_id == "ori"]
    assert ori == [(0, 3, 4, False), (0, 4, 4, False), (0, 0, None, True)]
    tn = [(e.query, e.queries, e.seen, e.finished) for e in events if e.source_id == "tn"]
    assert tn == [(0, 1, 2, False), (0, 1, 3, False), (0, 1, 5, False), (0, 1, 6, False), (0, 1, 0, True)]
    assert [e.new_documents for e in events if e.source_id == "tn"] == [2, 3, 3, 3, 3]  # two terms, same notices
    assert buffer.getvalue().startswith("\x1b[?25l")  # a live display was drawn on the terminal
    state = {t.description.strip(): (t.completed, t.total, t.fields["note"]) for t in bars.progress.tasks}
    assert state == {"ori": (1, 1, "4 new"), "tn": (1, 1, "3 new")}
    first_ori = next(e for e in events if e.source_id == "ori")  # sources run in parallel: events interleave
    bars.page(first_ori)  # a page under way: a share of the query, with what was read of what matched
    assert bars.progress.tasks[0].completed == 0.75 and bars.progress.tasks[0].fields["note"] == "pages: 3/4 read, 3 new"
    wide = Console(file=io.StringIO(), width=160, force_terminal=True)
    wide.print(bars.progress.make_tasks_table(bars.progress.tasks))
    assert "pages: 3/4 read, 3 new" in wide.file.getvalue() and "tn" in wide.file.getvalue()
    quiet = io.StringIO()
    with HarvestBars(Console(file=quiet, force_terminal=False), ["ori"]) as bars:
        bars.page(first_ori)
    assert quiet.getvalue() == ""  # piped: no bars


def _cli_sources(tmp_path: Path, api: Api) -> Path:
    toml = tmp_path / "sources.toml"
    toml.write_text(
        f'[[source]]\nid = "ori"\nname = "ORI"\nurl = "{api.url("/ori/_search")}"\nkind = "ori"\n'
        f'source_type = "local"\nallow_private = true\nquery = "chatbot"\npage_size = 3\n\n'
        f'[[source]]\nid = "tn"\nname = "TenderNed"\nurl = "{api.url("/papi/tenderned-rs-tns/v2/publicaties")}"\n'
        f'kind = "tenders"\nsource_type = "government"\nallow_private = true\npage_size = 3\n', encoding="utf-8")
    return toml


@pytest.fixture
def fast_cli(tmp_path, monkeypatch):
    from scanner.config import _load

    conf = tmp_path / "fast.toml"
    conf.write_text("[harvest]\nhost_delay_s = 0.0\nmax_retries = 1\nbackoff_base_s = 0.01\n"
                    "connect_timeout_s = 1.0\n\n[official]\nmin_interval_s = 0.0\n", encoding="utf-8")
    monkeypatch.setenv("SCANNER_CONFIG", str(conf))
    _load.cache_clear()
    yield
    _load.cache_clear()


def test_cli_harvest_hands_tagging_on(tmp_path, api, monkeypatch, fast_cli):
    from typer.testing import CliRunner

    import scanner.cli.signals as signals_cli
    from scanner.cli.main import app

    toml, db, runner = _cli_sources(tmp_path, api), str(tmp_path / "t.db"), CliRunner()
    out = runner.invoke(app, ["--db", db, "harvest", "--sources", str(toml), "--classify"])
    lines = out.stdout.strip().splitlines()
    assert out.exit_code == 0, out.output
    assert lines[-2].startswith("classify: ") and json.loads(lines[-2][10:])["documents"] == 7
    assert json.loads(lines[-1]) == {"sources_ok": 2, "sources_failed": 0, "new_documents": 7, "duplicates": 0}
    handed: list[tuple] = []

    def flow(*args: Any) -> dict[str, Any]:  # the classify flow itself runs on Dask in tests/flows
        handed.append(args)
        return {"documents": 0, "mentions": 0, "errors": 0}
    monkeypatch.setattr(signals_cli, "classify_flow", flow)
    again = runner.invoke(app, ["--db", db, "harvest", "--sources", str(toml), "--classify", "--task-runner", "dask",
                                "--dask-address", "tcp://127.0.0.1:8786", "--workers", "3"])
    assert again.exit_code == 0, again.output
    assert handed == [(False, "dask", "tcp://127.0.0.1:8786", 3, 256)]
    bad = subprocess.run([sys.executable, "-m", "scanner", "--db", db, "harvest", "--sources", str(toml),
                          "--task-runner", "dask"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.strip().splitlines()[-1].endswith("--task-runner needs --classify")


def test_sources_check_reports_a_tenderned_page(tmp_path, api, fast_cli):
    from typer.testing import CliRunner

    from scanner.cli.main import app

    toml = _cli_sources(tmp_path, api)
    out = CliRunner().invoke(app, ["--db", str(tmp_path / "c.db"), "sources", "check", "--sources", str(toml),
                                   "--source", "tn"])
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert out.exit_code == 0 and report["ok"] and report["items"] == 2 and report["status"] == 200
    assert report["note"] == "5 matching; first page municipalities: GM0014, GM0599"
    assert api.bodies("tenderned")[0]["size"] == ["5"]
    api.fail[("tenderned", 1)] = (502, b"bad gateway", {})
    bad = CliRunner().invoke(app, ["--db", str(tmp_path / "c.db"), "sources", "check", "--sources", str(toml),
                                   "--source", "tn"])
    failed = json.loads(bad.stdout.strip().splitlines()[-1])
    assert bad.exit_code == 1 and not failed["ok"] and failed["note"] == "HTTP 502" and failed["status"] == 502


def test_done_when_scanner_harvest_over_all_official_kinds(tmp_path, api, fast_cli):
    """The issue's check through the command: ORI, SRU (CVDR), TED and TenderNed on loopback."""
    from typer.testing import CliRunner

    from scanner.cli.main import app

    tables = [s.as_dict() for s in sources(api) + tenderned(api)]
    toml = tmp_path / "all.toml"
    toml.write_text("".join("[[source]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in t.items()) + "\n"
                            for t in tables), encoding="utf-8")
    db, runner = str(tmp_path / "all.db"), CliRunner()
    first = runner.invoke(app, ["--db", db, "harvest", "--sources", str(toml)])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout.strip().splitlines()[-1]) == {
        "sources_ok": 4, "sources_failed": 0, "new_documents": 13, "duplicates": 0}
    store = Store(db)
    coded = store.query("SELECT source_id, count(*) AS n FROM documents "
                        "WHERE json_extract(meta, '$.municipality') LIKE 'GM____' GROUP BY source_id ORDER BY source_id")
    assert {r["source_id"]: r["n"] for r in coded} == {"cvdr": 2, "ori": 3, "ted": 3, "tn": 3}
    second = runner.invoke(app, ["--db", db, "harvest", "--sources", str(toml)])
    assert json.loads(second.stdout.strip().splitlines()[-1])["new_documents"] == 0
    api.fail[("sru", 1)] = (200, b"<html>Onderhoud</html>", {})
    api.fail[("ted", 1)] = (500, b"oops", {})
    bad = runner.invoke(app, ["--db", db, "harvest", "--sources", str(toml)])
    lines = bad.stdout.strip().splitlines()
    assert bad.exit_code == 1 and len(lines) == 5 and "Traceback" not in bad.output
    assert lines[1].startswith("cvdr: FAILED malformed SRU response: root <html>")
    assert lines[2] == "ted: FAILED HTTP 500"
    assert json.loads(lines[-1]) == {"sources_ok": 2, "sources_failed": 2, "new_documents": 0, "duplicates": 0}
    assert store.count("documents") == 13  # what the earlier runs stored is kept
    store.close()
