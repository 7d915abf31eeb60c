"""Behavioural tests of the stage (CheckList, Ribeiro et al. 2020) on real test excerpts.

INV tests perturb what must not change the stage (numbers, amounts, head counts, municipality and
person names, an unrelated local-news sentence, title case, sentence order); DIR tests add what must
move it (a stopped project raises P(setback); a decision not to introduce it lowers P(adoption)).
A case fails when the tagger's document stage changes (INV) or the probability moves the wrong way (DIR).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from scanner.train.realtext import RealRecord

NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'‘“])")
SWAP = {"Utrecht": "Zwolle", "Amsterdam": "Groningen", "Rotterdam": "Tilburg", "Den Haag": "Breda",
        "Eindhoven": "Arnhem", "Zwolle": "Utrecht", "Groningen": "Amsterdam", "Tilburg": "Rotterdam"}
ADD = {  # per language: the sentence each test appends
    "amount": {"nl": "Daarmee is een bedrag van 250.000 euro gemoeid.", "en": "The budget is 250,000 euros."},
    "head count": {"nl": "Er werken 35 medewerkers aan mee.", "en": "Some 35 staff members are involved."},
    "person name": {"nl": "Dat zegt wethouder Anna Jansen.", "en": "That is what councillor Anna Jones said."},
    "unrelated local news": {"nl": "Verder is de kermis dit jaar van 12 tot 15 juni op het Marktplein.",
                             "en": "Meanwhile the summer fair runs from 12 to 15 June on Market Square."},
    "stopped project": {"nl": "Inmiddels is het project stopgezet.", "en": "The project has since been stopped."},
    "decided not to": {"nl": "Uiteindelijk is besloten het niet in te voeren.",
                       "en": "In the end the council decided not to introduce it."},
}


def _lang(rec: RealRecord) -> str:
    return "en" if rec.lang == "en" else "nl"


def _append(key: str) -> Callable[[RealRecord], dict[str, str] | None]:
    def perturb(rec: RealRecord) -> dict[str, str]:
        return {"title": rec.title, "text": rec.text.rstrip() + " " + ADD[key][_lang(rec)]}
    return perturb


def _numbers(rec: RealRecord) -> dict[str, str] | None:
    if not NUMBER.search(rec.text):
        return None
    return {"title": rec.title, "text": NUMBER.sub(lambda m: str(int(re.sub(r"\D", "", m.group()) or 0) * 3 + 7),
                                                   rec.text)}


def _places(rec: RealRecord) -> dict[str, str] | None:
    found = [name for name in SWAP if name in rec.full_text]
    if not found:
        return None
    pattern = re.compile("|".join(re.escape(n) for n in found))
    return {"title": pattern.sub(lambda m: SWAP[m.group()], rec.title),
            "text": pattern.sub(lambda m: SWAP[m.group()], rec.text)}


def _title_case(rec: RealRecord) -> dict[str, str] | None:
    return {"title": rec.title.title(), "text": rec.text} if rec.title else None


def _order(rec: RealRecord) -> dict[str, str] | None:
    sents = SENTENCE.split(rec.text)
    if len(sents) < 4:
        return None
    return {"title": rec.title, "text": " ".join(sents[:2] + sents[2:][::-1])}


INV: dict[str, Callable[[RealRecord], dict[str, str] | None]] = {
    "numbers": _numbers, "amount": _append("amount"), "head count": _append("head count"),
    "municipality names": _places, "person name": _append("person name"),
    "unrelated local news": _append("unrelated local news"), "title case": _title_case, "sentence order": _order,
}
DIR: dict[str, tuple[Callable[[RealRecord], dict[str, str] | None], str, int, str | None]] = {
    # name: (perturbation, stage whose probability must move, +1 up / -1 down, only for this gold stage)
    "stopped project": (_append("stopped project"), "setback", +1, None),
    "decided not to": (_append("decided not to"), "adoption", -1, "adoption"),
}


def run_checklist(tagger: Any, records: list[RealRecord], limit: int = 120) -> dict[str, Any]:
    """Failure rates per test over up to `limit` stage-bearing excerpts (gold stage not none)."""
    pool = [r for r in records if r.stage != "none"][:limit]
    base = {r.id: res for r, res in zip(pool, tagger.tag_many([r.document for r in pool]))}
    tests = []
    for name, perturb in INV.items():
        cases = [(r, p) for r in pool if (p := perturb(r)) is not None]
        results = tagger.tag_many([{"id": r.id, **p} for r, p in cases])
        fails = sum(res.get("stage") != base[r.id].get("stage") for (r, _), res in zip(cases, results))
        tests.append({"name": name, "kind": "INV", "cases": len(cases), "failures": fails})
    for name, (perturb, stage, sign, only) in DIR.items():
        cases = [(r, p) for r in pool if (only is None or r.stage == only) and (p := perturb(r)) is not None]
        results = tagger.tag_many([{"id": r.id, **p} for r, p in cases])
        fails = sum(sign * ((res.get("stage_scores") or {}).get(stage, 0.0)
                            - (base[r.id].get("stage_scores") or {}).get(stage, 0.0)) <= 0
                    for (r, _), res in zip(cases, results))
        tests.append({"name": name, "kind": "DIR", "cases": len(cases), "failures": fails})
    for t in tests:
        t["rate"] = round(t["failures"] / t["cases"], 4) if t["cases"] else 0.0
    cases = sum(t["cases"] for t in tests)
    return {"sentences": len(pool), "cases": cases, "tests": tests,
            "failure_rate": round(sum(t["failures"] for t in tests) / cases, 4) if cases else 0.0}
