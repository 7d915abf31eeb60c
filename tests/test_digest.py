"""The monthly digest on a store with known movements: each section's facts, safety, determinism."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scanner.digest.build import build_digest
from scanner.digest.i18n import HORIZONS, format_percent
from scanner.digest.context import gather
from scanner.digest.months import default_month, month_end, parse_month
from scanner.errors import ScannerError
from scanner.signals import api
from scanner.store import Store
from test_digest_fixtures import MONTH, SETBACK_TITLES, TECHS, XSS_TITLE, Builder, build_store, catalogue

SECTION_IDS = ["headlines", "radar", "movers", "risers", "emerging", "impact", "certainty", "decisions", "method"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """The fixture store after `signals`, with the October digest built in Dutch and English."""
    store = build_store(Store(":memory:"))
    api.run_signals(store, month_end(MONTH), catalogue=catalogue())
    root = tmp_path_factory.mktemp("digest")
    nl = build_digest(store, MONTH, root / "nl", "nl", catalogue=catalogue())
    en = build_digest(store, MONTH, root / "en", "en", catalogue=catalogue())
    face = {h["id"]: h for h in api.horizons(store, month_end(MONTH), catalogue=catalogue())}["gezichtsherkenning"]
    yield {"store": store, "nl": nl, "en": en, "root": root, "face": face,
           "move_nl": f"{HORIZONS['nl'][face['previous']]} → {HORIZONS['nl'][face['estimate']]}".replace(">", "&gt;"),
           "move_en": f"{HORIZONS['en'][face['previous']]} → {HORIZONS['en'][face['estimate']]}".replace(">", "&gt;"),
           "html": nl.read_text(encoding="utf-8"), "md": (nl.parent / "digest.md").read_text(encoding="utf-8"),
           "html_en": en.read_text(encoding="utf-8")}
    store.close()


class Links(HTMLParser):
    """Collects hrefs, ids and th elements without scope."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.th_without_scope = 0
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if "href" in a:
            self.hrefs.append(a["href"])
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "th" and "scope" not in a:
            self.th_without_scope += 1


def parsed(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def test_writes_html_markdown_and_chart_files(built):
    out = built["nl"].parent
    assert built["nl"].name == "index.html"
    assert (out / "digest.md").is_file()
    refs = re.findall(r"\]\((charts/[^)]+\.svg)\)", built["md"])
    assert "charts/radar.svg" in refs and "charts/shares.svg" in refs and "charts/scatter.svg" in refs
    for ref in refs:
        assert (out / ref).is_file(), ref


def test_sections_in_the_issue_order(built):
    html = built["html"]
    positions = [html.index(f'<section id="{key}"') for key in SECTION_IDS]
    assert positions == sorted(positions)


def test_headlines_link_to_sections(built):
    block = built["html"].split('<ul class="headlines">')[1].split("</ul>")[0]
    anchors = re.findall(r'href="#([^"]+)"', block)
    assert 3 <= len(anchors) <= 6
    assert set(anchors) <= set(SECTION_IDS)
    assert "Gezichtsherkenning" in block and built["move_nl"] in block


def test_mover_shows_old_and_new_estimate_with_evidence(built):
    html = built["html"]
    face = built["face"]
    card = html.split('id="mover-gezichtsherkenning"')[1].split("</article>")[0]
    assert built["move_nl"] in card
    old = HORIZONS["nl"][face["previous"]].replace(">", "&gt;")
    assert re.search(rf'<b>Was</b>{old} <span class="probs">.*?\d+%', card), "old + probability"
    new = HORIZONS["nl"][face["estimate"]].replace(">", "&gt;")
    assert f'prob top">{new} {format_percent(face["probabilities"][face["estimate"]], "nl")}' in card
    assert "<b>Bewijs</b>8 documenten</div>" in card and "als bewijs" not in card
    assert re.search(r"<b>Gemeenten</b>\d+ gemeenten met een pilot", card)
    shown = [t for t in SETBACK_TITLES if t != XSS_TITLE and t in card]
    assert len(shown) == 4 and "&lt;script&gt;" in card
    assert 'href="https://nieuws.example.org/gezicht/6"' in card
    assert "De rechter verbiedt het gebruik van gezichtsherkenning." in card
    assert "tegenslag" in card and "privacy" in card
    assert 'class="spark"' in card


def test_only_the_moved_technology_is_a_mover(built):
    ctx = gather(built["store"], MONTH, "nl", catalogue())
    assert [m["id"] for m in ctx["movers"]] == ["gezichtsherkenning"]
    mover = ctx["movers"][0]
    assert (mover["previous"], mover["moved"]) == ("0-3", 1), "setbacks move it to a later ring"
    assert mover["estimate"] == built["face"]["estimate"] != "in-use"
    assert len(mover["docs"]) == 5


def test_risers_bursts_emerging_decisions_sources(built):
    html = built["html"]
    risers = html.split('id="risers"')[1].split("</section>")[0]
    assert "Blockchain" in risers and "Gezichtsherkenning" in risers
    bursts = risers.split("Uitbarstingen die deze maand begonnen")[1]
    assert "Blockchain" in bursts and "28 september 2026" in bursts
    emerging = html.split('id="emerging"')[1].split("</section>")[0]
    assert "generatieve ai" in emerging and "nog te beoordelen" in emerging
    decisions = html.split('id="decisions"')[1].split("</section>")[0]
    assert "anna" in decisions and "Uitspraak rechtbank bevestigd" in decisions and "21 oktober 2026" in decisions
    method = html.split('id="method"')[1].split("</section>")[0]
    assert "kapotte-bron" in method and "HTTP 500" in method
    assert "overheid" in method and "horizon.half_life_months" in method
    assert re.search(r"<th scope=\"row\">Engels</th><td class=\"num\">3</td>", method)


def test_impact_section_and_gamechanger_quadrant(built):
    html = built["html"]
    impact = html.split('id="impact"')[1].split("</section>")[0]
    assert "32% (18)" in impact and "Blockchain (8)" in impact
    assert impact.count('<th scope="rowgroup" colspan="4">Domein:') == 6
    certainty = html.split('id="certainty"')[1].split("</section>")[0]
    assert "Gamechangers" in certainty and 'role="img"' in certainty


def test_process_shares_reproduce_baseline_without_evidence(tmp_path):
    store = Store(":memory:")
    b = Builder(store)
    for day in range(1, 28, 3):
        b.doc(date(2026, 10, day), [("technology", "cameras", "adoption", "Camera's in gebruik.")])
    ctx = gather(store, MONTH, "nl", catalogue())
    shares = {s["term"]: (round(s["now"] * 100), s["now_n"]) for s in ctx["impact"]["shares"]}
    assert shares == {"immediate": (32, 18), "coming": (25, 14), "slow": (43, 24)}
    html = build_digest(store, MONTH, tmp_path, "nl", catalogue=catalogue()).read_text(encoding="utf-8")
    for text in ("32% (18)", "25% (14)", "43% (24)"):
        assert text in html


def test_harvested_markup_and_javascript_links_are_inert(built):
    html, md = built["html"], built["md"]
    page = parsed(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert "<script" not in html.lower() and "javascript:" not in " ".join(page.hrefs).lower()
    assert all(h.startswith(("https://", "http://", "#")) for h in page.hrefs)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Rechter" in html
    assert "&lt;img src=x onerror=" in html
    assert "<script" not in md and "<img" not in md and "](javascript:" not in md
    assert "&lt;script&gt;" in md


def test_markdown_carries_the_same_facts(built):
    md = built["md"]
    assert md.startswith("# Trenddigest technologie oktober 2026")
    assert "&gt;" not in re.sub(r"&lt;[^&]*&gt;", "", md)  # '> 7 jaar' reads as such; only tags are escaped
    for text in ("### Gezichtsherkenning: " + built["move_nl"].replace("&gt;", ">"),
                 "[Rechter stopt gezichtsherkenning in gemeente 6](https://nieuws.example.org/gezicht/6)",
                 "generatieve ai", "anna", "kapotte-bron", "32% (18)"):
        assert text in md, text


def test_accessible_markup(built):
    html = built["html"]
    page = parsed(html)
    assert page.th_without_scope == 0
    assert '<html lang="nl">' in html
    for svg in re.findall(r"<svg [^>]*>", html):
        assert 'role="img"' in svg and ("aria-labelledby" in svg or "aria-label" in svg), svg[:120]
    assert "@media print" in html and "size:A4" in html and 'name="viewport"' in html


def test_self_contained(built):
    html = built["html"]
    assert not re.search(r'<(link|img|script|iframe)\b', html)
    assert not re.search(r'src="', html)
    assert "@import" not in html and "url(http" not in html


def test_radar_places_every_technology_exactly_once(built):
    svg = re.search(r'<svg [^>]*class="chart radar".*?</svg>', built["html"], re.S).group(0)
    root = ET.fromstring(svg)
    blips = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "blip"]
    ids = [g.get("data-tech") for g in blips]
    assert sorted(ids) == sorted(t.id for t in TECHS)
    moved = {g.get("data-tech"): g.get("data-moved") for g in blips}
    assert moved["gezichtsherkenning"] == "1" and moved["blockchain"] == "0"
    face = next(g for g in blips if g.get("data-tech") == "gezichtsherkenning")
    assert face.find("{http://www.w3.org/2000/svg}path").get("class") == "pin"  # one point: the direction


def test_english_digest(built):
    html = built["html_en"]
    assert '<html lang="en">' in html and "Technology trend digest October 2026" in html
    assert "Facial recognition" in html and built["move_en"] in html
    assert "awaiting review" in html


def test_deterministic_output(built, tmp_path):
    store = built["store"]
    first = build_digest(store, MONTH, tmp_path / "a", "nl", catalogue=catalogue()).parent
    second = build_digest(store, MONTH, tmp_path / "b", "nl", catalogue=catalogue()).parent
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    assert (first / "index.html").read_bytes() == built["nl"].read_bytes()


def test_size_well_under_three_megabytes(built):
    out = built["nl"].parent
    assert sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) < 3_000_000


def test_empty_month_gives_a_short_digest(built, tmp_path):
    path = build_digest(built["store"], "2019-01", tmp_path, "nl", catalogue=catalogue())
    html = path.read_text(encoding="utf-8")
    assert "Geen gegevens voor deze maand" in html and "januari 2019" in html
    assert len(html) < 20_000 and not (tmp_path / "charts").exists()
    assert "Geen gegevens voor deze maand" in (tmp_path / "digest.md").read_text(encoding="utf-8")


def test_month_parsing_and_default():
    assert default_month(date(2026, 11, 28)) == "2026-10"
    assert default_month(date(2026, 1, 1)) == "2025-12"
    assert parse_month("2026-03", date(2026, 11, 28)) == "2026-03"
    assert month_end("2024-02") == date(2024, 2, 29)
    for bad in ("2026-13", "26-03", "2026-3", "march", "2027-01"):
        with pytest.raises(ScannerError):
            parse_month(bad, date(2026, 11, 28))
    with pytest.raises(ScannerError):
        build_digest(Store(":memory:"), "2026-10", None, "de")


def _scanner(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scanner", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.slow
def test_cli_bad_month_is_one_line_exit_2(tmp_path):
    result = _scanner("--db", str(tmp_path / "x.db"), "digest", "--month", "2026-13", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "2026-13" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_prints_the_path(tmp_path):
    out = tmp_path / "out"
    result = _scanner("--db", str(tmp_path / "x.db"), "digest", "--month", "2020-01", "--out", str(out),
                      "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out / "index.html")
    assert "No data for this month" in (out / "index.html").read_text(encoding="utf-8")


def test_process_impact_from_given_horizons_matches_estimating_them(built):
    store, cat, as_of = built["store"], catalogue(), month_end(MONTH)
    fast = api.process_impact(store, as_of, catalogue=cat, horizons=api.horizons(store, as_of, catalogue=cat))
    assert fast == api.process_impact(store, as_of, catalogue=cat)


def test_stale_stored_probabilities_are_not_shown():
    from scanner.digest.context import _matching

    stored = ("in-use", {"in-use": 0.9, "0-3": 0.1})
    assert _matching(stored, "in-use") == {"in-use": 0.9, "0-3": 0.1}
    assert _matching(stored, "0-3") is None and _matching(None, "0-3") is None


def test_risers_link_their_latest_document(built):
    risers = built["html"].split('id="risers"')[1].split("Uitbarstingen")[0]
    row = risers.split('<th scope="row">Blockchain</th>')[1].split("</tr>")[0]
    assert 'href="https://example.org/' in row and "Blockchain uitgerold 7" in row and "10 oktober 2026" in row


def test_process_impact_with_horizons_does_not_estimate_them_again(built, monkeypatch):
    """The digest passes the horizons it has; estimating them a second time would make it slower."""
    from scanner.signals import horizon

    store, cat, as_of = built["store"], catalogue(), month_end(MONTH)
    horizons = api.horizons(store, as_of, catalogue=cat)

    def refuse(*_args, **_kwargs):
        raise AssertionError("estimated the horizons again")

    monkeypatch.setattr(horizon, "estimate_all", refuse)
    assert api.process_impact(store, as_of, catalogue=cat, horizons=horizons)["shares"]


def test_a_running_month_is_marked_partial(store):
    from datetime import date as _date

    from scanner.digest.context import gather
    from scanner.signals.periods import month_key

    running = month_key(_date.today())
    assert "nog onvolledig" in gather(store, running, "nl")["month_label"]
    assert "partial" in gather(store, running, "en")["month_label"]
    assert "partial" not in gather(store, "2026-10", "en")["month_label"]


def test_both_editions_number_alike_translate_the_appendix_and_never_highlight_against_the_odds(built):
    def numbers(html: str) -> dict[str, str]:
        svg = re.search(r'<svg [^>]*class="chart radar".*?</svg>', html, re.S).group(0)
        return {g.get("data-tech"): g.get("data-number") for g in ET.fromstring(svg).iter(
            "{http://www.w3.org/2000/svg}g") if g.get("class") == "blip"}

    assert numbers(built["html"]) == numbers(built["html_en"])
    md = built["md"]
    appendix = md.split("### Modelparameters")[1].split("###")[0]
    assert "Halfwaardetijd van bewijs (maanden)" in appendix and "half_life_months" not in appendix
    assert "`" not in appendix and "onderzoek:" in appendix  # stage ids in Dutch
    for probs in re.findall(r'<span class="probs">(.*?)</span></span>', built["html"]):
        values = [int(v) for v in re.findall(r"(\d+)%", probs)]
        top = re.search(r'prob top">[^<]*?(\d+)%', probs)
        assert top is None or int(top.group(1)) == max(values), probs


def test_evidence_rows_name_their_source():
    from scanner.digest.context import _evidence_doc

    row = _evidence_doc({"source_id": "demo-vng", "title": "T"}, {"demo-vng": "Demo VNG Nieuws"})
    assert row["source"] == "Demo VNG Nieuws"
    assert _evidence_doc({"source_id": "elders"}, {})["source"] == "elders"


def test_every_tunable_parameter_in_the_appendix_is_described_in_both_languages():
    """A new number in a parameter section of defaults.toml needs its reader's description (else the
    appendix shows the raw key)."""
    from scanner.config import load_config
    from scanner.digest.context import _parameters

    config = load_config()
    for lang in ("nl", "en"):
        rows = _parameters(config, config["digest"], lang)
        assert rows and [r["key"] for r in rows if r["label"] == r["key"]] == []
