"""Real-looking Dutch and English sentences: mentions found (recall) and negative senses not (precision)."""
from __future__ import annotations

import pytest

from test_tag_support import found_ids, shape_tagger, tag

# (text, ids that must be found (technology or process), ids that must NOT be found)
NL = [
    ("De gemeente Eindhoven zet parkeersensoren in om vrije plekken in de binnenstad te tonen.", {"sensornetwerken"}, set()),
    ("Beveiligingscamera's op het stationsplein moeten de overlast verminderen.", {"cameras"}, set()),
    ("De politiedrones vlogen urenlang boven het festivalterrein.", {"drones"}, set()),
    ("Inwoners kunnen 's avonds hun vragen stellen aan een chatbot op de website.", {"chatbots"}, set()),
    ("De klantenservicechatbot beantwoordt vragen over de afvalinzameling.", {"chatbots", "afvalinzameling"}, set()),
    ("Met een digitale tweeling van de binnenstad simuleert de gemeente verkeersstromen.", {"digital-twins"}, set()),
    ("Het college investeert twee miljoen euro in een digital twin van de haven.", {"digital-twins"}, set()),
    ("Rotterdam bouwt aan een digital-twin van het havengebied.", {"digital-twins"}, set()),
    ("De afdeling financiën gebruikt RPA om facturen automatisch te verwerken.", {"robotic-process-automation", "financiele-administratie"}, set()),
    ("Softwarerobots nemen het overtypen van formulieren over van medewerkers.", {"robotic-process-automation"}, set()),
    ("Zaakgericht werken wordt volgend jaar de norm bij de afdeling vergunningen.", {"zaaksystemen"}, set()),
    ("Het nieuwe zaaksysteem gaat in januari live.", {"zaaksystemen"}, set()),
    ("Algoritmische besluitvorming bij de bijstand ligt onder vuur.", {"beslisalgoritmes", "bijstand-inkomen"}, set()),
    ("De gemeente plaatst slimme lantaarnpalen die dimmen als er niemand op straat is.", {"slimme-infrastructuren"}, set()),
    ("Een LoRaWAN-netwerk verbindt honderden sensoren in de riolering.", {"lora", "sensornetwerken", "riolering-water"}, set()),
    ("Met blockchain wil de gemeente de schuldhulpverlening transparanter maken.", {"blockchain", "schuldhulpverlening"}, set()),
    ("Inloggen met DigiD is verplicht voor het aanvragen van een uittreksel.", {"digid-eherkenning", "uittreksels-verklaringen"}, set()),
    ("Ondernemers loggen voortaan in met eHerkenning om een subsidie aan te vragen.", {"digid-eherkenning", "subsidieverlening"}, set()),
    ("Berichten over de aanslag komen in de Berichtenbox van MijnOverheid.", {"berichtenbox", "mijnoverheid"}, set()),
    ("Boa's dragen sinds vorige maand bodycams tijdens hun dienst.", {"cameras", "boa-handhaving"}, set()),
    ("Gezichtsherkenning in de openbare ruimte is volgens de toezichthouder niet toegestaan.", {"gezichtsherkenning"}, set()),
    ("Spraakherkenning helpt consulenten bij het maken van gespreksverslagen.", {"spraakherkenning"}, set()),
    ("Het 5G-netwerk in de haven maakt zelfrijdende voertuigen mogelijk.", {"g5-netwerken", "zelfrijdende-voertuigen"}, set()),
    ("Zelfrijdende busjes rijden deze zomer een proef op de campus.", {"zelfrijdende-voertuigen"}, set()),
    ("De bibliotheek biedt bezoekers gratis wifi.", {"wifi"}, set()),
    ("Met een VR-bril oefenen handhavers lastige gesprekken met bewoners.", {"training-vr-ar"}, set()),
    # a context rule with `instead`: generic VR/AR beside building plans is VR for cities and buildings
    ("Met augmented reality zien bewoners op de inspraakavond hoe het nieuwe plein eruit komt te zien.",
     {"vr-ar-steden-gebouwen"}, {"training-vr-ar"}),
    ("Gemeente Lochem monitort sociale media op signalen van onrust in de wijken.",
     {"social-media-analyse"}, {"social-media"}),
    ("Het dashboard toont realtime de drukte in het centrum.", {"dashboards"}, set()),
    ("Data-analyse helpt wijkteams bij het vroeg signaleren van schulden.", {"data-analyse", "wijkteams-toegang"}, set()),
    ("Machine learning voorspelt welke panden een verhoogd risico op woonfraude hebben.", {"machine-learning", "adreskwaliteit-woonfraude"}, set()),
    ("Met textmining analyseert de gemeente duizenden klachten van inwoners.", {"textmining", "klachtenafhandeling"}, set()),
    ("Via de app kunnen bewoners een melding openbare ruimte doen.", {"apps", "meldingen-openbare-ruimte"}, set()),
    ("Betalen met iDEAL kan nu ook bij de balie van het stadskantoor.", {"epayment"}, set()),
    ("Wearables meten de hartslag van brandweerlieden tijdens een inzet.", {"wearables"}, set()),
    ("Een servicerobot in het gemeentehuis wijst bezoekers de weg.", {"dienstenrobots"}, set()),
    ("De gemeente verhuist haar vakapplicaties naar de cloud.", {"procesapplicaties", "cloud"}, set()),
    ("Clouddiensten van Amerikaanse leveranciers liggen onder vuur bij de toezichthouder.", {"cloud"}, set()),
    ("Met gamification motiveert de gemeente jongeren om meer te bewegen.", {"gamification"}, set()),
    ("Bij de aanvraag van een paspoort worden twee vingerafdrukken opgeslagen.", {"vingerafdrukken", "reisdocumenten"}, set()),
    ("De gemeente is actief op sociale media om inwoners te informeren.", {"social-media"}, set()),
    ("Met social-media-analyse volgt de gemeente de stemming rond het azc.", {"social-media-analyse"}, set()),
    ("De BRP is de basisregistratie met gegevens van alle inwoners.", {"basisregistraties"}, set()),
    ("Het GIS van de gemeente toont alle bomen in de openbare ruimte.", {"gis-systemen"}, set()),
    ("Een datamarktplaats voor mobiliteitsdata moet bedrijven en overheden verbinden.", {"datamarktplaatsen"}, set()),
    ("Privacy enhancing technologies maken analyse op versleutelde gegevens mogelijk.", {"privacy-enhancing-technologies"}, set()),
    ("NLP helpt bij het automatisch anonimiseren van raadsstukken.", {"natural-language-processing"}, set()),
    ("Het IoT-platform verzamelt metingen van afvalcontainers.", {"iot-platforms"}, set()),
    ("Met e-participatie wil de gemeente meer jongeren bij de omgevingsvisie betrekken.", {"e-democracy-tools", "ruimtelijke-ordening"}, set()),
    ("Ondernemers vinden alle vergunningen in het nieuwe webportaal.", {"webportals"}, set()),
    ("Het workflowsysteem stuurt aanvragen automatisch naar de juiste behandelaar.", {"workflowsystemen"}, set()),
    ("Stuurinformatie over de jeugdhulp is pas na maanden beschikbaar.", {"managementinformatie", "jeugdhulp"}, set()),
    ("De 4G-dekking in het buitengebied is nog altijd slecht.", {"g34-netwerken"}, set()),
    ("Handhavers krijgen een mobiele telefoon met een speciale app.", {"mobiel", "apps"}, set()),
    ("De gemeente test een spraakassistent voor ouderen die slecht zien.", {"persoonlijke-assistent"}, set()),
    ("Kantoorautomatisering is bij bijna alle gemeenten uitbesteed.", {"kantoorautomatisering"}, set()),
    # a term at a sentence end that spaCy would keep with its period, and one inside a hyphenated compound
    ("Sinds dit jaar loggen inwoners in met DigiD. Bedrijven gebruiken eHerkenning.", {"digid-eherkenning"}, set()),
    ("Den Haag wil het netwerk gebruiken voor haar Smart City-strategie.", {"slimme-infrastructuren"}, set()),
    ("De gemeente migreert naar een Office 365-omgeving.", {"kantoorautomatisering"}, set()),
    ("The city will assess whether camera\u2011generated enforcement could help.", {"cameras"}, set()),  # U+2011
    # contact details and crime hotspots are not office automation or wifi
    ("Vragen? Stuur een e-mail naar de afdeling of bel ons.", set(), {"kantoorautomatisering"}),
    ("De politie pakt drie hotspots van overlast in de binnenstad aan.", set(), {"wifi"}),
    ("Inwoners ontvangen hun post steeds vaker via de digitale brievenbus.", {"berichtenbox"}, set()),
    ("Twee dronetjes inspecteren de brug over het kanaal.", {"drones"}, set()),
    ("De zorgrobots in het verpleeghuis spelen spelletjes met bewoners.", {"dienstenrobots"}, set()),
    ("De verkeerscamera's registreren elke auto die de milieuzone inrijdt.", {"cameras"}, set()),
    ("Geluidssensoren in de uitgaansstraat meten de overlast.", {"sensornetwerken"}, set()),
    ("Een AI-chatbot helpt bij vragen over de Wmo-aanvraag.", {"chatbots", "machine-learning", "wmo-ondersteuning"}, set()),
    ("Het stadsdeel experimenteert met een robottaxi op de ringweg.", {"zelfrijdende-voertuigen"}, set()),
    ("De omgevingsvergunning kan digitaal worden aangevraagd via het Omgevingsloket.", {"omgevingsvergunning"}, set()),
    ("Een verhuizing doorgeven kan nu volledig online.", {"verhuizing-adreswijziging"}, set()),
    ("De gemeente zoekt voor werving en selectie een nieuw systeem.", {"personeel-hrm"}, set()),
    ("De parkeervergunning wordt automatisch verlengd via de scanauto.", {"parkeervergunningen", "parkeerhandhaving"}, set()),
    ("Bouwinspecties worden gepland met behulp van een algoritme.", {"bouwtoezicht", "beslisalgoritmes"}, set()),
    ("De gemeenteraad besprak het raadsvoorstel over de inzet van camerabewaking.", {"besluitvorming-raad-college", "cameras"}, set()),
    ("Woo-verzoeken worden sneller afgehandeld dankzij tekstanalyse.", {"woo-verzoeken", "textmining"}, set()),
]

EN = [
    ("The city deployed parking sensors across downtown to guide drivers.", {"sensornetwerken"}, set()),
    ("Police drones monitored the crowd during the festival.", {"drones"}, set()),
    ("The municipality launched a chatbot that answers questions about waste collection.", {"chatbots", "afvalinzameling"}, set()),
    ("Digital twins help planners simulate flooding in low-lying districts.", {"digital-twins"}, set()),
    ("RPA bots now process most supplier invoices.", {"robotic-process-automation", "financiele-administratie"}, set()),
    ("Facial recognition cameras were banned by the city council.", {"gezichtsherkenning", "cameras"}, set()),
    ("The council moved its Office 365 mailboxes and file storage to the cloud.", {"cloud", "kantoorautomatisering"}, set()),
    ("Machine learning models flag applications for welfare fraud.", {"machine-learning", "fraudebestrijding-sociaal"}, set()),
    ("Smart street lighting dims when nobody is around.", {"slimme-infrastructuren"}, set()),
    ("A LoRaWAN network connects water level sensors along the canals.", {"lora", "sensornetwerken"}, set()),
    ("Blockchain technology could make land registration tamper-proof.", {"blockchain"}, set()),
    ("Self-driving shuttles will carry passengers between the station and the hospital.", {"zelfrijdende-voertuigen"}, set()),
    ("Operators are rolling out 5G networks in the port area.", {"g5-netwerken"}, set()),
    ("Speech recognition transcribes council meetings in real time.", {"spraakherkenning", "besluitvorming-raad-college"}, set()),
    ("Natural language processing helps classify incoming citizen complaints.", {"natural-language-processing", "klachtenafhandeling"}, set()),
    ("Wearable devices track the health of home care workers.", {"wearables"}, set()),
    ("Firefighters practise with virtual reality training before entering a burning building.", {"training-vr-ar"}, set()),
    ("The region is building a data marketplace for mobility data.", {"datamarktplaatsen"}, set()),
    ("Privacy-enhancing technologies allow analysis without sharing raw data.", {"privacy-enhancing-technologies"}, set()),
    ("The new IoT platform collects readings from thousands of devices.", {"iot-platforms"}, set()),
    ("Interactive dashboards show the waiting times at every service desk.", {"dashboards"}, set()),
    ("Residents can report potholes through mobile apps.", {"apps"}, set()),
    ("The town uses social media to warn residents about road works.", {"social-media"}, set()),
    ("Gamification encourages residents to separate their waste.", {"gamification"}, set()),
    ("Care robots keep elderly residents company in nursing homes.", {"dienstenrobots"}, set()),
    ("Algorithmic decision-making in welfare benefits has been criticised.", {"beslisalgoritmes", "bijstand-inkomen"}, set()),
    ("Text mining of complaints reveals recurring problems.", {"textmining", "klachtenafhandeling"}, set()),
    ("Residents can pay their municipal taxes with e-payment.", {"epayment", "gemeentelijke-belastingen"}, set()),
    ("Free public Wi-Fi is available in the city centre.", {"wifi"}, set()),
    ("A case management system supports the handling of permit applications.", {"zaaksystemen"}, set()),
    ("Workflow automation cut the time needed to process a planning permit.", {"workflowsystemen", "omgevingsvergunning"}, set()),
    ("The geographic information system shows all trees owned by the city.", {"gis-systemen"}, set()),
    ("Fingerprint scanners are used when applying for a passport.", {"vingerafdrukken", "reisdocumenten"}, set()),
    ("The council tested a voice assistant for residents with poor eyesight.", {"persoonlijke-assistent"}, set()),
    ("The city hall switched to a new customer portal for permits.", {"webportals"}, set()),
    ("Municipalities use business intelligence to steer their social services.", {"managementinformatie"}, set()),
    ("An AI system helps caseworkers in youth care.", {"machine-learning", "jeugdhulp"}, set()),
    ("The 4G network covers the whole rural area.", {"g34-netwerken"}, set()),
    ("Unmanned aerial vehicles inspect dikes after storms.", {"drones"}, set()),
    ("Surveillance cameras recorded the incident on the market square.", {"cameras"}, set()),
    ("Computer vision and deep learning detect litter in the streets.", {"machine-learning"}, set()),
    ("The digital-twin of the harbour predicts congestion.", {"digital-twins"}, set()),
    ("DigiD is required to file an objection online.", {"digid-eherkenning"}, set()),
]

NEGATIVE = [
    ("Boven de polder hing een donkere cloud en de regen kwam met bakken uit de lucht.", set(), {"cloud"}),
    ("Dark clouds gathered over the town and heavy rain fell all afternoon.", set(), {"cloud"}),
    ("Kun je me even appen als je er bent? Ik stuur je anders een appje.", set(), {"apps"}),
    ("Stuur me een app als je thuis bent, zei mijn moeder.", set(), {"apps"}),
    ("Honeybee drones die shortly after mating with the queen of the hive.", set(), {"drones"}),
    ("In een bijenvolk zijn de drones de mannetjes; ze helpen de bijen niet met honing halen.", set(), {"drones"}),
    ("De band speelt drone metal met zware, trage gitaarpartijen.", set(), {"drones"}),
    ("Voeg 250 ML water en een dosis siroop toe.", set(), {"machine-learning"}),
    ("Add 5 ml of milk and a pinch of salt.", set(), {"machine-learning"}),
    ("De coach gebruikt NLP, neuro-linguïstisch programmeren, om zijn klanten te motiveren.", set(), {"natural-language-processing"}),
    ("Gooi je lege PET-flessen en plastic verpakkingen in de oranje container.", set(), {"privacy-enhancing-technologies"}),
    ("Op het dashboard van de auto brandde een oranje lampje naast het stuur.", set(), {"dashboards"}),
    ("Zijn fotocamera lag naast de spiegelreflexcamera; fotografie is zijn passie.", set(), {"cameras"}),
    ("De wethouder sprak voor de camera over de nieuwe begroting.", {"planning-control"}, {"cameras"}),
    ("Na haar heupoperatie is oma weer mobiel dankzij de rollator.", set(), {"mobiel"}),
    ("Hij nam een tablet paracetamol tegen de hoofdpijn.", set(), {"mobiel"}),
    ("Het portaal van de flat werd opnieuw geschilderd, net als de trap.", set(), {"webportals"}),
    ("De persoonlijke assistent van de directeur regelt zijn agenda; de vacature staat open.", set(), {"persoonlijke-assistent"}),
    ("Hotspots voor besmettingen met het coronavirus liggen in de grote steden.", set(), {"wifi"}),
    ("RPA's voor drones: het luchtvaartuig wordt op afstand bestuurd door een piloot.", set(), {"robotic-process-automation"}),
    ("Argentinië (AR) won de wereldtitel in het voetbal.", set(), {"training-vr-ar"}),
    ("Hij was on cloud nine after the match.", set(), {"cloud"}),
    ("De wet op de kansspelen wordt aangepast.", set(), {"blockchain", "cloud", "apps"}),
    ("We gaan zaterdag met de hele familie naar het strand.", set(), {"apps", "cloud", "drones", "cameras", "mobiel"}),
    ("Stuur me een whatsappje als je er bent.", set(), {"apps"}),
    ("Hij werkt als persoonlijk assistent en het salaris is goed.", set(), {"persoonlijke-assistent"}),
    ("Een nieuwe jurk en wearables van stof: de outfit op de catwalk was opvallend.", set(), {"wearables"}),
    ("De robotstem in het spel was grappig, zei de jongen.", set(), {"spraakherkenning"}),
    ("The museum shows a mobile by Calder hanging from the ceiling.", set(), {"mobiel"}),
    ("Browser fingerprint tracking is used by advertisers.", set(), {"vingerafdrukken"}),
]

MIXED = [
    ("De gemeente Utrecht werkt met smart city oplossingen en een data dashboard voor de wijk.", {"slimme-infrastructuren", "dashboards"}, set()),
    ("Het project gebruikt machine learning en computer vision om zwerfafval te herkennen.", {"machine-learning"}, set()),
    ("Met een digital twin en een IoT platform monitort Amsterdam de kademuren.", {"digital-twins", "iot-platforms"}, set()),
    ("Het college kiest voor cloud computing en Software as a Service (SaaS).", {"cloud"}, set()),
    ("The Dutch municipality of Zwolle uses a zaaksysteem for all permit applications.", {"zaaksystemen"}, set()),
    ("In Groningen, residents use DigiD to log in to the municipal portal.", {"digid-eherkenning", "webportals"}, set()),
    ("De gemeente introduceert self-service kiosks en online betalen voor paspoorten.", {"epayment", "reisdocumenten"}, set()),
    ("Voor de chatbot gebruikt Den Haag natural language processing van een Amerikaanse leverancier.", {"chatbots", "natural-language-processing"}, set()),
]

LEXICON_ROUND_6 = [  # the wordings and context rules added from the train/dev errors of the real corpus
    ("Inwoners vragen de ophaaldagen op via een Alexa-skill van de gemeente.", {"persoonlijke-assistent"}, set()),
    ("The council says its licence plate readers will check the low-emission zone.", {"cameras"}, set()),
    ("Een scanauto controleert sinds maart het betaald parkeren in het centrum.", {"cameras"}, set()),
    ("Drivers can now pay by phone at every car park in town.", {"epayment"}, set()),
    ("The borough launched a citizen engagement platform for its local plan.", {"e-democracy-tools"}, set()),
    ("Social workers trial AI transcription tools for their case notes.", {"spraakherkenning"}, set()),
    ("Belastingaanslagen komen voortaan in de eBox van de burger.", {"berichtenbox"}, set()),
    ("Een shuttle zonder bestuurder rijdt tussen het station en het ziekenhuis.", {"zelfrijdende-voertuigen"}, set()),
    ("Slimme camera's moeten bestuurders betrappen die met hun gsm achter het stuur zitten.", {"cameras"}, {"mobiel"}),
    ("De volgende generatie mobiel internet, 5G, komt eerst naar de haven.", {"g5-netwerken"}, {"mobiel"}),
    ("Please leave your mobile phone number so that we can call you back.", set(), {"mobiel"}),
    ("The council hired software robots to process benefit claims faster.", {"robotic-process-automation"}, {"dienstenrobots"}),
    ("Zorgrobots helpen bewoners van het verpleeghuis bij het eten.", {"dienstenrobots"}, set()),
]


def _params(cases: list, prefix: str) -> list:
    return [pytest.param(text, expect, forbid, id=f"{prefix}{i:02d}") for i, (text, expect, forbid) in enumerate(cases)]


@pytest.mark.parametrize("text,expect,forbid", _params(NL, "nl") + _params(EN, "en") + _params(NEGATIVE, "neg")
                         + _params(MIXED, "mix") + _params(LEXICON_ROUND_6, "lex6"))
def test_mentions(text: str, expect: set[str], forbid: set[str]) -> None:
    result = tag(text)
    found = found_ids(result)
    assert expect <= found, f"missing {expect - found} in {found}"
    assert not (forbid & found), f"negative sense tagged: {forbid & found}"
    for mention in result["technologies"] + result["processes"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]


LANGUAGE = [
    ("De gemeente start volgend jaar een proef met slimme lantaarnpalen in drie wijken.", "nl"),
    ("The municipality will start a trial with smart street lights in three neighbourhoods next year.", "en"),
    ("Die Stadtverwaltung testet ab nächstem Jahr intelligente Straßenlaternen in drei Vierteln.", "other"),
    ("La municipalité teste des lampadaires intelligents dans trois quartiers l'année prochaine.", "other"),
    ("!!! ??? ... 123 456", "other"),
    ("🙂🙂🙂", "other"),
]


@pytest.mark.parametrize("text,lang", LANGUAGE)
def test_language(text: str, lang: str) -> None:
    assert tag(text)["language"] == lang


def test_other_language_still_tagged_with_closest_pipeline() -> None:
    result = tag("Die Stadt setzt Drohnen und eine Chatbot-Lösung ein; der Chatbot beantwortet Fragen.")
    assert result["language"] == "other"
    assert "chatbots" in found_ids(result)


STAGES = [
    ("De gemeente start een proef met zelfrijdende busjes.", "pilot"),
    ("Het living lab in de wijk test slimme sensoren.", "pilot"),
    ("The city started a pilot with parking sensors.", "pilot"),
    ("De aanbesteding voor het nieuwe zaaksysteem is gepubliceerd.", "procurement"),
    ("Het contract voor de camera's is gegund aan een Nederlandse leverancier.", "procurement"),
    ("The council issued a tender for a new case management system.", "procurement"),
    ("De chatbot is in gebruik genomen en beantwoordt dagelijks honderden vragen.", "adoption"),
    ("De app is inmiddels landelijk ingevoerd.", "adoption"),
    ("The chatbot was rolled out to all residents last month.", "adoption"),
    ("Een nieuw wetsvoorstel moet gezichtsherkenning in de openbare ruimte verbieden.", "policy"),
    ("Volgens de AVG mogen camerabeelden maar vier weken bewaard worden.", "policy"),
    ("The GDPR sets strict limits on facial recognition.", "policy"),
    ("Na een datalek is het project met de slimme camera's stopgezet.", "setback"),
    ("De rechter verbood het gebruik van het algoritme voor fraudeopsporing.", "setback"),
    ("After a data breach the city halted the smart camera project.", "setback"),
    ("Onderzoekers verwachten dat digitale tweelingen over vijf jaar gangbaar zijn.", "research"),
    ("A new report predicts that drones will deliver parcels in cities by 2030.", "research"),
    ("De chatbot beantwoordt vragen over afval.", "none"),
]


@pytest.mark.parametrize("text,stage", STAGES)
def test_stage(text: str, stage: str) -> None:
    result = tag(text)
    assert result["stage"] == stage, result["stage_scores"]
    assert abs(sum(result["stage_scores"].values()) - 1.0) < 1e-3
    assert set(result["stage_scores"]) == {"research", "pilot", "procurement", "adoption", "policy", "setback", "none"}


MUNICIPAL = [
    ("De gemeente Utrecht zet een chatbot in voor vragen over afval.", True),
    ("Wethouder De Vries presenteerde het plan in de gemeenteraad.", True),
    ("The city council of Amsterdam voted for a ban on facial recognition.", True),
    ("Municipalities struggle to hire enough IT staff.", True),
    ("Apple presented a new smartwatch with a better battery.", False),
    ("Onderzoekers van de universiteit ontwikkelden een nieuw taalmodel.", False),
]


@pytest.mark.parametrize("text,municipal", MUNICIPAL)
def test_municipal(text: str, municipal: bool) -> None:
    result = tag(text)
    assert result["municipal"] is municipal, result["municipal_score"]
    assert 0.0 <= result["municipal_score"] <= 1.0


def test_a_text_without_municipal_words_scores_far_below_council_news() -> None:
    """A weather line carries no signal either way: the label model gives it about the share of municipal
    texts in the annotated corpus (most are municipal, so it may pass the threshold: a known weakness of
    short texts), never a confident score, and far below a municipal news sentence. The character n-grams
    of 'graad' include 'raad' (council): with the models of 4,543 excerpts it scored 0.74 (this test was
    an expected failure then), with those of 4,892 it scores 0.70, just under the bound."""
    weather = tag("Het weer wordt morgen zonnig met een graad of twintig.")["municipal_score"]
    council = tag("De gemeente Utrecht zet een chatbot in voor vragen over afval.")["municipal_score"]
    assert weather < 0.7 and council - weather > 0.3


DOMAINS = [
    ("Bijstandsgerechtigden krijgen hulp van het wijkteam.", "sociaal-domein"),
    ("Aanvragen voor een omgevingsvergunning gaan digitaal.", "ruimtelijk-fysiek"),
    ("Handhavers en boa's krijgen bodycams.", "handhaving-toezicht"),
    ("De factuurverwerking van de gemeente wordt geautomatiseerd.", "bedrijfsvoering"),
    ("Inwoners praten mee via een participatieplatform; de inspraak over het park loopt tot mei.",
     "bestuur-participatie"),
    ("Een paspoort aanvragen kan ook 's avonds.", "dienstverlening"),
]


@pytest.mark.parametrize("text,domain", DOMAINS)
def test_domains(text: str, domain: str) -> None:
    domains = tag(text)["domains"]
    assert domain in domains
    assert domains == tag(text)["domains"]  # deterministic order


# Found by their shape alone (no seed names an expected term): a one-word Dutch compound on a head that is
# not a strong head (taalmodel, identiteitswallet) is not found: a known limit of shape-based discovery.
CANDIDATES = [
    ("Generatieve AI zal het werk van ambtenaren sterk veranderen.", "generatieve ai"),
    ("Quantum computing kan op termijn huidige encryptie breken.", "quantum computing"),
    ("Grote taalmodellen zoals GPT roepen vragen op over privacy.", "gpt"),
    ("Een ai-agent handelt straks eenvoudige aanvragen af.", "ai-agent"),
    ("Generative AI tools are spreading fast through local government.", "generative ai"),
    ("Large language models can summarise council documents.", "language models"),
    ("An AI agent drafts the replies.", "ai agent"),
    ("Edge computing brengt rekenkracht dichter bij de sensoren.", "edge computing"),
    ("Het waterschap onderzoekt batterijtechnologie voor de gemalen.", "batterijtechnologie"),
]


@pytest.mark.parametrize("text,term", CANDIDATES)
def test_candidates_found(text: str, term: str) -> None:
    assert term in tag(text)["candidates"]


NO_CANDIDATES = [
    "De gemeente kiest voor een nieuwe aanpak van de schuldhulpverlening.",
    "Het systeem werkt goed, zegt de wethouder, maar de technologie is duur.",
    "This new technology is a great way to help people.",
    "Het verdienmodel van de leverancier is gebaseerd op licenties.",
    "De slimme oplossing van de buurtbewoners was een succes.",
    "Het college heeft een nieuw beleidsplan vastgesteld voor sport en cultuur.",
    "The approach of the council was discussed in the meeting.",
    "Een AI-gedreven aanpak is volgens de wethouder geen doel op zich.",
]


@pytest.mark.parametrize("text", NO_CANDIDATES)
def test_no_ordinary_candidates(text: str) -> None:
    """The shape rules find nothing in ordinary sentences. The term model is a recall layer and may propose
    a word, but never one that `scanner emerging` counts as term-like (likeness below the half point)."""
    from scanner.config import load_config
    from scanner.tag.termlike import load_term_model

    assert tag(text, tagger=shape_tagger())["candidates"] == []
    model, half = load_term_model(), load_config()["emerging"]["term_likeness_half"]
    assert model is not None
    assert all(model.term_likeness(c) < half for c in tag(text)["candidates"])


def test_catalogue_terms_are_not_candidates() -> None:
    result = tag("De gemeente gebruikt cloud computing, een chatbot en blockchain technology.")
    assert result["candidates"] == []


def test_readme_tag_example_is_the_taggers_output() -> None:
    """The README's `scanner tag` example is real output, shortened as the README says (per mention: id,
    text, offsets and stage; no stage_scores, factors or municipal score)."""
    import json
    import re
    from pathlib import Path

    from scanner.tag.tagger import Tagger

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("$ printf '%s\\n' '{\"id\": \"bb-1\""):]
    block = block[: block.index("```")]
    inputs = [json.loads(s) for s in re.findall(r"'(\{.*?\})'", block)]
    shown = [json.loads(line) for line in block.splitlines() if line.startswith('{"id"')]
    keep = {"technologies": ("id", "text", "start", "end", "stage"),
            "processes": ("id", "domain", "text", "start", "end", "stage")}
    outputs = []
    for result in Tagger().tag_many(inputs):  # the shipped tagger, as `scanner tag` runs it
        out = {k: v for k, v in result.items() if k not in ("stage_scores", "factors", "municipal_score",
                                                            "municipal_model")}
        for kind, fields in keep.items():
            out[kind] = [{f: m[f] for f in fields} for m in result[kind]]
        outputs.append(out)
    assert len(inputs) == len(shown) == 3 and outputs == shown
