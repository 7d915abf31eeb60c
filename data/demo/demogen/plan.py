"""Plan the corpus: which item appears when, in which outlet, about what, at which stage."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from . import texts, vocab

START = date(2024, 11, 1)
MONTHS = [f"{2024 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(24)]  # 2024-11 .. 2026-10
END = datetime(2026, 10, 31, 23, 59, tzinfo=timezone.utc)
PLANTED = ("digital-twins", "drones", "gezichtsherkenning")
STEADY = {"cloud": 0.06, "zaaksystemen": 0.05, "social-media": 0.04}
DRONE_BURST = (date(2026, 3, 2), date(2026, 5, 25))  # first and last Monday of the burst weeks
DRONE_NORMAL, DRONE_BURST_PER_WEEK = 1, 6
GEZ_SETBACK_FROM = 10  # month index of 2025-09
GENAI_FROM = 2  # month index of 2025-01
STAGES = ["research", "pilot", "procurement", "adoption", "policy", "setback"]
STAGE_WEIGHTS = [20, 25, 15, 25, 10, 5]


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    langs: tuple[str, ...]
    source_type: str
    fmt: str  # rss2 | atom | rdf
    full_text: bool
    prefix: str
    weight: float


OUTLETS = [
    Outlet("demo-binnenlands-bestuur", "Demo Binnenlands Bestuur", ("nl",), "trade-press", "rss2", True, "bb", 3.0),
    Outlet("demo-ibestuur", "Demo iBestuur", ("nl",), "trade-press", "atom", True, "ib", 2.5),
    Outlet("demo-computable", "Demo Computable", ("nl",), "trade-press", "rdf", False, "cp", 2.0),
    Outlet("demo-agconnect", "Demo AG Connect", ("nl",), "trade-press", "rss2", False, "ag", 1.5),
    Outlet("demo-gemeente-nu", "Demo Gemeente.nu", ("nl",), "trade-press", "atom", False, "gn", 2.0),
    Outlet("demo-digitale-overheid", "Demo Digitale Overheid", ("nl",), "government", "rss2", False, "do", 1.5),
    Outlet("demo-vng", "Demo VNG Nieuws", ("nl",), "government", "rdf", False, "vng", 1.5),
    Outlet("demo-tno", "Demo TNO Insights", ("nl", "en"), "research", "atom", True, "tno", 0.8),
    Outlet("demo-horizon-advisory", "Demo Horizon Advisory", ("en",), "consultancy", "rss2", False, "ha", 1.5),
    Outlet("demo-global-forum", "Demo Global Forum Agenda", ("en",), "consultancy", "rdf", False, "gf", 1.0),
    Outlet("demo-tech-daily", "Demo Tech Daily", ("en",), "news", "atom", False, "td", 2.0),
    Outlet("demo-govtech-europe", "Demo GovTech Europe", ("en",), "news", "rss2", False, "ge", 1.5),
]
OUTLET_BY_ID = {o.id: o for o in OUTLETS}
BOZO_OUTLET = "demo-govtech-europe"


@dataclass
class Item:
    outlet: str
    lang: str
    published: datetime | None
    tech: str | None
    stage: str
    group: str  # background | steady | digital-twins | drones | gezichtsherkenning | genai | negative | syndicated | malformed
    title: str = ""
    lead: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    uid: str = ""
    dup_of: str | None = None
    defect: str | None = None
    slots: dict = field(default_factory=dict)


def month_total(m: int) -> int:
    """Overall monthly volume grows from 48 to 112 items so share of voice matters."""
    return round(48 + m * 64 / 23)


def month_start(m: int) -> date:
    y, mo = map(int, MONTHS[m].split("-"))
    return date(y, mo, 1)


def random_time(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(6, 21), rng.randint(0, 59), tzinfo=timezone.utc)


def random_in_month(rng: random.Random, m: int) -> datetime:
    start = month_start(m)
    nxt = month_start(m + 1) if m + 1 < len(MONTHS) else date(2026, 11, 1)
    return random_time(rng, start + timedelta(days=rng.randrange((nxt - start).days)))


class Planner:
    """Builds all items with unique titles and summaries from templates x slots."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.titles: set[str] = set()
        self.leads: set[str] = set()
        self.items: list[Item] = []

    # --- slots and text -------------------------------------------------------------------
    def slots(self, lang: str, tech: str | None, domains: str = "") -> dict[str, str]:
        rng = self.rng
        munis = rng.sample(vocab.MUNICIPALITIES, 4)
        if lang == "en" and rng.random() < 0.3:
            munis[0] = rng.choice(vocab.FOREIGN_CITIES)
        nl_terms, en_terms, tech_domains = vocab.TECH[tech] if tech else ("", "", "DBRSHP")
        procs = [p for p in vocab.PROCESSES if p[2] in (domains or tech_domains)] or vocab.PROCESSES
        proc = rng.choice(procs)
        aldermen = rng.sample(vocab.ALDERMEN, 2)
        return {
            "muni": munis[0], "muni2": munis[1], "muni3": munis[2], "muni4": munis[3],
            "tech": rng.choice((nl_terms if lang == "nl" else en_terms).split("|")) if tech else "",
            "proc": proc[0] if lang == "nl" else proc[1],
            "org": rng.choice(vocab.ORGS_NL if lang == "nl" else vocab.ORGS_EN),
            "vendor": rng.choice(vocab.VENDORS), "n": str(rng.randint(2, 40)), "n2": str(rng.randint(5, 60)),
            "months": str(rng.randint(3, 18)), "times": rng.choice(["twee", "drie", "vier"] if lang == "nl" else ["two", "three", "four"]),
            "people": str(rng.randint(120, 9000)),
            "alderman": aldermen[0], "alderman2": aldermen[1], "dept": rng.choice(vocab.DEPARTMENTS_NL),
            "prov": rng.choice(vocab.PROVINCES), "region": rng.choice(vocab.REGIONS),
        }

    def write_text(self, item: Item, domains: str = "") -> None:
        """Draw slots until title and lead are new (no verbatim repeats outside syndication)."""
        rng = self.rng
        for _ in range(50):
            slots = self.slots(item.lang, item.tech, domains)
            k = 4 if item.group == "syndicated" else rng.randint(2, 5)
            if item.group == "genai":
                title = texts.cap(texts.fill(rng.choice(texts.GENAI_TITLES[item.lang]), slots))
                pool = texts.GENAI_LEADS[item.lang]
                lead = [texts.cap(texts.fill(s, slots)) for s in rng.sample(pool, min(k, len(pool)))]
            else:
                title = texts.headline(rng, item.lang, item.stage, slots)
                lead = texts.lead_sentences(rng, item.lang, item.stage, slots, k)
            if title not in self.titles and " ".join(lead) not in self.leads:
                break
        self.titles.add(title)
        self.leads.add(" ".join(lead))
        item.title, item.lead, item.slots = title, lead, slots
        topical = [] if item.group == "genai" else [texts.cap(texts.fill(s, slots)) for s in
                                                      rng.sample(texts.TOPICAL[item.lang], rng.randint(2, 4))]
        item.body = texts.body_paragraphs(rng, item.lang, lead, slots, topical)

    def pick_outlet(self, lang: str, among: list[str] | None = None) -> str:
        cands = [o for o in OUTLETS if lang in o.langs and (among is None or o.id in among)]
        weights = [o.weight / (2 if len(o.langs) > 1 and lang == "nl" else 1) for o in cands]
        return self.rng.choices(cands, weights)[0].id

    def add(self, published: datetime | None, tech: str | None, stage: str, group: str,
            lang: str | None = None, outlet: str | None = None, domains: str = "") -> Item:
        lang = lang or ("nl" if self.rng.random() < 0.65 else "en")
        item = Item(outlet or self.pick_outlet(lang), lang, published, tech, stage, group)
        self.write_text(item, domains)
        self.items.append(item)
        return item
