"""The shipped data/sources.toml: page-source link patterns against article URLs the sites' own stored pages show,
and the README's table of default sources (how each address was confirmed) covering every entry."""
from __future__ import annotations

import re

import pytest

from scanner.config import repo_root
from scanner.harvest.sources import API_KINDS, load_sources

SOURCES = {s.id: s for s in load_sources(repo_root() / "data" / "sources.toml")}

# Article URLs as stored from the sites themselves (search tool, pages corpus), and links that must not match.
ARTICLES = {
    "ibestuur": (["https://ibestuur.nl/artikel/vng/gemeenten-bereid-je-voor-op-de-digital-decade"],
                 ["https://ibestuur.nl/nieuws/?c=ibestuur-magazine-25", "https://ibestuur.nl/nieuws/",
                  "https://ibestuur.nl/artikel/vng/", "https://example.org/ibestuur.nl/artikel/a/b"]),
    "computable": (["https://www.computable.nl/artikel/nieuws/overheid/5853489/250449/"
                    "cda-groenlinks-nieuw-pgb-systeem-moet-open-source.html",
                    "https://www.computable.nl/artikel/opinie/magazine/7173666/5215853/"
                    "de-nederlandse-datachaos-gaat-viraal.html"],
                   ["https://www.computable.nl/", "https://www.computable.nl/artikel/nieuws/overheid/"]),
    "vng": (["https://vng.nl/artikelen/lopende-zaken-7"],
            ["https://vng.nl/nieuws", "https://vng.nl/artikelen/lopende-zaken-7/reacties",
             "https://vngjaarverslag2021.nl/informatiesamenleving/"]),
    "gemeente-nu": (["https://www.gemeente.nu/bedrijfsvoering/ai/montferland-koploper-met-huisgemaakte-ai/",
                     "https://www.gemeente.nu/bedrijfsvoering/ai/rijk-worstelt-met-opschaling-ai-innovaties/",
                     "https://www.gemeente.nu/blog/de-cloud-als-springplank-naar-ai/",
                     "https://www.gemeente.nu/opinie/opinie-van-ravijnjaar-naar-daljaar-waarom-gemeenten-juist-nu-"
                     "moeten-investeren-in-digitalisering-en-ai/"],
                    ["https://gemeente.nu/category/bestuur/page/56", "https://gemeente.nu/author/lwennekes/page/43",
                     "https://gemeente.nu/category/bestuur/", "https://www.gemeente.nu/bedrijfsvoering/ai/",
                     "https://example.org/www.gemeente.nu/blog/a-b/"]),
    "wef-stories": (["https://weforum.org/stories/2017/10/trade-deals-boost-obesity-the-perfect-school-and-other-top-"
                     "stories-of-the-week", "https://weforum.org/stories/2014/08/17-must-read-stories-weekend"],
                    ["https://weforum.org/agenda/2018/06/and-other-top-stories-of-the-week",
                     "https://www.weforum.org/stories/", "https://www.weforum.org/stories/2017/10/",
                     "https://example.org/weforum.org/stories/2017/10/a"]),
    "tno": (["https://www.tno.nl/nl/newsroom/nieuws/2022/09/jubileum-tno-90-jaar-innovaties/",
             "https://www.tno.nl/nl/newsroom/insights/2023/02/tno-provincies/"],
            ["https://www.tno.nl/nl/newsroom/", "https://www.tno.nl/nl/90jaar/"]),
}


@pytest.mark.parametrize("source_id", sorted(ARTICLES))
def test_page_link_patterns_match_confirmed_article_urls_only(source_id: str) -> None:
    source = SOURCES[source_id]
    assert source.kind == "page"
    pattern = re.compile(source.link_pattern or "")
    good, bad = ARTICLES[source_id]
    assert all(pattern.search(url) for url in good), source.link_pattern
    assert not any(pattern.search(url) for url in bad), source.link_pattern


def test_every_page_source_has_tested_pattern() -> None:
    assert {s.id for s in SOURCES.values() if s.kind == "page"} <= set(ARTICLES) | {"rathenau"}


def test_official_example_sources_parse_and_are_disabled() -> None:
    official = {s.id: s for s in SOURCES.values() if s.kind in API_KINDS}
    assert {s.kind for s in official.values()} == set(API_KINDS)
    assert not any(s.enabled for s in official.values())
    assert official["cvdr-regulations"].params["connection"] == "cvdr"
    assert official["ted-municipal-it"].params["cpv"][0] == "72000000"
    assert official["tenderned-municipal-it"].params["api"] == "tenderned"


def test_readme_lists_every_default_source_with_how_it_was_confirmed() -> None:
    readme = (repo_root() / "README.md").read_text(encoding="utf-8")
    table = re.split(r"\n##+ ", readme.split("### Default sources", 1)[1], maxsplit=1)[0]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z0-9-]+)` \|.*$", table, re.M)}
    assert set(rows) == set(SOURCES)
    for source_id, row in rows.items():
        assert ("enabled" in row) == SOURCES[source_id].enabled, row
