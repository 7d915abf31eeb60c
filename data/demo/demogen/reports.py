"""Small multi-page PDF reports (fpdf2) about technology outlooks, plus one truncated PDF."""
from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF

OUTLOOK = {
    "nl": {
        "intro": ("Deze verkenning beschrijft welke technologieën de komende jaren het werk van gemeenten "
                  "veranderen. Wij spraken met informatiemanagers van {n} gemeenten en analyseerden ruim "
                  "{m} berichten uit de vakpers. De verkenning is fictief en maakt deel uit van het demo-corpus "
                  "van horizonscan."),
        "tech": ("{Tech} - Gemeenten als {muni} en {muni2} experimenteren al met {tech}. Wij verwachten dat "
                 "{tech} binnen {years} jaar gangbaar is bij {proc}. Belangrijke randvoorwaarden zijn de AVG, "
                 "goede afspraken met leveranciers en voldoende kennis in de eigen organisatie. Kleinere "
                 "gemeenten doen er verstandig aan samen op te trekken in de regio."),
        "close": ("Tot slot: technologie is geen doel op zich. De grootste winst zit in het anders inrichten "
                  "van processen en in het vakmanschap van medewerkers. Wij raden gemeenten aan jaarlijks een "
                  "technologieverkenning te maken en de horizon per technologie bij te stellen."),
    },
    "en": {
        "intro": ("This outlook describes the technologies that will change the work of local government over "
                  "the coming years. We interviewed information managers in {n} municipalities and analysed "
                  "more than {m} trade press articles. The report is fictional and part of the horizonscan demo "
                  "corpus."),
        "tech": ("{Tech} - Cities such as {muni} and {muni2} already experiment with {tech}. We expect {tech} "
                 "to become mainstream for {proc} within {years} years. Key conditions are GDPR compliance, "
                 "sound vendor contracts and enough in-house expertise. Smaller councils are advised to join "
                 "forces regionally."),
        "close": ("Finally: technology is not a goal in itself. The largest gains come from redesigning "
                  "processes and from the craftsmanship of staff. We advise councils to repeat this outlook "
                  "every year and to adjust the horizon per technology."),
    },
}

# (file, title, author, lang, created, technologies [(nl, en, process nl, process en, years)])
REPORTS = [
    ("tno-verkenning-digitale-tweelingen-2026.pdf", "Demo TNO Verkenning: digitale tweelingen in de gemeentelijke praktijk",
     "Demo TNO Insights", "nl", datetime(2026, 3, 12, 10, 0, tzinfo=timezone.utc)),
    ("horizon-advisory-top-trends-local-government-2026.pdf", "Demo Horizon Advisory: Top Technology Trends for Local Government 2026",
     "Demo Horizon Advisory", "en", datetime(2025, 11, 4, 9, 0, tzinfo=timezone.utc)),
    ("vng-verkenning-generatieve-ai-2026.pdf", "Demo VNG Verkenning: generatieve AI in de gemeente",
     "Demo VNG", "nl", datetime(2026, 6, 18, 14, 0, tzinfo=timezone.utc)),
    ("global-forum-smart-city-outlook-2025.pdf", "Demo Global Forum: Smart City Outlook 2025",
     "Demo Global Forum", "en", datetime(2025, 2, 20, 8, 0, tzinfo=timezone.utc)),
    ("tno-technologieradar-gemeenten-2026.pdf", "Demo TNO Technologieradar voor gemeenten 2026",
     "Demo TNO Insights", "nl", datetime(2026, 9, 1, 12, 0, tzinfo=timezone.utc)),
]
LISTED = REPORTS[:4]
STANDALONE = REPORTS[4]
BROKEN = "broken-report-2026.pdf"

TOPICS = [
    ("digitale tweelingen", "digital twins", "omgevingsvergunningen", "environmental permits", "1 tot 3"),
    ("drones", "drones", "bouwinspecties", "building inspections", "2 tot 4"),
    ("generatieve AI", "generative AI", "het klantcontactcentrum", "customer contact", "1 tot 2"),
    ("gezichtsherkenning", "facial recognition", "handhaving", "enforcement", "meer dan 7"),
    ("chatbots", "chatbots", "Wmo-aanvragen", "social support applications", "0 tot 2"),
    ("sensornetwerken", "sensor networks", "afvalinzameling", "waste collection", "2 tot 5"),
    ("robotic process automation (RPA)", "robotic process automation (RPA)", "bijstandsaanvragen", "welfare applications", "0 tot 3"),
    ("blockchain", "blockchain", "schuldhulpverlening", "debt counselling", "5 tot 8"),
    ("LoRaWAN en IoT-platforms", "LoRaWAN and IoT platforms", "meldingen openbare ruimte", "public space reports", "1 tot 3"),
    ("machine learning", "machine learning", "WOZ-bezwaren", "property tax objections", "3 tot 5"),
    ("5G-netwerken", "5G networks", "verkeersmanagement", "traffic management", "3 tot 6"),
    ("zelfrijdende voertuigen", "self-driving vehicles", "leerlingenvervoer", "school transport", "meer dan 7"),
]


def report_pdf(spec: tuple, rng: random.Random, munis: list[str]) -> bytes:
    """One multi-page report with title/author/creation-date metadata (deterministic bytes)."""
    name, title, author, lang, created = spec
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_subject("Technology outlook for municipalities (horizonscan demo corpus, fictional)")
    pdf.set_creator("horizonscan demo generator")
    pdf.set_creation_date(created)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, f"{author} - {created:%d-%m-%Y}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    words = OUTLOOK[lang]
    pdf.multi_cell(0, 6, words["intro"].format(n=rng.randint(20, 80), m=rng.randint(500, 3000)), new_x="LMARGIN", new_y="NEXT")
    topics = rng.sample(TOPICS, 9)
    for i, (nl, en, pnl, pen, years) in enumerate(topics):
        if i % 3 == 0:
            pdf.add_page()
        tech = nl if lang == "nl" else en
        years_txt = years if lang == "nl" else years.replace(" tot ", " to ").replace("meer dan", "more than")
        a, b = rng.sample(munis, 2)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 8, f"{i + 1}. {tech[0].upper() + tech[1:]}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        text = words["tech"].format(Tech=tech[0].upper() + tech[1:], tech=tech, muni=a, muni2=b,
                                    proc=pnl if lang == "nl" else pen, years=years_txt)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.multi_cell(0, 6, words["close"], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def write_reports(site: Path, rng: random.Random, munis: list[str]) -> list[str]:
    """Write all reports plus a truncated copy; return the file names."""
    out = site / "reports"
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for spec in REPORTS:
        data = report_pdf(spec, rng, munis)
        (out / spec[0]).write_bytes(data)
        names.append(spec[0])
    (out / BROKEN).write_bytes(data[: len(data) * 2 // 5])
    names.append(BROKEN)
    return names
