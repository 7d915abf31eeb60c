"""Templates x slots: headlines, summaries and article bodies in trade-press style (nl, en)."""
from __future__ import annotations

import random
import re

TITLES = {
    "nl": {
        "research": [
            "Onderzoek: {tech} kan {proc} flink versnellen",
            "{Org} verkent inzet van {tech} bij {proc}",
            "{muni} laat onderzoek doen naar {tech} voor {proc}",
            "Verkenning: wat kan {tech} betekenen voor {proc}?",
            "Rapport verwacht doorbraak van {tech} bij gemeenten",
            "Gemeenten zien kansen voor {tech}, blijkt uit rapport van {org}",
        ],
        "pilot": [
            "{muni} start proef met {tech} voor {proc}",
            "Gemeente {muni} test {tech} bij {proc}",
            "Pilot met {tech} in {muni}: {proc} sneller afgehandeld",
            "{muni} begint living lab rond {tech}",
            "{muni} en {muni2} experimenteren samen met {tech}",
            "Proef in {muni}: {tech} ondersteunt medewerkers bij {proc}",
        ],
        "procurement": [
            "{muni} schrijft aanbesteding uit voor {tech}",
            "Contract voor {tech} in {muni} gegund aan {vendor}",
            "Europese aanbesteding voor {tech} bij {proc} van start",
            "{muni} en {muni2} kopen samen {tech} in",
            "Tender voor {tech}: {muni} zoekt leverancier",
        ],
        "adoption": [
            "{muni} rolt {tech} uit voor {proc}",
            "{Tech} in gebruik genomen in {muni}",
            "{muni} werkt voortaan met {tech} bij {proc}",
            "Na geslaagde proef zet {muni} {tech} breed in",
            "Ook {muni} stapt over op {tech} voor {proc}",
        ],
        "policy": [
            "Kabinet wil kader voor {tech} bij gemeenten",
            "VNG: duidelijke spelregels nodig voor {tech}",
            "{muni} stelt beleidskader op voor {tech}",
            "Nieuwe wet raakt gebruik van {tech} door gemeenten",
            "Raad van {muni} wil waarborgen bij inzet van {tech}",
        ],
        "setback": [
            "{muni} stopt met {tech} na kritiek",
            "Rechter zet streep door {tech} in {muni}",
            "Datalek bij {tech} van gemeente {muni}",
            "Proef met {tech} in {muni} stopgezet",
            "Kostenoverschrijding: {muni} trekt stekker uit {tech}",
            "Raad van {muni} stemt voor verbod op {tech} na uitspraak rechter",
        ],
    },
    "en": {
        "research": [
            "Report: {tech} could transform {proc} in local government",
            "{Org} study explores {tech} for {proc}",
            "Why cities are looking at {tech} for {proc}",
            "Outlook: {tech} set to reach mainstream in municipalities",
            "{muni} commissions research into {tech}",
        ],
        "pilot": [
            "{muni} pilots {tech} for {proc}",
            "City of {muni} trials {tech} in {proc}",
            "{muni} launches living lab for {tech}",
            "Pilot in {muni} puts {tech} to work on {proc}",
            "{muni} and {muni2} test {tech} together",
        ],
        "procurement": [
            "{muni} issues tender for {tech}",
            "{vendor} wins {muni} contract for {tech}",
            "{muni} opens procurement for {tech} in {proc}",
            "Joint tender: {muni} and {muni2} buy {tech}",
        ],
        "adoption": [
            "{muni} rolls out {tech} for {proc}",
            "Go-live for {tech} in {muni}",
            "After successful pilot, {muni} deploys {tech} city-wide",
            "{muni} now uses {tech} for {proc}",
        ],
        "policy": [
            "Dutch cabinet drafts rules for municipal use of {tech}",
            "{muni} adopts policy framework for {tech}",
            "Regulators call for safeguards on {tech} in local government",
            "New law restricts how councils may use {tech}",
        ],
        "setback": [
            "{muni} halts {tech} after criticism",
            "Court blocks {tech} in {muni}",
            "Data breach hits {tech} used by {muni}",
            "{muni} scraps {tech} project over costs",
            "{muni} council votes to ban {tech} after court ruling",
        ],
    },
}

LEADS = {
    "nl": {
        "research": [
            "De onderzoekers verwachten dat er binnen enkele jaren een rol is weggelegd voor {tech} bij {proc}.",
            "Dat blijkt uit een verkenning van {org} onder {n} gemeenten.",
            "Het rapport voorspelt dat vooral kleinere gemeenten baat hebben bij {tech}.",
            "De gemeente {muni} onderzoekt de komende maanden wat {tech} kan opleveren voor de afdeling {dept}.",
        ],
        "pilot": [
            "De gemeente {muni} start een proef met {tech} voor {proc}.",
            "De pilot loopt {months} maanden en wordt daarna geëvalueerd.",
            "In de proef werken {n2} medewerkers van de afdeling {dept} mee.",
            "Met de proef wil {muni} ervaring opdoen met {tech} voordat er een besluit valt.",
        ],
        "procurement": [
            "De gemeente {muni} heeft een Europese aanbesteding uitgeschreven voor {tech}.",
            "Het contract, met een waarde van {n} miljoen euro, is gegund aan {vendor}.",
            "Leveranciers kunnen tot het einde van het kwartaal inschrijven op de tender.",
            "De inkoop gebeurt samen met {muni2} om de kosten te drukken.",
        ],
        "adoption": [
            "De gemeente {muni} heeft {tech} in gebruik genomen voor {proc}.",
            "Na een geslaagde proef wordt {tech} nu in de hele organisatie uitgerold.",
            "Inmiddels werken {n} gemeenten in de {region} met dezelfde oplossing.",
            "Volgens de afdeling {dept} is de doorlooptijd van {proc} met een derde gedaald.",
        ],
        "policy": [
            "Het kabinet werkt aan een wettelijk kader voor het gebruik van {tech} door gemeenten.",
            "Volgens de Autoriteit Persoonsgegevens moet de inzet van {tech} voldoen aan de AVG.",
            "De gemeenteraad van {muni} nam een motie aan over de voorwaarden voor {tech}.",
            "Gemeenten moeten vooraf een mensenrechtentoets doen, schrijft de minister.",
        ],
        "setback": [
            "De gemeente {muni} heeft de proef met {tech} stopgezet.",
            "Volgens de rechter ontbrak een wettelijke grondslag voor het gebruik van {tech}.",
            "Bij het systeem ontstond een datalek waarbij gegevens van {people} inwoners zichtbaar waren.",
            "De kosten van {tech} liepen op tot {times} keer het oorspronkelijke budget.",
        ],
    },
    "en": {
        "research": [
            "The researchers expect {tech} to play a role in {proc} within a few years.",
            "That is the conclusion of a study by {org} covering {n} municipalities.",
            "The report predicts that smaller councils stand to gain most from {tech}.",
            "{muni} will spend the coming months investigating what {tech} could do for its {proc}.",
        ],
        "pilot": [
            "The city of {muni} has started a pilot with {tech} for {proc}.",
            "The trial runs for {months} months and will then be evaluated.",
            "Some {n2} civil servants take part in the pilot.",
            "With the trial {muni} wants to gain experience with {tech} before committing.",
        ],
        "procurement": [
            "{muni} has published a European tender for {tech}.",
            "The contract, worth {n} million euros, was awarded to {vendor}.",
            "Suppliers can bid until the end of the quarter.",
            "The purchase is made jointly with {muni2} to cut costs.",
        ],
        "adoption": [
            "{muni} has taken {tech} into use for {proc}.",
            "After a successful pilot the system is now being rolled out across the organisation.",
            "By now {n} municipalities in the region use the same solution.",
            "According to the city, processing times for {proc} fell by a third.",
        ],
        "policy": [
            "The Dutch cabinet is drafting a legal framework for municipal use of {tech}.",
            "According to the data protection authority, any use of {tech} must comply with the GDPR.",
            "The {muni} council adopted a motion setting conditions for {tech}.",
            "Councils will have to carry out a human rights impact assessment first.",
        ],
        "setback": [
            "{muni} has halted its trial with {tech}.",
            "The court ruled that there was no legal basis for the use of {tech}.",
            "A data breach exposed the records of {people} residents.",
            "Costs for {tech} rose to {times} times the original budget.",
        ],
    },
}

# stage- and technology-neutral context sentences (paragraph filler for article bodies)
FILLER = {
    "nl": [
        "Wethouder {alderman} spreekt van 'een logische stap voor onze inwoners'.",
        "De gemeenteraad wordt voor de zomer over de resultaten geïnformeerd.",
        "Ook de buurgemeenten {muni2} en {muni3} volgen het traject met belangstelling.",
        "Inwoners merken er volgens de gemeente weinig van, maar medewerkers winnen tijd.",
        "De kosten worden gedeeld met de provincie {prov}.",
        "Het initiatief past binnen de samenwerking in de {region}.",
        "'We willen vooral leren wat wel en niet werkt', zegt projectleider {alderman2}.",
        "De ondernemingsraad is vanaf het begin bij het project betrokken.",
        "Volgens de gemeentesecretaris vraagt dit ook iets van de cultuur in de organisatie.",
        "Bij de afdeling {dept} zijn de verwachtingen hooggespannen.",
        "Een klankbordgroep van inwoners denkt mee over de uitwerking.",
        "De begroting voor dit jaar bevat daarvoor een bedrag van {n} ton.",
        "Eerder deden onder meer {muni3} en {muni4} vergelijkbare ervaringen op.",
        "De Rekenkamer kondigde aan het traject kritisch te volgen.",
        "Het college wil de komende jaren vooral investeren in vakmanschap van medewerkers.",
        "'Het gaat uiteindelijk om de inwoner die sneller geholpen wordt', aldus {alderman}.",
        "Kleinere gemeenten in de regio kunnen later aansluiten.",
        "Over de precieze planning is nog geen besluit genomen.",
    ],
    "en": [
        "Alderman {alderman} called it 'a logical step for our residents'.",
        "The council will be briefed on the results before the summer.",
        "Neighbouring {muni2} and {muni3} are following the project closely.",
        "Residents will notice little of the change, but staff save time, the city says.",
        "Costs are shared with the province of {prov}.",
        "The initiative is part of a wider regional collaboration.",
        "'We mainly want to learn what works and what does not', says project lead {alderman2}.",
        "The works council has been involved from the start.",
        "According to the city manager, the change also requires a shift in culture.",
        "Expectations in the {dept} department are high.",
        "A sounding board of residents helps shape the details.",
        "This year's budget sets aside {n} hundred thousand euros for it.",
        "{muni3} and {muni4} had similar experiences earlier.",
        "The local audit office said it will follow the project critically.",
        "In the end it is about residents being helped faster, {alderman} said.",
        "Smaller municipalities in the region may join later.",
        "No decision has yet been taken on the exact timetable.",
    ],
}

# topical, stage-neutral sentences that mention the technology again
TOPICAL = {
    "nl": [
        "Steeds meer gemeenten kijken naar {tech} om {proc} te verbeteren.",
        "Leveranciers als {vendor} bieden {tech} inmiddels als standaarddienst aan.",
        "Bij {proc} gaat het in {muni} jaarlijks om duizenden aanvragen en meldingen.",
        "Critici wijzen op de afhankelijkheid van een enkele leverancier.",
        "De vraag is vooral hoe {tech} aansluit op bestaande werkprocessen.",
        "Privacy en informatiebeveiliging krijgen volgens de gemeente nadrukkelijk aandacht.",
    ],
    "en": [
        "More and more councils are looking at {tech} to improve {proc}.",
        "Vendors such as {vendor} now offer {tech} as a standard service.",
        "In {muni}, {proc} involves thousands of cases every year.",
        "Critics point to the risk of dependence on a single supplier.",
        "The key question is how {tech} fits existing ways of working.",
        "Privacy and information security get explicit attention, the city says.",
    ],
}

# neutral background sentences that lengthen article bodies
BACKGROUND = {
    "nl": [
        "Gemeenten staan onder druk om met minder mensen meer te doen.",
        "De krapte op de arbeidsmarkt speelt daarbij een grote rol.",
        "In {muni} gaan de komende tien jaar honderden medewerkers met pensioen.",
        "Inwoners verwachten dat zij de gemeente net zo makkelijk kunnen bereiken als hun bank.",
        "De provincie {prov} stimuleert samenwerking tussen gemeenten met een subsidieregeling.",
        "Bij de evaluatie kijkt de gemeente naar doorlooptijd, kosten en tevredenheid van inwoners.",
        "Het project startte als idee van twee medewerkers van de afdeling {dept}.",
        "In de raad waren de reacties overwegend positief, al vroeg een enkele fractie om extra waarborgen.",
        "Volgens {alderman2} is het belangrijk dat ook inwoners zonder computer geholpen blijven worden.",
        "De gemeente deelt de ervaringen via het kennisnetwerk van gemeenten in de {region}.",
        "Eind dit jaar volgt een eerste tussenevaluatie.",
        "De burgemeester van {muni} noemde het project 'een voorbeeld van hoe het kan'.",
    ],
    "en": [
        "Municipalities are under pressure to do more with fewer people.",
        "Labour shortages play a major role in that.",
        "In {muni}, hundreds of staff will retire over the next ten years.",
        "Residents expect to reach their council as easily as their bank.",
        "The province of {prov} encourages cooperation between municipalities with a grant scheme.",
        "The evaluation will look at processing times, costs and resident satisfaction.",
        "The project started as an idea from two employees of the {dept} department.",
        "Council members were mostly positive, although one party asked for extra safeguards.",
        "According to {alderman2}, residents without a computer must still be helped.",
        "The city shares its experience through a national knowledge network for councils.",
        "A first interim evaluation is due at the end of the year.",
        "The mayor of {muni} called the project 'an example of how it can be done'.",
    ],
}

GENAI_TITLES = {
    "nl": [
        "{muni} start proef met generatieve AI voor {proc}",
        "Taalmodel helpt ambtenaren van {muni} bij {proc}",
        "{Org}: gemeenten experimenteren volop met generatieve AI",
        "{muni} zet AI-agent in voor {proc}",
        "Large language model schrijft conceptbesluiten over {proc} in {muni}",
        "Eigen GPT-assistent voor medewerkers van {muni}",
        "{muni} zet LLM in bij {proc}",
        "Agentic AI in {muni}: AI-agents handelen {proc} af",
    ],
    "en": [
        "{muni} pilots generative AI for {proc}",
        "Large language models enter town halls as {muni} leads the way",
        "Agentic AI could reshape {proc}, says {org}",
        "{muni} deploys GPT-based assistant for {proc}",
        "LLM helps {muni} staff draft replies on {proc}",
        "AI agents take on {proc} in {muni}",
        "Generative AI moves from hype to practice in {muni}",
    ],
}
GENAI_LEADS = {
    "nl": [
        "De gemeente {muni} gebruikt generatieve AI om conceptteksten voor {proc} te schrijven.",
        "Het taalmodel draait in een afgeschermde omgeving bij de gemeente.",
        "Medewerkers controleren elke tekst die het large language model voorstelt.",
        "Een AI-agent zet aanvragen klaar zodat medewerkers ze alleen nog hoeven te beoordelen.",
        "Volgens {org} gebruikt inmiddels een op de drie gemeenten een GPT-achtige assistent.",
        "Het LLM is getraind op openbare beleidsstukken van de gemeente {muni}.",
        "Agentic AI is volgens de onderzoekers de volgende stap.",
    ],
    "en": [
        "{muni} uses generative AI to draft texts for {proc}.",
        "The large language model runs in a closed environment.",
        "Staff check every text the LLM suggests before it is sent.",
        "An AI agent prepares cases so that staff only need to assess them.",
        "According to {org}, one in three councils now uses a GPT-style assistant.",
        "Agentic AI is the next step, the researchers say.",
    ],
}

NEGATIVES = [
    ("nl", "Wethouder {alderman}: 'Even appen met de buurman lost vaak meer op dan een formulier'",
     ["In {muni} zoeken buren elkaar weer vaker op.", "Volgens {alderman} helpt even appen of aanbellen meer dan een klacht bij de gemeente.",
      "De gemeente organiseert deze zomer buurtbarbecues in vijf wijken."]),
    ("nl", "Jongeren in {muni} appen liever dan dat ze bellen, merkt het jongerenwerk",
     ["Het jongerenwerk in {muni} past de openingstijden aan.", "Jongeren appen even als ze langs willen komen, vertelt een jongerenwerker.",
      "Het inloophuis is voortaan ook op zondagmiddag open."]),
    ("nl", "Donkere wolken boven de begroting van {muni}",
     ["De gemeente {muni} verwacht een tekort van {n} miljoen euro.", "Wethouder {alderman} wil bezuinigen op externe inhuur.",
      "De raad bespreekt de voorjaarsnota in juni."]),
    ("en", "Storm clouds over {muni} delay the harbour festival",
     ["Heavy clouds and rain forced organisers in {muni} to postpone the festival.", "The event will now take place in two weeks.",
      "Residents were asked to check the city website for updates."]),
    ("en", "Grey clouds, green roofs: {muni} expands rooftop gardens",
     ["Despite a wet spring under grey clouds, {muni} added {n} green roofs this year.", "The roofs help retain rainwater during heavy showers.",
      "Owners can apply for a subsidy until the end of the year."]),
    ("en", "Council budget under a cloud as costs for youth care rise in {muni}",
     ["{muni} faces a budget gap of {n} million euros.", "Rising youth care costs are the main cause, the alderman said.",
      "The council will debate cuts next month."]),
]


def cap(text: str) -> str:
    """Capitalise the first letter only, keeping 'iDEAL'/'eHerkenning' style terms intact."""
    if not text or text.startswith(("iDEAL", "eHerkenning")):
        return text
    return text[0].upper() + text[1:]


def fill(template: str, slots: dict[str, str]) -> str:
    """Fill a template; {Tech}/{Org} are the capitalised variants."""
    return template.format(Tech=cap(slots["tech"]), Org=cap(slots["org"]), **slots)


def headline(rng: random.Random, lang: str, stage: str, slots: dict[str, str]) -> str:
    """Headlines drop the article, as trade press does ('Alkmaar rolt digital twin uit')."""
    bare = re.sub(r"^(een|de|het|a|an|the) ", "", slots["tech"])
    return cap(fill(rng.choice(TITLES[lang][stage]), {**slots, "tech": bare}))


def lead_sentences(rng: random.Random, lang: str, stage: str, slots: dict[str, str], k: int) -> list[str]:
    """k sentences: stage sentences first (in template order), then neutral filler."""
    stage_pool = LEADS[lang][stage]
    n_stage = min(len(stage_pool), max(1, k - rng.randint(0, 1)))
    chosen = [0] + sorted(rng.sample(range(1, len(stage_pool)), n_stage - 1))  # sentence 0 names the technology
    out = [cap(fill(stage_pool[i], slots)) for i in chosen]
    out += [cap(fill(s, slots)) for s in rng.sample(FILLER[lang], k - len(out))]
    return out


def body_paragraphs(rng: random.Random, lang: str, lead: list[str], slots: dict[str, str],
                    extra: list[str]) -> list[str]:
    """A 150-500 word article body: the lead, then topical and neutral sentences in paragraphs."""
    target = rng.randint(170, 420)
    pool = FILLER[lang] + BACKGROUND[lang]
    order = rng.sample(range(len(pool)), len(pool))
    sentences = list(extra)
    words = sum(len(s.split()) for s in lead + sentences)
    for i in order:
        if words >= target:
            break
        sentence = cap(fill(pool[i], slots))
        if sentence in lead:
            continue
        sentences.append(sentence)
        words += len(sentence.split())
    rng.shuffle(sentences)
    paragraphs = [" ".join(lead)] if lead else []
    while sentences:
        size = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[:size]))
        sentences = sentences[size:]
    return paragraphs
