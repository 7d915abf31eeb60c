"""Seeded template sentences that complement the hand-written ones in src/ (see README.md).

Every template sentence combines an actor (municipal or not), a technology phrase, a stage phrase
and optionally a purpose (domain) and a factor clause, so labels follow from the parts. Some stage
phrases deliberately carry the cue words of another stage ("na de proef ... ingevoerd").
Run `python data/annotations/build.py` (it imports this module); output is deterministic.
"""
from __future__ import annotations

import random
from typing import Iterator

SEED = 20260601

# technology id -> (nl phrases, en phrases, domains it plausibly serves)
TECH: dict[str, tuple[list[str], list[str], list[str]]] = {
    "chatbots": (["een chatbot", "een virtuele assistent op de website"], ["a chatbot", "a virtual agent on its website"], ["dienstverlening", "sociaal-domein"]),
    "robotic-process-automation": (["softwarerobots", "RPA"], ["software robots", "RPA"], ["bedrijfsvoering", "dienstverlening"]),
    "digital-twins": (["een digitale tweeling", "een 3D-stadsmodel"], ["a digital twin", "a 3D city model"], ["ruimtelijk-fysiek"]),
    "drones": (["drones", "een drone met warmtecamera"], ["drones", "a drone with a thermal camera"], ["handhaving-toezicht", "ruimtelijk-fysiek"]),
    "sensornetwerken": (["sensoren in de openbare ruimte", "een netwerk van geluidssensoren"], ["sensors in public space", "a network of noise sensors"], ["ruimtelijk-fysiek", "handhaving-toezicht"]),
    "iot-platforms": (["een IoT-platform", "een platform voor sensordata"], ["an IoT platform", "a sensor data platform"], ["ruimtelijk-fysiek"]),
    "lora": (["een LoRaWAN-netwerk", "LoRa-sensoren"], ["a LoRaWAN network", "LoRa sensors"], ["ruimtelijk-fysiek"]),
    "blockchain": (["blockchain", "een blockchaintoepassing"], ["blockchain", "a blockchain application"], ["sociaal-domein", "bedrijfsvoering"]),
    "beslisalgoritmes": (["een risicomodel", "een beslisalgoritme"], ["a risk model", "a decision algorithm"], ["sociaal-domein", "handhaving-toezicht"]),
    "machine-learning": (["machine learning", "beeldherkenning met AI"], ["machine learning", "AI image recognition"], ["ruimtelijk-fysiek", "bedrijfsvoering"]),
    "natural-language-processing": (["een taalmodel", "software die teksten automatisch samenvat"], ["a language model", "software that summarises texts automatically"], ["bedrijfsvoering", "bestuur-participatie", "dienstverlening"]),
    "spraakherkenning": (["spraakherkenning", "automatische transcriptie"], ["speech recognition", "automatic transcription"], ["bestuur-participatie", "dienstverlening"]),
    "gezichtsherkenning": (["gezichtsherkenning", "camera's met gezichtsherkenning"], ["facial recognition", "cameras with facial recognition"], ["handhaving-toezicht"]),
    "cameras": (["slimme camera's", "extra camera's"], ["smart cameras", "additional CCTV cameras"], ["handhaving-toezicht"]),
    "zelfrijdende-voertuigen": (["een zelfrijdende shuttle", "zelfrijdende busjes"], ["a self-driving shuttle", "autonomous minibuses"], ["ruimtelijk-fysiek"]),
    "dienstenrobots": (["zorgrobots", "een sociale robot"], ["care robots", "a social robot"], ["sociaal-domein"]),
    "wearables": (["slimme armbanden", "wearables"], ["smart wristbands", "wearables"], ["sociaal-domein"]),
    "cloud": (["de cloud", "clouddiensten"], ["the cloud", "cloud services"], ["bedrijfsvoering"]),
    "zaaksystemen": (["een nieuw zaaksysteem", "zaakgerichte software"], ["a new case management system", "case management software"], ["bedrijfsvoering"]),
    "workflowsystemen": (["een workflowsysteem", "digitale werkstromen"], ["a workflow system", "digital workflows"], ["bedrijfsvoering"]),
    "dashboards": (["een dashboard", "sturingsdashboards"], ["a dashboard", "performance dashboards"], ["bestuur-participatie", "bedrijfsvoering"]),
    "data-analyse": (["data-analyse", "data-analysetools"], ["data analytics", "data analytics tools"], ["sociaal-domein", "bedrijfsvoering"]),
    "data-visualisatie": (["interactieve kaarten en grafieken", "datavisualisatie"], ["interactive maps and charts", "data visualisation"], ["bestuur-participatie"]),
    "gis-systemen": (["een GIS-systeem", "geografische informatiesystemen"], ["a GIS system", "geographic information systems"], ["ruimtelijk-fysiek"]),
    "e-democracy-tools": (["een digitaal participatieplatform", "een stemtool voor het wijkbudget"], ["a digital participation platform", "a voting tool for the neighbourhood budget"], ["bestuur-participatie"]),
    "social-media-analyse": (["analyse van sociale media", "socialemediamonitoring"], ["social media analysis", "social media monitoring"], ["bestuur-participatie", "handhaving-toezicht"]),
    "privacy-enhancing-technologies": (["privacyvriendelijke technieken", "multiparty computation"], ["privacy-enhancing technologies", "multiparty computation"], ["sociaal-domein"]),
    "datamarktplaatsen": (["een datamarktplaats", "een platform voor het delen van data"], ["a data marketplace", "a data sharing platform"], ["bedrijfsvoering"]),
    "slimme-infrastructuren": (["slimme lantaarnpalen", "slimme verkeerslichten"], ["smart street lights", "smart traffic lights"], ["ruimtelijk-fysiek"]),
    "g5-netwerken": (["een 5G-netwerk", "5G-antennes"], ["a 5G network", "5G antennas"], ["ruimtelijk-fysiek"]),
    "vr-ar-steden-gebouwen": (["augmented reality", "een VR-model van de wijk"], ["augmented reality", "a VR model of the district"], ["ruimtelijk-fysiek", "bestuur-participatie"]),
    "training-vr-ar": (["VR-training", "virtual reality-oefeningen"], ["VR training", "virtual reality exercises"], ["handhaving-toezicht", "bedrijfsvoering"]),
    "gamification": (["spelelementen", "gamification"], ["game elements", "gamification"], ["bestuur-participatie"]),
    "persoonlijke-assistent": (["een digitale assistent", "een persoonlijke assistent"], ["a digital assistant", "a personal assistant app"], ["dienstverlening"]),
    "apps": (["een app", "een nieuwe app"], ["an app", "a new app"], ["dienstverlening"]),
    "epayment": (["digitaal betalen", "een betaalplatform"], ["online payment", "a payment platform"], ["dienstverlening"]),
    "digitale-diensten": (["digitale diensten", "online formulieren"], ["digital services", "online forms"], ["dienstverlening"]),
    "webportals": (["een webportaal", "een ondernemersportaal"], ["a web portal", "a business portal"], ["dienstverlening"]),
    "textmining": (["textmining", "software die documenten doorzoekt"], ["text mining", "software that searches documents"], ["bestuur-participatie", "bedrijfsvoering"]),
    "managementinformatie": (["managementinformatie", "een BI-omgeving"], ["management information", "a business intelligence suite"], ["bedrijfsvoering"]),
    "dienstenplatforms": (["een dienstenplatform", "een platform voor zorgaanbieders"], ["a services platform", "a platform for care providers"], ["sociaal-domein"]),
    "wifi": (["gratis wifi", "een openbaar wifi-netwerk"], ["free wifi", "a public wifi network"], ["ruimtelijk-fysiek"]),
    "digid-eherkenning": (["eHerkenning", "DigiD"], ["eHerkenning", "DigiD"], ["dienstverlening"]),
    "kantoorautomatisering": (["een nieuwe digitale werkplek", "online kantoorsoftware"], ["a new digital workplace", "online office software"], ["bedrijfsvoering"]),
    "mobiel": (["tablets voor buitendienstmedewerkers", "mobiele apparaten"], ["tablets for field staff", "mobile devices"], ["handhaving-toezicht", "ruimtelijk-fysiek"]),
    "social-media": (["sociale media", "een WhatsApp-kanaal"], ["social media", "a WhatsApp channel"], ["bestuur-participatie", "dienstverlening"]),
}

PURPOSE = {
    "dienstverlening": (["voor vragen over paspoorten en rijbewijzen", "bij het aanvragen van een parkeervergunning", "om verhuizingen sneller te verwerken"],
                        ["for questions about passports", "when residents apply for a parking permit", "to process changes of address faster"]),
    "bedrijfsvoering": (["bij de salarisadministratie", "voor de afhandeling van facturen", "in de backoffice"],
                        ["in payroll", "to handle invoices", "in the back office"]),
    "ruimtelijk-fysiek": (["bij het beheer van de openbare ruimte", "om de afvalinzameling te plannen", "bij omgevingsvergunningen"],
                          ["to manage public space", "to plan waste collection", "for planning permits"]),
    "sociaal-domein": (["in de Wmo-ondersteuning", "bij de schuldhulpverlening", "in de jeugdzorg"],
                       ["in social care", "in debt counselling", "in youth services"]),
    "handhaving-toezicht": (["bij het toezicht op evenementen", "om illegale afvaldumpingen op te sporen", "bij parkeerhandhaving"],
                            ["to supervise events", "to detect fly-tipping", "for parking enforcement"]),
    "bestuur-participatie": (["om inwoners bij de raad te betrekken", "bij de voorbereiding van raadsvergaderingen", "bij inspraak over het omgevingsplan"],
                             ["to involve residents in council decisions", "to prepare council meetings", "for consultation on the local plan"]),
}

CITIES = ["Zwolle", "Alkmaar", "Delft", "Emmen", "Roermond", "Gouda", "Hilversum", "Oss", "Zutphen", "Purmerend",
          "Veenendaal", "Heerenveen", "Middelburg", "Assen", "Tiel", "Weert", "Harderwijk", "Schagen", "Kampen", "Goes"]
EN_CITIES = ["Leeds", "Bristol", "Ghent", "Aarhus", "Tampere", "Porto", "Graz", "Dundee", "Cork", "Malmo", "Zwolle", "Delft"]
VENDORS = ["een Utrechtse softwareleverancier", "een consortium van twee ICT-bedrijven", "een start-up uit Eindhoven", "een internationale IT-dienstverlener"]
EN_VENDORS = ["a Manchester software firm", "a consortium of two IT companies", "a Dublin start-up", "a multinational IT provider"]

ACTORS_NL_MUN = ["De gemeente {c}", "Het college van {c}", "Gemeente {c}", "De afdeling Burgerzaken van {c}",
                 "Een samenwerkingsverband van vijf gemeenten rond {c}", "De omgevingsdienst regio {c}", "Het wijkteam van {c}"]
ACTORS_NL_OTHER = ["Een zorgverzekeraar", "Een netbeheerder", "Een grote bank", "Een telecombedrijf", "Een ziekenhuis in {c}",
                   "Een logistiek bedrijf", "Een supermarktketen", "Een verzekeraar uit {c}"]
ACTORS_EN_MUN = ["{c} City Council", "The municipality of {c}", "The council in {c}", "The borough's customer services team",
                 "A group of five councils around {c}", "The local authority in {c}"]
ACTORS_EN_OTHER = ["A health insurer", "A grid operator", "A major bank", "A telecom company", "A hospital in {c}",
                   "A logistics firm", "A supermarket chain", "An insurer based in {c}"]

# factor clauses: (nl, en, factor code)
DRIVERS = [("dankzij een subsidie van het Rijk", "thanks to a central government grant", "financial-means:driver"),
           ("samen met buurgemeenten", "together with neighbouring councils", "network-formation:driver"),
           ("omdat het werk van tien fte scheelt", "because it saves ten full-time jobs", "workers-and-resources:driver"),
           ("nu de techniek betrouwbaar genoeg is", "now that the technology is reliable enough", "product-performance:driver"),
           ("omdat inwoners erom vroegen", "because residents asked for it", "customers:driver"),
           ("nu de prijs van de hardware flink is gedaald", "now that hardware prices have fallen sharply", "price:driver"),
           ("dankzij de nieuwe landelijke standaard", "thanks to the new national standard", "institutional-aspects:driver")]
BARRIERS = [("wegens de hoge kosten", "because of the high costs", "price:barrier"),
            ("nadat de leverancier failliet ging", "after the supplier went bankrupt", "network-formation:barrier"),
            ("na een datalek", "after a data breach", "accidents-unexpected-events:barrier"),
            ("omdat de rechter het verbood", "because a court prohibited it", "institutional-aspects:barrier"),
            ("wegens een tekort aan personeel", "because of staff shortages", "workers-and-resources:barrier"),
            ("omdat inwoners er nauwelijks gebruik van maakten", "because hardly any residents used it", "customers:barrier"),
            ("omdat de techniek onbetrouwbaar bleek", "because the technology proved unreliable", "product-performance:barrier"),
            ("door bezuinigingen", "because of budget cuts", "financial-means:barrier"),
            ("na protest van bewoners", "after protests by residents", "socio-cultural-aspects:barrier")]
GENERIC_PURPOSE = (["voor de eigen klantenservice", "in de eigen organisatie", "om kosten te besparen"],
                   ["for its own customer service", "within its own organisation", "to cut costs"])
MONTHS_NL = ["januari", "maart", "april", "juni", "september", "oktober", "november"]
MONTHS_EN = ["January", "March", "April", "June", "September", "October", "November"]

# stage -> list of (nl template, en template); slots {a} actor, {t} technology, {p} purpose, {f} factor, {c} city, {v} vendor, {m} month
STAGE_NL: dict[str, list[str]] = {
    "research": ["Onderzoekers van de hogeschool in {c} bekijken of {t} {p} kan worden ingezet.",
                 "Volgens een nieuw rapport kan {t} {p} veel tijd besparen, maar ontbreekt het bewijs nog.",
                 "Een verkenning in opdracht van {a} moet uitwijzen wat {t} {p} kan opleveren.",
                 "Adviesbureaus verwachten dat {t} binnen vijf jaar gangbaar wordt {p}.",
                 "Uit een enquête blijkt dat ambtenaren weinig weten van {t}.",
                 "Een studie naar de proef met {t} in {c} laat zien dat de resultaten wisselend zijn.",
                 "De rekenkamer van {c} doet onderzoek naar de kosten en baten van {t}."],
    "pilot": ["{a} start in {m} een proef met {t} {p}.",
              "{a} test een half jaar lang {t} {p}.",
              "In {c} loopt sinds {m} een experiment met {t} {p}.",
              "{a} gaat {t} in één wijk uitproberen {p}.",
              "Bij wijze van pilot zet {a} {t} in {p}.",
              "Ondanks het kritische rapport begint {a} toch een kleinschalige test met {t}.",
              "{a} doet mee aan een living lab waarin {t} wordt beproefd {p}."],
    "procurement": ["{a} heeft een aanbesteding uitgeschreven voor {t} {p}.",
                    "Het contract voor {t} is gegund aan {v}.",
                    "{a} koopt {t} in bij {v}.",
                    "{a} start een marktconsultatie voor {t} {p}.",
                    "{a} sluit een raamovereenkomst met {v} voor de levering van {t}.",
                    "Na de geslaagde pilot schrijft {a} een aanbesteding uit voor {t}.",
                    "Leveranciers kunnen tot {m} inschrijven op de opdracht voor {t}."],
    "adoption": ["{a} gebruikt sinds {m} {t} {p}.",
                 "{a} heeft {t} uitgerold over de hele organisatie.",
                 "Inmiddels werken alle teams van {a} met {t} {p}.",
                 "{t} is vanaf deze maand in alle wijken van {c} in gebruik.",
                 "Na jaren van onderzoek draait {t} nu structureel bij {a}.",
                 "{a} zet {t} voortaan standaard in {p}.",
                 "Wat als proef begon, is nu vast werk: {a} gebruikt {t} {p}."],
    "policy": ["De gemeenteraad van {c} heeft regels vastgesteld voor het gebruik van {t}.",
               "{a} legt in een nieuw beleidskader vast wanneer {t} mag worden ingezet.",
               "Een motie om {t} te verbieden is door de raad van {c} aangenomen.",
               "Het kabinet wil gemeenten verplichten om het gebruik van {t} te melden in een openbaar register.",
               "Na het datalek stelt {a} strengere regels op voor {t}.",
               "In het coalitieakkoord van {c} staat dat {t} alleen onder voorwaarden mag worden gebruikt.",
               "De raad van {c} heeft de visie op {t} vastgesteld, inclusief ethische spelregels."],
    "setback": ["{a} stopt met {t} {f}.",
                "Het project met {t} in {c} is stopgezet {f}.",
                "De invoering van {t} bij {a} loopt forse vertraging op {f}.",
                "{t} van {a} ligt sinds {m} stil {f}.",
                "De pilot met {t} in {c} is voortijdig beëindigd {f}.",
                "{a} trekt de stekker uit {t} {f}.",
                "De aanbesteding voor {t} is ingetrokken {f}."],
    "none": ["Wat is {t} eigenlijk? In deze rubriek leggen we het uit.",
             "Op de kennisdag van {c} is {t} een van de twintig onderwerpen.",
             "Volgens een wethouder uit {c} is {t} 'interessant, maar geen wondermiddel'.",
             "Vacature: adviseur met kennis van {t} voor de gemeente {c}.",
             "In de podcast van deze week praten twee ambtenaren over {t}.",
             "Lezers reageerden massaal op onze column over {t}.",
             "Het boek over {t} ligt vanaf {m} in de winkel."],
}
STAGE_EN: dict[str, list[str]] = {
    "research": ["Researchers at the university in {c} are examining whether {t} can be used {p}.",
                 "According to a new report, {t} could save a lot of time {p}, but the evidence is still thin.",
                 "A study commissioned by {a} is to show what {t} could deliver {p}.",
                 "Consultants expect {t} to become mainstream {p} within five years.",
                 "A survey shows that civil servants know little about {t}.",
                 "A study of the pilot with {t} in {c} finds mixed results.",
                 "The audit office in {c} is investigating the costs and benefits of {t}."],
    "pilot": ["{a} will start a trial with {t} {p} in {m}.",
              "{a} is testing {t} {p} for six months.",
              "Since {m}, {c} has been running an experiment with {t} {p}.",
              "{a} will try out {t} in one neighbourhood {p}.",
              "As a pilot, {a} is deploying {t} {p}.",
              "Despite the critical report, {a} is going ahead with a small-scale test of {t}.",
              "{a} is joining a living lab in which {t} is being trialled {p}."],
    "procurement": ["{a} has issued a tender for {t} {p}.",
                    "The contract for {t} has been awarded to {v}.",
                    "{a} is buying {t} from {v}.",
                    "{a} has launched a market consultation for {t} {p}.",
                    "{a} has signed a framework agreement with {v} to supply {t}.",
                    "After the successful pilot, {a} is tendering for {t}.",
                    "Suppliers can bid for the {t} contract until {m}."],
    "adoption": ["{a} has been using {t} {p} since {m}.",
                 "{a} has rolled out {t} across the whole organisation.",
                 "All teams at {a} now work with {t} {p}.",
                 "As of this month, {t} is in use in every neighbourhood of {c}.",
                 "After years of research, {t} is now a permanent fixture at {a}.",
                 "{a} now routinely uses {t} {p}.",
                 "What began as a trial is now business as usual: {a} uses {t} {p}."],
    "policy": ["{c} council has adopted rules on the use of {t}.",
               "{a} is setting out in a new policy framework when {t} may be used.",
               "A motion to ban {t} has been passed by the council in {c}.",
               "The government wants to require councils to list their use of {t} in a public register.",
               "After the data breach, {a} is drawing up stricter rules for {t}.",
               "The coalition agreement in {c} states that {t} may only be used under strict conditions.",
               "The council in {c} has adopted its vision on {t}, including ethical ground rules."],
    "setback": ["{a} is dropping {t} {f}.",
                "The project with {t} in {c} has been cancelled {f}.",
                "The rollout of {t} at {a} has been seriously delayed {f}.",
                "{t} at {a} has been out of action since {m} {f}.",
                "The pilot with {t} in {c} was ended early {f}.",
                "{a} is pulling the plug on {t} {f}.",
                "The tender for {t} has been withdrawn {f}."],
    "none": ["What exactly is {t}? This column explains.",
             "At the knowledge day in {c}, {t} is one of twenty topics.",
             "According to a councillor from {c}, {t} is 'interesting, but no silver bullet'.",
             "Vacancy: adviser with knowledge of {t} for the municipality of {c}.",
             "In this week's podcast two civil servants talk about {t}.",
             "Readers responded in droves to our column about {t}.",
             "The book about {t} will be in the shops from {m}."],
}
# templates whose subject is not an {a} actor: municipal follows the wording
ALWAYS_MUNICIPAL = ("gemeenteraad", "raad van", "rekenkamer", "council", "coalitieakkoord", "coalition agreement",
                    "wethouder", "councillor", "municipality of", "gemeente {c}", "kennisdag", "knowledge day",
                    "gemeenten verplichten", "require councils", "civil servants", "ambtenaren")
LOWER_FIRST = {"De", "Het", "Een", "Gemeente", "The", "A", "An"}
STYLE_FOR = {"research": ["con", "tp"], "pilot": ["news", "tp", "gov"], "procurement": ["tp", "gov"],
             "adoption": ["news", "tp", "gov"], "policy": ["gov", "tp"], "setback": ["news", "tp"], "none": ["tp", "news"]}


def _fill(template: str, lang: str, tech: str, domain: str, municipal_actor: bool, rng: random.Random,
          factor: tuple[str, str, str] | None) -> tuple[str, bool]:
    """Fill one template; returns (sentence, municipal)."""
    nl = lang == "nl"
    uses_actor = "{a}" in template
    municipal = municipal_actor if uses_actor else ("{c}" in template or any(w in template for w in ALWAYS_MUNICIPAL))
    city = rng.choice(CITIES if nl else EN_CITIES)
    pool = (ACTORS_NL_MUN if municipal else ACTORS_NL_OTHER) if nl else (ACTORS_EN_MUN if municipal else ACTORS_EN_OTHER)
    actor = rng.choice(pool).format(c=city)
    if not template.startswith("{a}") and actor.split()[0] in LOWER_FIRST:
        actor = actor[0].lower() + actor[1:]
    purposes = (PURPOSE[domain] if municipal else GENERIC_PURPOSE)[0 if nl else 1]
    text = template.format(
        a=actor, t=rng.choice(TECH[tech][0 if nl else 1]), p=rng.choice(purposes), c=city,
        v=rng.choice(VENDORS if nl else EN_VENDORS), m=rng.choice(MONTHS_NL if nl else MONTHS_EN),
        f=(factor[0] if nl else factor[1]) if factor else "")
    text = " ".join(text.split()).replace(" .", ".").replace(" ,", ",")
    return text[0].upper() + text[1:], municipal


def generate(n_per_stage: int = 90, nl_share: float = 0.6, seed: int = SEED) -> Iterator[dict]:
    """Yield template examples (without id/split), balanced over stages and languages."""
    rng = random.Random(seed)
    techs = sorted(TECH)
    seen: set[str] = set()
    for stage in sorted(STAGE_NL):
        made, attempts = 0, 0
        while made < n_per_stage and attempts < n_per_stage * 50:
            attempts += 1
            lang = "nl" if rng.random() < nl_share else "en"
            templates = STAGE_NL[stage] if lang == "nl" else STAGE_EN[stage]
            index = rng.randrange(len(templates))
            template = templates[index]
            tech = rng.choice(techs)
            domain = rng.choice(TECH[tech][2])
            factor = None
            factors: list[dict] = []
            if "{f}" in template:
                factor = rng.choice(BARRIERS)
            elif stage in ("pilot", "adoption", "procurement") and rng.random() < 0.3 and template.endswith("{p}."):
                factor = rng.choice(DRIVERS)
                template = template[:-1] + " {f}."
            if factor:
                name, polarity = factor[2].split(":")
                factors = [{"factor": name, "polarity": polarity}]
            municipal_actor = rng.random() < (0.7 if stage != "none" else 0.5)
            text, municipal = _fill(template, lang, tech, domain, municipal_actor, rng, factor)
            if text in seen:
                continue
            seen.add(text)
            made += 1
            yield {"text": text, "lang": lang, "stage": stage, "municipal": municipal, "factors": factors,
                   "technology": tech, "domain": domain if "{p}" in template and municipal else None,
                   "style": rng.choice(STYLE_FOR[stage]), "origin": "template", "template": f"{stage}-{lang}-{index}"}
