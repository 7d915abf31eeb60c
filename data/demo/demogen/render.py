"""Render planned items as RSS 2.0 / Atom 1.0 / RSS 1.0 feeds and boilerplate-heavy article pages."""
from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from html import escape as html_escape
from xml.sax.saxutils import escape

from .plan import Item, Outlet

ORIGIN = "https://demo.horizonscan.invalid"
BUILD = "2026-10-31T23:59:00+00:00"
EXT = {"rss2": "rss", "atom": "atom", "rdf": "rdf"}
CATEGORIES = {"nl": ["Digitalisering", "Informatievoorziening", "Dienstverlening", "Innovatie", "Bestuur"],
              "en": ["Technology", "Public sector", "Smart cities", "Innovation", "Policy"]}


def article_url(item: Item) -> str:
    return f"{ORIGIN}/articles/{item.uid}.html"


def feed_path(outlet: Outlet) -> str:
    return f"feeds/{outlet.id}.{EXT[outlet.fmt]}"


def summary_html(item: Item) -> str:
    if item.defect == "empty-description":
        return ""
    return "<p>" + " ".join(item.lead) + "</p>"


def category(item: Item) -> str:
    return CATEGORIES[item.lang][sum(map(ord, item.uid)) % 5]


def rss2_item(item: Item) -> str:
    parts = [f"<title>{escape(item.title)}</title>"]
    if item.defect != "missing-link":
        parts.append(f"<link>{article_url(item)}</link>")
    parts.append(f'<guid isPermaLink="false">demo:{item.uid}</guid>')
    if item.defect == "unparseable-date":
        parts.append("<pubDate>Maandag 32 Dekember 2025 25:61 CEST</pubDate>")
    elif item.defect != "missing-date":
        parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
    parts.append(f"<dc:creator>Redactie {escape(item.slots['alderman2'])}</dc:creator>")
    parts.append(f"<category>{category(item)}</category>")
    if item.defect == "broken-entities":
        parts.append("<description><![CDATA[<p>" + " ".join(item.lead) +
                     " Caf&eacute zonder puntkomma&nbsp &#99999999; &bogus; &amp &#xZZ;</p>]]></description>")
    else:
        parts.append(f"<description>{escape(summary_html(item))}</description>")
    return "<item>\n  " + "\n  ".join(parts) + "\n</item>"


def rss2_feed(outlet: Outlet, items: list[Item]) -> str:
    body = "\n".join(rss2_item(i) for i in items)
    if outlet.id == "demo-govtech-europe":  # deliberately not well-formed XML: feedparser must go bozo
        body = body.replace("</title>", " &nbsp;&mdash; GovTech & Co</title>", 3)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n<title>{escape(outlet.name)}</title>\n'
            f"<link>{ORIGIN}/</link>\n<description>Fictional demo feed for horizonscan; not real news.</description>\n"
            f"<language>{outlet.langs[0]}</language>\n"
            f"<lastBuildDate>{format_datetime(datetime.fromisoformat(BUILD))}</lastBuildDate>\n{body}\n</channel>\n</rss>\n")


def atom_entry(item: Item) -> str:
    parts = [f"<title>{escape(item.title)}</title>", f'<link rel="alternate" href="{article_url(item)}"/>',
             f"<id>tag:demo.horizonscan.invalid,2026:{item.uid}</id>"]
    if item.defect != "missing-date":
        stamp = item.published.isoformat()
        parts += [f"<published>{stamp}</published>", f"<updated>{stamp}</updated>"]
    parts += [f"<author><name>Redactie {escape(item.slots['alderman2'])}</name></author>",
              f'<category term="{category(item)}"/>',
              f'<summary type="html">{escape(summary_html(item))}</summary>']
    return f'<entry xml:lang="{item.lang}">\n  ' + "\n  ".join(parts) + "\n</entry>"


def atom_feed(outlet: Outlet, items: list[Item]) -> str:
    body = "\n".join(atom_entry(i) for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"<title>{escape(outlet.name)}</title>\n<subtitle>Fictional demo feed for horizonscan; not real news."
            f"</subtitle>\n<id>{ORIGIN}/{feed_path(outlet)}</id>\n"
            f'<link rel="self" href="{ORIGIN}/{feed_path(outlet)}"/>\n<link rel="alternate" href="{ORIGIN}/"/>\n'
            f"<updated>{BUILD}</updated>\n{body}\n</feed>\n")


def rdf_feed(outlet: Outlet, items: list[Item]) -> str:
    seq = "\n".join(f'    <rdf:li rdf:resource="{article_url(i)}"/>' for i in items)
    body = "\n".join(
        f'<item rdf:about="{article_url(i)}">\n  <title>{escape(i.title)}</title>\n  <link>{article_url(i)}</link>\n'
        f"  <description>{escape(summary_html(i))}</description>\n  <dc:date>{i.published.isoformat()}</dc:date>\n"
        f"  <dc:creator>Redactie {escape(i.slots['alderman2'])}</dc:creator>\n  <dc:language>{i.lang}</dc:language>\n"
        f"  <dc:subject>{category(i)}</dc:subject>\n</item>" for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f'<channel rdf:about="{ORIGIN}/{feed_path(outlet)}">\n  <title>{escape(outlet.name)}</title>\n'
            f"  <link>{ORIGIN}/</link>\n  <description>Fictional demo feed for horizonscan; not real news.</description>\n"
            f"  <items>\n  <rdf:Seq>\n{seq}\n  </rdf:Seq>\n  </items>\n</channel>\n{body}\n</rdf:RDF>\n")


RENDERERS = {"rss2": rss2_feed, "atom": atom_feed, "rdf": rdf_feed}

NAV = {"nl": ["Nieuws", "Digitalisering", "Sociaal domein", "Ruimte", "Financiën", "Vacatures", "Events", "Over ons"],
       "en": ["News", "Technology", "Smart cities", "Policy", "Research", "Events", "Jobs", "About"]}
COOKIE = {"nl": "Wij gebruiken cookies om onze website te verbeteren en om advertenties te tonen. "
                "Door verder te gaan ga je akkoord met ons cookiebeleid.",
          "en": "We use cookies to improve our website and to show relevant advertising. "
                "By continuing you agree to our cookie policy."}


def article_page(outlet: Outlet, item: Item, related: list[Item]) -> str:
    """A full article page: nav, cookie banner, breadcrumbs, article body, related links, footer."""
    lang, stamp = item.lang, item.published.isoformat()
    nav = "\n".join(f'      <li><a href="{ORIGIN}/section/{k}.html">{html_escape(n)}</a></li>'
                    for k, n in enumerate(NAV[lang]))
    paras = "\n".join(f"      <p>{html_escape(p)}</p>" for p in item.body)
    rel = "\n".join(f'        <li><a href="{article_url(r)}">{html_escape(r.title)}</a></li>' for r in related)
    more = {"nl": "Lees ook", "en": "Read more"}[lang]
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <title>{html_escape(item.title)} | {html_escape(outlet.name)}</title>
  <meta name="description" content="{html_escape(item.lead[0] if item.lead else item.title)}">
  <meta property="og:title" content="{html_escape(item.title)}">
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="{stamp}">
  <meta name="date" content="{stamp}">
  <meta name="author" content="Redactie {html_escape(item.slots['alderman2'])}">
  <link rel="canonical" href="{article_url(item)}">
</head>
<body>
  <div class="cookie-banner" id="cookies"><p>{COOKIE[lang]}</p><button>OK</button></div>
  <header class="site-header">
    <a class="logo" href="{ORIGIN}/">{html_escape(outlet.name)}</a>
    <nav class="main-nav">
    <ul>
{nav}
    </ul>
    </nav>
    <form class="search" action="{ORIGIN}/search"><input name="q" placeholder="Zoeken"></form>
  </header>
  <div class="breadcrumbs"><a href="{ORIGIN}/">Home</a> &rsaquo; <a href="{ORIGIN}/section/1.html">{NAV[lang][1]}</a></div>
  <main>
    <article>
      <h1>{html_escape(item.title)}</h1>
      <p class="byline">Redactie {html_escape(item.slots['alderman2'])} &middot; <time datetime="{stamp}">{item.published:%d-%m-%Y %H:%M}</time></p>
{paras}
    </article>
    <aside class="related">
      <h2>{more}</h2>
      <ul>
{rel}
      </ul>
    </aside>
    <div class="newsletter"><h3>Nieuwsbrief / Newsletter</h3><p>Ontvang elke week het laatste nieuws in je mailbox.</p>
      <form><input type="email" placeholder="e-mailadres"><button>Aanmelden</button></form></div>
  </main>
  <footer class="site-footer">
    <p>{html_escape(outlet.name)} is part of the horizonscan demo corpus: fictional articles generated for testing.</p>
    <p>Postbus 1234, 1000 AB Demostad &middot; <a href="{ORIGIN}/privacy.html">Privacy</a> &middot; <a href="{ORIGIN}/colofon.html">Colofon</a></p>
  </footer>
</body>
</html>
"""
