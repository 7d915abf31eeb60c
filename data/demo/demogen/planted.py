"""The planted trends (a-e of issue 3) plus background, negatives, syndication and malformed items."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from . import texts
from .plan import (DRONE_BURST, DRONE_BURST_PER_WEEK, DRONE_NORMAL, END, GENAI_FROM, GEZ_SETBACK_FROM,
                   MONTHS, OUTLET_BY_ID, PLANTED, STAGE_WEIGHTS, STAGES, STEADY, Item, Planner,
                   month_total, random_in_month, random_time)
from .vocab import TECH


def digital_twins_counts(m: int) -> dict[str, int]:
    """Trend a: 2 -> 19 documents a month, stage mix shifting from research/pilot to procurement/adoption."""
    total = 2 + round(m * 17 / 23)
    late = round(total * (0.1 + 0.8 * m / 23))
    early = total - late
    return {"research": early // 2, "pilot": early - early // 2,
            "procurement": late // 2, "adoption": late - late // 2}


def genai_count(m: int) -> int:
    """Trend c: none before 2025-01, then 1 a month growing ~16% a month (23 in 2026-10)."""
    return 0 if m < GENAI_FROM else round(1.16 ** (m - GENAI_FROM))


def gez_counts(rng: random.Random, m: int) -> dict[str, int]:
    """Trend d: a quiet mix before 2025-09, then a run of setbacks."""
    if m < GEZ_SETBACK_FROM:
        return {rng.choice(["research", "pilot", "policy"]): 1, rng.choice(["research", "pilot"]): 1} \
            if m % 2 else {rng.choice(["research", "pilot", "policy"]): 1}
    counts = {"setback": rng.randint(3, 5)}
    if rng.random() < 0.5:
        counts["policy"] = 1
    return counts


def drone_weeks() -> list[date]:
    first = date(2024, 11, 4)
    return [first + timedelta(weeks=i) for i in range(104)]


def plan_planted(p: Planner) -> None:
    for m in range(len(MONTHS)):
        for stage, n in digital_twins_counts(m).items():
            for _ in range(n):
                p.add(random_in_month(p.rng, m), "digital-twins", stage, "digital-twins")
        for stage, n in sorted(gez_counts(p.rng, m).items()):
            for _ in range(n):
                p.add(random_in_month(p.rng, m), "gezichtsherkenning", stage, "gezichtsherkenning")
        for _ in range(genai_count(m)):
            stage = p.rng.choices(["research", "pilot", "adoption"], [2, 5, 2])[0]
            p.add(random_in_month(p.rng, m), None, stage, "genai")
    for monday in drone_weeks():
        burst = DRONE_BURST[0] <= monday <= DRONE_BURST[1]
        for _ in range(DRONE_BURST_PER_WEEK if burst else DRONE_NORMAL):
            day = monday + timedelta(days=p.rng.randrange(5 if monday.year == 2026 and monday.month == 10
                                                           and monday.day > 25 else 7))
            if burst:
                stage = p.rng.choices(["pilot", "adoption", "procurement"], [6, 2, 2])[0]
                p.add(random_time(p.rng, day), "drones", stage, "drones", domains="H")
            else:
                p.add(random_time(p.rng, day), "drones", p.rng.choice(STAGES[:5]), "drones")


def plan_background(p: Planner) -> None:
    """Steady share of voice for cloud/zaaksystemen/social-media, random other technologies to fill."""
    others = [t for t in TECH if t not in PLANTED and t not in STEADY]
    for m, month in enumerate(MONTHS):
        total = month_total(m)
        for tech, share in STEADY.items():
            for _ in range(round(total * share)):
                p.add(random_in_month(p.rng, m), tech, p.rng.choices(STAGES, STAGE_WEIGHTS)[0], "steady")
        have = sum(1 for it in p.items if it.published and it.published.strftime("%Y-%m") == month)
        for _ in range(max(0, total - have)):
            p.add(random_in_month(p.rng, m), p.rng.choice(others), p.rng.choices(STAGES, STAGE_WEIGHTS)[0],
                  "background")


def plan_negatives(p: Planner) -> None:
    """Ambiguous non-technology senses ('clouds', 'even appen'): no catalogue technology at all."""
    for i, (lang, title, sentences) in enumerate(texts.NEGATIVES):
        slots = p.slots(lang, None)
        item = Item(p.pick_outlet(lang), lang, random_in_month(p.rng, 3 + i * 3), None, "none", "negative")
        item.title = texts.fill(title, slots)
        item.lead = [texts.fill(s, slots) for s in sentences]
        item.body = texts.body_paragraphs(p.rng, lang, item.lead, slots, [])
        item.slots = slots
        p.titles.add(item.title)
        p.items.append(item)


SYND_SOURCES = {"nl": ["demo-digitale-overheid", "demo-vng"], "en": ["demo-global-forum", "demo-horizon-advisory"]}
SYND_TARGETS = {"nl": ["demo-binnenlands-bestuur", "demo-ibestuur", "demo-computable", "demo-agconnect", "demo-gemeente-nu"],
                "en": ["demo-tech-daily", "demo-govtech-europe", "demo-tno", "demo-horizon-advisory"]}


def plan_syndication(p: Planner, groups: int = 36) -> None:
    """Press releases re-posted in 2-4 more outlets, new title, light edits, different URL."""
    others = [t for t in TECH if t not in PLANTED and t not in STEADY]
    for g in range(groups):
        lang = "nl" if g % 3 else "en"
        m = p.rng.randrange(len(MONTHS))
        orig = p.add(random_in_month(p.rng, m), p.rng.choice(others), p.rng.choice(["pilot", "adoption", "policy"]),
                     "syndicated", lang, p.rng.choice(SYND_SOURCES[lang]))
        targets = [t for t in SYND_TARGETS[lang] if t != orig.outlet]
        for j, outlet in enumerate(p.rng.sample(targets, p.rng.randint(2, min(4, len(targets))))):
            published = min(END, orig.published + timedelta(days=p.rng.randint(0, 5), hours=p.rng.randint(1, 9)))
            copy = Item(outlet, lang, published, orig.tech, orig.stage, "syndicated", slots=orig.slots)
            for _ in range(30):
                title = texts.headline(p.rng, lang, orig.stage, orig.slots)
                if title not in p.titles:
                    break
            else:
                title = f"{orig.title} ({OUTLET_BY_ID[outlet].name})"
            p.titles.add(title)
            note = {"nl": "Bron: {src}.", "en": "Source: {src}."}[lang]
            lead = [f"{orig.slots['muni'].upper()} - {orig.lead[0]}"] + orig.lead[1:]
            if j % 2:
                lead.append(note.format(src=OUTLET_BY_ID[orig.outlet].name))
            copy.title, copy.lead = title, lead
            copy.body = [" ".join(copy.lead)] + orig.body[1:]
            copy.dup_of = id(orig)  # resolved to a uid once uids are assigned
            p.items.append(copy)


MALFORMED = [  # (outlet, defect)
    ("demo-agconnect", "missing-link"),
    ("demo-digitale-overheid", "missing-date"),
    ("demo-gemeente-nu", "missing-date"),
    ("demo-binnenlands-bestuur", "unparseable-date"),
    ("demo-agconnect", "broken-entities"),
    ("demo-horizon-advisory", "empty-description"),
]


def plan_malformed(p: Planner) -> None:
    others = [t for t in TECH if t not in PLANTED and t not in STEADY]
    for i, (outlet, defect) in enumerate(MALFORMED):
        lang = OUTLET_BY_ID[outlet].langs[0]
        published = datetime(2026, 2 + i, 10, 9, 30, tzinfo=timezone.utc)
        item = p.add(published, p.rng.choice(others), "pilot", "malformed", lang, outlet)
        item.defect = defect
        if defect == "empty-description":
            item.lead = []
