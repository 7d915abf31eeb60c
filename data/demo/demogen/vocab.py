"""Slot vocabulary for the demo corpus: technologies, processes, places, organisations.

Self-contained on purpose (not read from lexicon/) so that the generated corpus never changes when
the lexicon is edited. Every technology phrase below is a realistic trade-press phrasing.
"""
from __future__ import annotations

# id -> (dutch phrasings, english phrasings, domain codes of plausible processes)
# domain codes: D dienstverlening, B bedrijfsvoering, R ruimtelijk-fysiek, S sociaal-domein,
#               H handhaving-toezicht, P bestuur-participatie
TECH: dict[str, tuple[str, str, str]] = {
    "kantoorautomatisering": ("kantoorautomatisering|kantoorsoftware|een digitale werkplek", "office automation|office software|a digital workplace", "B"),
    "procesapplicaties": ("vakapplicaties|een nieuwe vakapplicatie|procesapplicaties", "line-of-business applications|process applications", "BS"),
    "gis-systemen": ("een GIS-systeem|GIS|een geo-informatiesysteem", "GIS|a geographic information system", "R"),
    "basisregistraties": ("de basisregistraties|de BAG-registratie|koppelingen met de BRP", "base registries|the key registers", "DB"),
    "digid-eherkenning": ("DigiD|eHerkenning|inloggen met DigiD", "DigiD|eHerkenning", "D"),
    "berichtenbox": ("de Berichtenbox", "the Berichtenbox|the government message box", "D"),
    "mijnoverheid": ("MijnOverheid|MijnOverheid.nl", "MijnOverheid", "D"),
    "personal-web": ("een persoonlijke internetpagina|persoonlijke webpagina's", "personalised web pages|a personal web page", "D"),
    "apps": ("een gemeente-app|apps|een nieuwe app", "a city app|mobile apps", "DH"),
    "data-analyse": ("data-analyse|datagedreven werken|data-analyses", "data analytics|data analysis", "BSR"),
    "data-visualisatie": ("datavisualisatie|datavisualisaties", "data visualisation|data visualizations", "BP"),
    "wifi": ("gratis wifi|een wifi-netwerk|wifi in het centrum", "public Wi-Fi|a free wifi network", "R"),
    "digi-voorzieningen": ("de GDI-voorzieningen|de DIGI-voorzieningen|de generieke digitale infrastructuur", "the generic digital infrastructure|GDI building blocks", "DB"),
    "social-media": ("sociale media|social media|Instagram en TikTok", "social media|social media channels", "DP"),
    "epayment": ("iDEAL|digitaal betalen|online betalen", "e-payment|online payments", "D"),
    "cameras": ("camera's|beveiligingscamera's|cameratoezicht|bodycams", "CCTV|security cameras|bodycams", "H"),
    "vingerafdrukken": ("vingerafdrukken|vingerafdrukscanners", "fingerprints|fingerprint scanners", "D"),
    "zaaksystemen": ("een zaaksysteem|zaakgericht werken|een nieuw zaaksysteem", "a case management system|case management systems", "B"),
    "workflowsystemen": ("een workflowsysteem|workflowmanagement", "a workflow system|workflow automation", "B"),
    "managementinformatie": ("managementinformatie|stuurinformatie|business intelligence", "management information|business intelligence", "B"),
    "webportals": ("een webportaal|een klantportaal|een ondernemersportaal", "a web portal|a citizen portal", "D"),
    "dashboards": ("een dashboard|dashboards|een wijkdashboard", "a dashboard|dashboards", "BP"),
    "digitale-diensten": ("digitale dienstverlening|digitale diensten|e-dienstverlening", "digital services|online services", "D"),
    "drones": ("drones|een drone|inspectiedrones|politiedrones", "drones|a drone|UAVs", "HR"),
    "cloud": ("de cloud|clouddiensten|cloudopslag|een cloudoplossing", "the cloud|cloud services|public cloud", "B"),
    "mobiel": ("mobiel werken|smartphones voor medewerkers|mobiele apparaten", "mobile working|smartphones for staff", "BH"),
    "g34-netwerken": ("het 4G-netwerk|4G|de uitfasering van 3G", "the 4G network|4G", "R"),
    "iot-platforms": ("een IoT-platform|het Internet of Things|IoT", "an IoT platform|the Internet of Things|IoT", "R"),
    "robotic-process-automation": ("RPA|robotic process automation", "RPA|robotic process automation", "BS"),
    "textmining": ("textmining|tekstanalyse", "text mining|sentiment analysis", "BP"),
    "gamification": ("gamification|een serious game", "gamification|serious games", "P"),
    "training-vr-ar": ("VR-training|trainen met virtual reality|VR-brillen voor training", "VR training|virtual reality training", "BH"),
    "social-media-analyse": ("social-media-analyse|sociale-mediamonitoring", "social media monitoring|social listening", "PH"),
    "lora": ("LoRaWAN|een LoRa-netwerk|LoRa", "LoRaWAN|a LoRa network", "R"),
    "sensornetwerken": ("parkeersensoren|luchtkwaliteitssensoren|een sensornetwerk|sensoren", "a sensor network|air quality sensors|parking sensors", "R"),
    "blockchain": ("blockchain|blockchaintechnologie", "blockchain|distributed ledger technology", "DS"),
    "beslisalgoritmes": ("algoritmes|een beslisalgoritme|algoritmische besluitvorming|risicoprofilering", "algorithms|algorithmic decision-making|risk profiling", "SH"),
    "slimme-infrastructuren": ("slimme lantaarnpalen|slimme verkeerslichten|slimme infrastructuur", "smart streetlights|smart traffic lights|smart infrastructure", "R"),
    "dienstenplatforms": ("een dienstenplatform|een regionaal dienstenplatform", "a service platform|an online platform", "DS"),
    "persoonlijke-assistent": ("een digitale persoonlijke assistent|een spraakassistent|slimme speakers", "a digital personal assistant|voice assistants|a smart speaker", "D"),
    "e-democracy-tools": ("e-participatie|digitale participatie|een online burgerpanel", "e-participation|e-democracy tools|online participation", "P"),
    "chatbots": ("een chatbot|chatbots", "a chatbot|chatbots", "DS"),
    "zelfrijdende-voertuigen": ("een zelfrijdende bus|zelfrijdende voertuigen|een autonome shuttle", "self-driving vehicles|an autonomous shuttle|a driverless bus", "R"),
    "privacy-enhancing-technologies": ("privacyverhogende technologie|PET's|synthetische data", "privacy-enhancing technologies|PETs|synthetic data", "BS"),
    "dienstenrobots": ("een servicerobot|zorgrobots|dienstenrobots", "service robots|a care robot", "SD"),
    "natural-language-processing": ("natural language processing|NLP|taaltechnologie", "natural language processing|NLP", "BP"),
    "machine-learning": ("machine learning|voorspellende modellen", "machine learning|predictive models", "BSR"),
    "spraakherkenning": ("spraakherkenning|spraak-naar-tekst|automatisch notuleren", "speech recognition|speech-to-text", "PB"),
    "g5-netwerken": ("5G|een 5G-netwerk|5G-antennes", "5G|a 5G network", "R"),
    "datamarktplaatsen": ("een datamarktplaats|een dataruimte", "a data marketplace|a data space", "RB"),
    "gezichtsherkenning": ("gezichtsherkenning|gezichtsherkenningssoftware|automatische gezichtsherkenning", "facial recognition|face recognition", "H"),
    "wearables": ("wearables|slimme horloges|smartwatches", "wearables|smartwatches", "SH"),
    "digital-twins": ("een digitale tweeling|een digital twin|digitale tweelingen", "a digital twin|digital twins|a city digital twin", "R"),
    "vr-ar-steden-gebouwen": ("een virtuele maquette|3D-visualisaties|virtuele rondleidingen", "a virtual city|3D visualisations|virtual tours", "RP"),
}

# (dutch phrase, english phrase, domain code)
PROCESSES: list[tuple[str, str, str]] = [
    ("paspoortaanvragen", "passport applications", "D"),
    ("het doorgeven van verhuizingen", "change-of-address registrations", "D"),
    ("Wmo-aanvragen", "social support (Wmo) applications", "S"),
    ("bijstandsaanvragen", "welfare applications", "S"),
    ("omgevingsvergunningen", "environmental permits", "R"),
    ("parkeervergunningen", "parking permits", "D"),
    ("afvalinzameling", "waste collection", "R"),
    ("bouwinspecties", "building inspections", "H"),
    ("werving en selectie", "recruitment", "B"),
    ("rijbewijsaanvragen", "driving licence applications", "D"),
    ("bezwaarschriften", "objections", "B"),
    ("meldingen openbare ruimte", "public space reports", "R"),
    ("handhaving in het centrum", "enforcement in the city centre", "H"),
    ("schuldhulpverlening", "debt counselling", "S"),
    ("jeugdzorg", "youth care", "S"),
    ("leerlingenvervoer", "school transport", "S"),
    ("evenementenvergunningen", "event permits", "H"),
    ("raadsvergaderingen", "council meetings", "P"),
    ("Woo-verzoeken", "freedom of information requests", "P"),
    ("het klantcontactcentrum", "the customer contact centre", "D"),
    ("onderhoud van de openbare verlichting", "street lighting maintenance", "R"),
    ("groenonderhoud", "parks maintenance", "R"),
    ("verkeersmanagement", "traffic management", "R"),
    ("de inkoop", "procurement administration", "B"),
    ("de financiële administratie", "financial administration", "B"),
    ("inspraak bij ruimtelijke plannen", "consultation on spatial plans", "P"),
    ("toezicht op kamerverhuur", "oversight of room rentals", "H"),
    ("inburgering", "civic integration", "S"),
]

MUNICIPALITIES = [
    "Utrecht", "Amsterdam", "Rotterdam", "Den Haag", "Eindhoven", "Groningen", "Tilburg", "Almere",
    "Breda", "Nijmegen", "Apeldoorn", "Haarlem", "Arnhem", "Enschede", "Amersfoort", "Zaanstad",
    "Den Bosch", "Zwolle", "Leiden", "Maastricht", "Dordrecht", "Zoetermeer", "Ede", "Delft",
    "Deventer", "Alkmaar", "Helmond", "Venlo", "Leeuwarden", "Hengelo", "Gouda", "Hilversum",
    "Súdwest-Fryslân", "Westland", "Emmen", "Roosendaal", "Oss", "Purmerend", "Assen", "Heerlen",
]
FOREIGN_CITIES = ["Helsinki", "Barcelona", "Manchester", "Copenhagen", "Vienna", "Tallinn", "Ghent",
                  "Antwerp", "Hamburg", "Lyon", "Dublin", "Oslo"]
PROVINCES = ["Utrecht", "Gelderland", "Noord-Brabant", "Overijssel", "Zuid-Holland", "Noord-Holland",
             "Limburg", "Friesland", "Groningen", "Drenthe", "Flevoland", "Zeeland"]
REGIONS = ["Metropoolregio Amsterdam", "regio Twente", "Drechtsteden", "regio Foodvalley",
           "Holland Rijnland", "regio Noord-Veluwe", "Brainport-regio", "regio Zuid-Limburg"]
ALDERMEN = ["De Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "De Boer", "Mulder",
            "De Groot", "Bos", "Vos", "Peters", "Hendriks", "Van Dijk", "Dekker", "Brouwer",
            "El Amrani", "Yilmaz", "Van der Meer", "Kuipers"]
VENDORS = ["Demo Datawerk B.V.", "Noordlicht ICT", "Civitas Solutions", "GemNet Diensten",
           "Polder Systems", "Stadslab Software", "Rijnmond Digital", "Kompas IT"]
DEPARTMENTS_NL = ["Publiekszaken", "Sociaal Domein", "Stadsbeheer", "Vergunningen", "Informatievoorziening",
                  "Handhaving", "Belastingen", "Ruimtelijke Ordening"]
ORGS_NL = ["Demo TNO Insights", "de Demo VNG", "Demo Digitale Overheid", "een onderzoeksbureau",
           "de Demo Rekenkamer", "het Demo Kenniscentrum Gemeenten"]
ORGS_EN = ["Demo TNO Insights", "Demo Horizon Advisory", "the Demo Global Forum", "a consultancy",
           "the Demo Local Government Institute"]

# generative-AI vocabulary the catalogue does not cover (trend c)
GENAI_TERMS = ["generatieve AI", "generative AI", "taalmodel", "large language model", "LLM",
               "AI-agent", "agentic AI", "GPT"]
