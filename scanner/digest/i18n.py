"""Dutch and English labels, dates and numbers for the digest (Dutch is the default)."""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import date

from scanner.catalogue import display_names

LANGS = ("nl", "en")

MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}



class LexiconNames(Mapping[str, dict[str, str]]):
    """{lang: {id: name}} of a catalogue vocabulary ("horizons" or "stages"), read from the lexicon on first
    use (again when $SCANNER_LEXICON_DIR or $SCANNER_HOME, which choose the lexicon folder, change)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._read: tuple[tuple[str | None, ...], dict[str, dict[str, str]]] | None = None

    def __getitem__(self, lang: str) -> dict[str, str]:
        where = (os.environ.get("SCANNER_LEXICON_DIR"), os.environ.get("SCANNER_HOME"))
        if self._read is None or self._read[0] != where:
            self._read = (where, display_names(self.kind))
        return self._read[1][lang]

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)


HORIZONS = LexiconNames("horizons")  # lexicon/technologies.yaml horizons

IMPACTS = {
    "nl": {"immediate": "direct (0-3 jaar)", "coming": "komend (3-7 jaar)", "slow": "langzaam (> 7 jaar)"},
    "en": {"immediate": "immediate (0-3 years)", "coming": "coming (3-7 years)", "slow": "slow (> 7 years)"},
}

IMPACTS_SHORT = {
    "nl": {"immediate": "direct", "coming": "komend", "slow": "langzaam"},
    "en": {"immediate": "immediate", "coming": "coming", "slow": "slow"},
}

STAGES = LexiconNames("stages")  # lexicon/stages.yaml labels (the stages and none)

SOURCE_TYPES = {
    "nl": {"research": "onderzoek", "consultancy": "advies", "trade-press": "vakpers", "government": "overheid",
           "news": "nieuws", "local": "lokaal", "?": "onbekend"},
    "en": {"research": "research", "consultancy": "consultancy", "trade-press": "trade press",
           "government": "government", "news": "news", "local": "local", "?": "unknown"},
}

LANGUAGES = {
    "nl": {"nl": "Nederlands", "en": "Engels", "other": "overig", "?": "onbekend"},
    "en": {"nl": "Dutch", "en": "English", "other": "other", "?": "unknown"},
}

STATUSES = {
    "nl": {"open": "nog te beoordelen", "accepted": "geaccepteerd", "rejected": "afgewezen", "snoozed": "uitgesteld",
           "new": "nieuw"},
    "en": {"open": "awaiting review", "accepted": "accepted", "rejected": "rejected", "snoozed": "snoozed",
           "new": "new"},
}


def month_label(month: str, lang: str) -> str:
    """'2026-10' -> 'oktober 2026' / 'October 2026'."""
    year, mon = month.split("-")
    return f"{MONTHS[lang][int(mon) - 1]} {year}"



def format_date(value: str | None, lang: str) -> str:
    """An ISO date or timestamp as the reader writes it: '14 maart 2026' / '14 March 2026'."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """Thousands separators and decimal mark per language (Dutch 1.234,5; English 1,234.5)."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_percent(share: float | None, lang: str, decimals: int = 0) -> str:
    """A 0-1 share as a percentage: 0.3214 -> '32%'."""
    if share is None:
        return "–"
    return format_number(share * 100, lang, decimals) + "%"


def label(table: Mapping[str, dict[str, str]], key: str | None, lang: str) -> str:
    """Translate key via one of the tables above; unknown keys are shown as they are."""
    if key is None:
        return ""
    return table[lang].get(key, key)


TEXT: dict[str, dict[str, str]] = {
    "title": {"nl": "Trenddigest technologie", "en": "Technology trend digest"},
    "partial_month": {"nl": "lopende maand, nog onvolledig", "en": "month in progress, partial"},
    "subtitle": {"nl": "Horizonscan voor gemeenten", "en": "Horizon scan for Dutch municipalities"},
    "as_of": {"nl": "Peildatum", "en": "As of"},
    "contents": {"nl": "Inhoud", "en": "Contents"},
    "headlines": {"nl": "Kernpunten", "en": "Headlines"},
    "radar": {"nl": "Technologieradar", "en": "Technology radar"},
    "movers": {"nl": "Verschoven technologieën", "en": "Movers"},
    "risers": {"nl": "Stijgers en dalers", "en": "Risers and fallers"},
    "emerging": {"nl": "Nieuw aan de horizon", "en": "New on the horizon"},
    "impact": {"nl": "Impact op gemeentelijke processen", "en": "Impact on municipal processes"},
    "certainty": {"nl": "Impact en zekerheid", "en": "Impact and certainty"},
    "decisions": {"nl": "Besluiten van analisten", "en": "Analyst decisions"},
    "method": {"nl": "Bronnen en methode", "en": "Sources and method"},
    "empty": {"nl": "Geen gegevens voor deze maand", "en": "No data for this month"},
    "empty_text": {"nl": "Er zijn voor {month} geen documenten verzameld of geclassificeerd. Deze digest is "
                         "daarom leeg; draai eerst harvest, classify en signals.",
                   "en": "No documents were harvested or classified for {month}, so this digest is empty; "
                         "run harvest, classify and signals first."},
    "radar_intro": {"nl": "Elke stip is één technologie, geplaatst in haar familie (sector) en geschatte "
                          "horizon (ring). Een stip met één punt is deze maand verschoven: de punt wijst naar "
                          "binnen (eerder verwacht) of naar buiten (later verwacht). De nummers zijn in elke "
                          "taal dezelfde.",
                    "en": "Each dot is one technology, placed in its family (sector) and estimated horizon "
                          "(ring). A dot with one point moved this month: the point faces inwards (expected "
                          "earlier) or outwards (expected later). The numbers are the same in every language."},
    "radar_alt": {"nl": "Technologieradar met {n} technologieën in 8 families en 4 horizonringen; {m} verschoven.",
                  "en": "Technology radar with {n} technologies in 8 families and 4 horizon rings; {m} moved."},
    "moved_in": {"nl": "eerder verwacht", "en": "expected earlier"},
    "moved_out": {"nl": "later verwacht", "en": "expected later"},
    "municipalities": {"nl": "Gemeenten", "en": "Municipalities"},
    "municipalities_text": {"nl": "gemeenten met een pilot, aanbesteding of invoering",
                            "en": "municipalities with a pilot, procurement or adoption"},
    "no_movers": {"nl": "Deze maand veranderde geen technologie van horizon.",
                  "en": "No technology changed horizon this month."},
    "old": {"nl": "Was", "en": "Was"},
    "new": {"nl": "Nu", "en": "Now"},
    "probabilities": {"nl": "Kansen", "en": "Probabilities"},
    "momentum": {"nl": "Momentum", "en": "Momentum"},
    "evidence": {"nl": "Bewijs", "en": "Evidence"},
    "evidence_docs": {"nl": "documenten", "en": "documents"},
    "share_24": {"nl": "Aandeel in de berichtgeving, 24 maanden", "en": "Share of voice, 24 months"},
    "documents": {"nl": "Documenten", "en": "Documents"},
    "document": {"nl": "Document", "en": "Document"},
    "source": {"nl": "Bron", "en": "Source"},
    "date": {"nl": "Datum", "en": "Date"},
    "sentence": {"nl": "Zin", "en": "Sentence"},
    "stage": {"nl": "Fase", "en": "Stage"},
    "technology": {"nl": "Technologie", "en": "Technology"},
    "family": {"nl": "Familie", "en": "Family"},
    "horizon": {"nl": "Horizon", "en": "Horizon"},
    "override": {"nl": "vastgezet door analist", "en": "pinned by an analyst"},
    "risers_h": {"nl": "Stijgers", "en": "Risers"},
    "fallers_h": {"nl": "Dalers", "en": "Fallers"},
    "docs_month": {"nl": "Documenten deze maand", "en": "Documents this month"},
    "trend": {"nl": "Trend (24 mnd)", "en": "Trend (24 mo)"},
    "latest": {"nl": "Laatste document deze maand", "en": "Latest document this month"},
    "more": {"nl": "+{n} andere", "en": "+{n} more"},
    "none_yet": {"nl": "Geen technologieën in deze lijst.", "en": "No technologies in this list."},
    "process_table": {"nl": "Processen per domein", "en": "Processes by domain"},
    "bursts_h": {"nl": "Uitbarstingen die deze maand begonnen", "en": "Bursts that started this month"},
    "no_bursts": {"nl": "Geen nieuwe uitbarstingen van aandacht deze maand.",
                  "en": "No new bursts of attention this month."},
    "start": {"nl": "Begin", "en": "Start"},
    "end": {"nl": "Einde", "en": "End"},
    "strength": {"nl": "Sterkte", "en": "Strength"},
    "term": {"nl": "Term", "en": "Term"},
    "score": {"nl": "Score", "en": "Score"},
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "first_seen": {"nl": "Eerst gezien", "en": "First seen"},
    "examples": {"nl": "Voorbeeld", "en": "Example"},
    "status": {"nl": "Status", "en": "Status"},
    "no_emerging": {"nl": "Geen nieuwe kandidaat-technologieën gevonden.",
                    "en": "No new candidate technologies found."},
    "impact_intro": {"nl": "Aandeel van de {n} gemeentelijke processen per impacttermijn, nu tegenover de "
                           "basislijn uit 2019 (32/25/43%).",
                     "en": "Share of the {n} municipal processes per impact term, now versus the 2019 "
                           "baseline (32/25/43%)."},
    "impact_alt": {"nl": "Staafdiagram: aandeel processen per impacttermijn, nu tegenover basislijn.",
                   "en": "Bar chart: share of processes per impact term, now versus baseline."},
    "impact_term": {"nl": "Impacttermijn", "en": "Impact term"},
    "now": {"nl": "Nu", "en": "Now"},
    "baseline": {"nl": "Basislijn", "en": "Baseline"},
    "domain": {"nl": "Domein", "en": "Domain"},
    "process": {"nl": "Proces", "en": "Process"},
    "reaching": {"nl": "Technologieën die het proces raken", "en": "Technologies reaching it"},
    "certainty_intro": {"nl": "Impact: hoeveel processen en domeinen een technologie raakt. Zekerheid: de "
                              "kans op de geschatte horizon, gewogen met de hoeveelheid bewijs. Rechtsboven "
                              "staan de gamechangers.",
                        "en": "Impact: how many processes and domains a technology reaches. Certainty: the "
                              "probability of its estimated horizon, weighted by the volume of evidence. The "
                              "top right holds the gamechangers."},
    "certainty_alt": {"nl": "Spreidingsdiagram van impact tegen zekerheid per technologie; {n} gamechangers.",
                      "en": "Scatter plot of impact against certainty per technology; {n} gamechangers."},
    "gamechangers": {"nl": "Gamechangers", "en": "Gamechangers"},
    "impact_axis": {"nl": "Impact (processen en domeinen)", "en": "Impact (processes and domains)"},
    "certainty_axis": {"nl": "Zekerheid (kans en bewijs)", "en": "Certainty (probability and evidence)"},
    "processes_n": {"nl": "Processen", "en": "Processes"},
    "domains_n": {"nl": "Domeinen", "en": "Domains"},
    "impact_score": {"nl": "Impact", "en": "Impact"},
    "certainty_score": {"nl": "Zekerheid", "en": "Certainty"},
    "no_decisions": {"nl": "Deze maand zijn geen besluiten vastgelegd.",
                     "en": "No decisions were recorded this month."},
    "who": {"nl": "Wie", "en": "Who"},
    "what": {"nl": "Wat", "en": "What"},
    "why": {"nl": "Waarom", "en": "Why"},
    "when": {"nl": "Wanneer", "en": "When"},
    "subject": {"nl": "Onderwerp", "en": "Subject"},
    "by_source": {"nl": "Documenten per bron", "en": "Documents per source"},
    "by_type": {"nl": "Documenten per brontype", "en": "Documents per source type"},
    "source_type": {"nl": "Brontype", "en": "Source type"},
    "language": {"nl": "Taal", "en": "Language"},
    "coverage": {"nl": "Taaldekking", "en": "Language coverage"},
    "failed": {"nl": "Mislukte bronnen", "en": "Failed sources"},
    "no_failed": {"nl": "Geen mislukte bronnen geregistreerd.", "en": "No failed sources recorded."},
    "error": {"nl": "Fout", "en": "Error"},
    "count": {"nl": "Aantal", "en": "Count"},
    "share": {"nl": "Aandeel", "en": "Share"},
    "parameters": {"nl": "Modelparameters", "en": "Model parameters"},
    "parameter": {"nl": "Parameter", "en": "Parameter"},
    "value": {"nl": "Waarde", "en": "Value"},
    "limitations": {"nl": "Wat de schattingen wel en niet zeggen", "en": "What the estimates can and cannot say"},
    "total_docs": {"nl": "Deze maand {n} documenten uit {s} bronnen (dubbele berichten één keer geteld).",
                   "en": "This month {n} documents from {s} sources (near-duplicates counted once)."},
    "drivers": {"nl": "Drijvers en barrières", "en": "Drivers and barriers"},
    "factors_h": {"nl": "Drijvers en barrières (laatste {n} maanden)", "en": "Drivers and barriers (last {n} months)"},
    "factors_intro": {"nl": "Voor de {k} technologieën met het meeste momentum: de factoren die het vaakst als "
                            "drijver of barrière worden genoemd, met het aantal documenten.",
                      "en": "For the {k} technologies with the most momentum: the factors most often named as "
                            "driver or barrier, with the number of documents."},
    "top_drivers": {"nl": "Belangrijkste drijvers", "en": "Top drivers"},
    "top_barriers": {"nl": "Belangrijkste barrières", "en": "Top barriers"},
    "no_factors": {"nl": "Nog geen factoren getagd.", "en": "No factors tagged yet."},
    "back_top": {"nl": "Terug naar boven", "en": "Back to top"},
    "footer": {"nl": "Gemaakt met horizonscan. Elk getal is terug te voeren op de gekoppelde documenten.",
               "en": "Made with horizonscan. Every figure traces back to the linked documents."},
    "charts_note": {"nl": "Grafieken staan als SVG-bestanden naast dit document.",
                    "en": "Charts are SVG files beside this document."},
}

LIMITATIONS = {
    "nl": [
        "De horizon is een schatting van het jaar waarin een technologie gangbaar wordt bij gemeenten, "
        "afgeleid uit berichtgeving; het is geen meting van feitelijk gebruik.",
        "Meer berichtgeving betekent niet automatisch meer adoptie: hypes, persberichten en herhaalde "
        "berichten over één pilot worden gedempt, maar niet volledig uitgesloten.",
        "Fasen (onderzoek, pilot, aanbesteding, invoering) komen uit automatische tekstherkenning en kunnen "
        "fouten bevatten; analisten controleren de belangrijkste signalen.",
        "Bronnen en talen zijn niet gelijk vertegenwoordigd; zie de taaldekking hierboven.",
        "Kleine aantallen documenten geven onzekere schattingen: let op de kansen en het aantal bewijsstukken.",
    ],
    "en": [
        "The horizon estimates the year a technology becomes mainstream among municipalities, inferred from "
        "coverage; it does not measure actual use.",
        "More coverage does not automatically mean more adoption: hype, press releases and one pilot "
        "reported by many outlets are damped, not fully excluded.",
        "Stages (research, pilot, procurement, adoption) come from automatic text recognition and can be "
        "wrong; analysts review the most important signals.",
        "Sources and languages are not equally represented; see the language coverage above.",
        "Few documents give uncertain estimates: read the probabilities and the evidence counts.",
    ],
}


def t(key: str, lang: str, **values: object) -> str:
    """The UI string for key in lang, with {placeholders} filled."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text


# The configuration appendix: what each tunable number of scanner/defaults.toml means, per language.
# (section.key -> (Dutch, English)); a key missing here is shown by its name.
PARAMETERS: dict[str, tuple[str, str]] = {
    "horizon.change_min_sources": ("Minimaal aantal bronnen voordat een horizon verschuift",
                                   "Minimum number of sources before a horizon moves"),
    "horizon.change_window_months": ("Venster (maanden) waarin die bronnen moeten vallen",
                                     "Window (months) in which those sources must fall"),
    "horizon.decay_floor": ("Minimaal gewicht van oud bewijs", "Minimum weight of old evidence"),
    "horizon.flag_min_evidence": ("Minimaal bewijs voor een reviewsignaal bij een horizonwijziging",
                                  "Minimum evidence for a horizon-change review flag"),
    "horizon.half_life_months": ("Halfwaardetijd van bewijs (maanden)", "Half-life of evidence (months)"),
    "horizon.hysteresis": ("Marge voordat de schatting naar een andere ring gaat",
                           "Margin before the estimate moves to another ring"),
    "horizon.municipalities_total": ("Aantal gemeenten in Nederland", "Number of Dutch municipalities"),
    "horizon.per_source_cap": ("Plafond voor het gewicht van één bron", "Cap on the weight of one source"),
    "horizon.phase": ("Hoe vaak elke fase wordt gemeld, per jaar voor of na brede invoering",
                      "How often each stage is reported, by year before or after mainstream adoption"),
    "horizon.phase_years": ("Jaren voor/na brede invoering waarop de fasetabel is gedefinieerd",
                            "Years before/after mainstream adoption at which the stage table is defined"),
    "horizon.prior": ("Startverwachting per ring van 2019: [jaren vanaf 2019, spreiding]",
                      "Starting belief per 2019 ring: [years from 2019, spread]"),
    "horizon.prior_reversal_share": ("Kans dat een technologie in gebruik weer verdwijnt",
                                     "Probability that a technology in use is abandoned"),
    "horizon.prior_wrong_share": ("Kans dat de verwachting van 2019 gewoon onjuist was",
                                  "Probability that the 2019 forecast was simply wrong"),
    "horizon.prior_wrong_sd": ("Spreiding (jaren) rond de basisdatum als de verwachting van 2019 onjuist was",
                               "Spread (years) around the baseline date when the 2019 forecast was wrong"),
    "horizon.reach_in_use_share": ("Aandeel gemeenten met invoering waarboven een technologie 'in gebruik' is",
                                   "Share of municipalities with adoption above which a technology is 'in use'"),
    "horizon.reach_weight": ("Gewicht van het bereik onder gemeenten", "Weight of the reach among municipalities"),
    "horizon.silence_exempt": ("Ringen waarvoor stilte niet telt", "Rings for which silence does not count"),
    "horizon.silence_min_rate": ("Minimale verwachte invoeringsberichten per document (stilte)",
                                 "Minimum expected adoption reports per document (silence)"),
    "horizon.silence_weight": ("Gewicht van maanden zonder invoeringsnieuws",
                               "Weight of months without adoption news"),
    "horizon.silence_volume_shrinkage": ("Demping van de nieuwswaarde bij stilte (weinig besproken technologieën)",
                                         "Damping of newsworthiness in silence (little-discussed technologies)"),
    "horizon.source_type": ("Gewicht per soort bron", "Weight per source type"),
    "horizon.strength": ("Zeggingskracht per fase", "Strength of each stage as evidence"),
    "horizon.temperature": ("Temperatuur van de kansen (> 1 maakt ze voorzichtiger)",
                            "Temperature of the probabilities (> 1 makes them more cautious)"),
    "horizon.top_evidence": ("Aantal getoonde bewijsdocumenten", "Number of evidence documents shown"),
    "signals.burst_flag_weeks": ("Weken waarbinnen een piek een reviewsignaal geeft",
                                 "Weeks within which a burst raises a review flag"),
    "signals.burst_gamma": ("Kosten van het starten van een piek", "Cost of starting a burst"),
    "signals.burst_min_strength": ("Minimale sterkte van een piek", "Minimum strength of a burst"),
    "signals.burst_min_weeks": ("Minimale duur van een piek (weken)", "Minimum length of a burst (weeks)"),
    "signals.burst_scale": ("Factor waarmee een piek boven het normale niveau ligt",
                            "Factor by which a burst exceeds the normal level"),
    "signals.classify_batch_size": ("Documenten per verwerkingsronde", "Documents per processing batch"),
    "signals.growth_pseudo_count": ("Demping van groei bij kleine aantallen", "Damping of growth on small counts"),
    "signals.growth_trailing_months": ("Maanden waartegen groei wordt gemeten", "Months growth is measured against"),
    "signals.low_confidence_score": ("Zekerheid waaronder een fase-label ter controle wordt voorgelegd",
                                     "Confidence below which a stage label is put up for review"),
    "signals.low_confidence_top": ("Maximaal aantal onzekere labels per run", "Maximum unsure labels per run"),
    "signals.momentum_burst_recent_weeks": ("Weken waarin een piek meetelt voor momentum",
                                            "Weeks in which a burst counts towards momentum"),
    "signals.momentum_sources_ref": ("Aantal bronnen voor maximale spreiding (momentum)",
                                     "Number of sources for full spread (momentum)"),
    "signals.momentum_weight_burst": ("Gewicht van pieken in momentum", "Weight of bursts in momentum"),
    "signals.momentum_weight_growth": ("Gewicht van groei in momentum", "Weight of growth in momentum"),
    "signals.momentum_weight_slope": ("Gewicht van de trendlijn in momentum", "Weight of the trend slope in momentum"),
    "signals.momentum_weight_sources": ("Gewicht van het aantal bronnen in momentum",
                                        "Weight of the number of sources in momentum"),
    "signals.process_baseline_weight": ("Gewicht van de startinschatting per proces",
                                        "Weight of the starting estimate per process"),
    "signals.process_center": ("Middelpunt (jaren) van elke impacttermijn", "Centre (years) of each impact term"),
    "signals.process_flag_months": ("Maanden waarin nieuw bereik van een proces een reviewsignaal geeft",
                                    "Months in which a new process reach raises a review flag"),
    "signals.process_min_documents": ("Gedeelde documenten voordat een technologie een proces raakt",
                                      "Shared documents before a technology reaches a process"),
    "signals.stage_mix_months": ("Maanden voor de fasemix", "Months for the stage mix"),
    "emerging.examples": ("Voorbeeldzinnen per nieuwe term", "Example sentences per new term"),
    "emerging.flag_top": ("Aantal nieuwe termen met een reviewsignaal", "Number of new terms with a review flag"),
    "emerging.growth_pseudo_count": ("Demping van groei bij weinig documenten", "Damping of growth on few documents"),
    "emerging.min_documents": ("Minimaal aantal documenten voor een nieuwe term",
                               "Minimum documents for a new term"),
    "emerging.min_sources": ("Minimaal aantal bronnen voor een nieuwe term", "Minimum sources for a new term"),
    "emerging.ngram_max_background_rate": ("Maximale frequentie in de oudere documenten (woordgroepen)",
                                           "Maximum rate in the older documents (phrases)"),
    "emerging.ngram_min_documents": ("Minimaal aantal documenten voor een woordgroep",
                                     "Minimum documents for a phrase"),
    "emerging.ngram_penalty": ("Korting op de score van gevonden woordgroepen", "Score discount for found phrases"),
    "emerging.term_likeness_half": ("Termwaarschijnlijkheid (termmodel) waarbij de score half telt",
                                    "Term likeness (term model) at which a score counts half"),
    "emerging.ngram_sample": ("Steekproefgrootte voor het zoeken naar woordgroepen", "Sample size for phrase search"),
    "emerging.novelty_months": ("Maanden waarin een term als nieuw geldt", "Months during which a term counts as new"),
    "emerging.recent_months": ("Recent venster (maanden) tegenover de achtergrond",
                               "Recent window (months) against the background"),
    "emerging.sources_ref": ("Aantal bronnen voor maximale spreiding", "Number of sources for full spread"),
    "emerging.top": ("Aantal getoonde nieuwe termen", "Number of new terms listed"),
    "emerging.weight_contrast": ("Gewicht van het contrast met de achtergrond", "Weight of the contrast"),
    "emerging.weight_growth": ("Gewicht van groei", "Weight of growth"),
    "emerging.weight_novelty": ("Gewicht van nieuwheid", "Weight of novelty"),
    "emerging.weight_spread": ("Gewicht van spreiding over bronnen", "Weight of spread over sources"),
}


def parameter_label(key: str, lang: str) -> str:
    """The appendix's description of a configuration key in lang (the key itself when none is written)."""
    texts = PARAMETERS.get(key)
    return texts[0 if lang == "nl" else 1] if texts else key
