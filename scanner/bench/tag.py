"""`scanner bench tag`: tagging throughput against spaCy's bare tokenizer on the same generated documents."""
from __future__ import annotations

import logging
import random
import time
from typing import Any

from scanner.tag.rules import LANGS, by_lang, get

log = logging.getLogger(__name__)

FILLER = {
    "nl": [
        "De gemeente {place} wil de dienstverlening aan inwoners verbeteren met {tech}.",
        "Volgens de wethouder is {tech} geen doel op zich, maar een middel om {proc} eenvoudiger te maken.",
        "In de gemeenteraad werd uitgebreid gesproken over de kosten en de privacy van {tech}.",
        "Medewerkers van het klantcontactcentrum krijgen een training over {tech} en {proc}.",
        "Het college laat eerst onderzoeken of {tech} past binnen de bestaande informatievoorziening.",
        "Na de zomer start een proef met {tech} in twee wijken van {place}.",
        "De aanbesteding voor {tech} wordt dit najaar gepubliceerd.",
        "Inwoners kunnen sinds maart via {tech} een afspraak maken voor {proc}.",
        "Er waren zorgen over een datalek, waarna het project tijdelijk werd stopgezet.",
        "De VNG werkt aan een landelijk kader voor het verantwoord gebruik van {tech}.",
        "Dat blijkt uit een rapport van de Rekenkamer dat deze week verscheen.",
        "Ook buurgemeenten tonen interesse, al is het budget voor volgend jaar nog onzeker.",
        "De leverancier verwacht dat de eerste resultaten binnen een half jaar zichtbaar zijn.",
        "Op de markt in het centrum stonden zaterdag kraampjes met groente, kaas en bloemen.",
        "Het regende de hele middag en boven de polder hing een dikke grijze wolk.",
        "De raadsvergadering van dinsdag duurde tot na middernacht.",
        "Volgens de fracties moet eerst duidelijk worden wat het kost en wie verantwoordelijk is.",
        "In de wijk zijn de meningen verdeeld, zo bleek tijdens een drukbezochte bewonersavond.",
        "De provincie draagt een deel van de kosten, de rest komt uit het eigen budget.",
        "Ambtenaren werken de plannen de komende maanden verder uit met maatschappelijke partners.",
        "Eerder dit jaar stemde de raad al in met een motie over dit onderwerp.",
        "De oppositie vindt dat het college te weinig heeft gedaan om inwoners te betrekken.",
        "Het plan moet uiterlijk in het voorjaar aan de raad worden voorgelegd.",
        "Vorig jaar liep een vergelijkbaar traject vertraging op door personeelstekort.",
        "De burgemeester benadrukte dat de veiligheid van inwoners voorop staat.",
    ],
    "en": [
        "The municipality of {place} wants to improve services for residents with {tech}.",
        "According to the alderman, {tech} is not a goal in itself but a way to simplify {proc}.",
        "The city council debated the costs and privacy risks of {tech} at length.",
        "Call centre staff will be trained in {tech} and {proc} later this year.",
        "The council first wants a study of whether {tech} fits the existing information systems.",
        "A pilot with {tech} starts in two neighbourhoods of {place} after the summer.",
        "The tender for {tech} will be published this autumn.",
        "Since March residents can use {tech} to book an appointment for {proc}.",
        "There were concerns about a data breach, after which the project was halted.",
        "The national association is drafting a framework for the responsible use of {tech}.",
        "That is the conclusion of an audit report published this week.",
        "Neighbouring towns are interested too, although next year's budget is uncertain.",
        "The supplier expects the first results to be visible within six months.",
        "On Saturday the market square was full of stalls selling vegetables, cheese and flowers.",
        "It rained all afternoon and a thick grey cloud hung over the fields.",
        "Tuesday's council meeting lasted until well after midnight.",
        "Several parties want clarity first about the costs and who will be responsible.",
        "Opinions in the neighbourhood are divided, as a crowded residents' evening showed.",
        "The province pays part of the costs and the rest comes from the city's own budget.",
        "Officials will work out the plans with community partners over the coming months.",
        "Earlier this year the council already backed a motion on the subject.",
        "The opposition says the executive has done too little to involve residents.",
        "The plan must be put before the council by spring at the latest.",
        "Last year a similar project was delayed by staff shortages.",
        "The mayor stressed that the safety of residents comes first.",
    ],
}
PLACES = ["Utrecht", "Groningen", "Zwolle", "Tilburg", "Almere", "Leiden", "Deventer", "Breda", "Delft", "Ede"]


def _terms(catalogue: Any, key: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {lang: [] for lang in LANGS}
    entries = get(catalogue, key) or {}
    for entry in entries.values() if isinstance(entries, dict) else entries:
        for lang, items in by_lang(get(entry, "terms")).items():
            out[lang].extend(str(t) for t in items)
    return {lang: items or ["digitale dienstverlening"] for lang, items in out.items()}


def generate_docs(catalogue: Any, n: int = 2000, words: int = 600, seed: int = 0) -> list[dict[str, str]]:
    """N varied nl/en documents of about `words` words from catalogue terms and filler sentences."""
    rng = random.Random(seed)
    techs, procs = _terms(catalogue, "technologies"), _terms(catalogue, "processes")
    docs = []
    for i in range(n):
        lang = "nl" if rng.random() < 0.6 else "en"
        sentences: list[str] = []
        count = 0
        while count < words:
            template = rng.choice(FILLER[lang])
            sentence = template.format(tech=rng.choice(techs[lang]), proc=rng.choice(procs[lang]),
                                       place=rng.choice(PLACES))
            sentences.append(sentence)
            count += len(sentence.split())
            if rng.random() < 0.15:
                sentences.append("\n\n")
        title = FILLER[lang][0].format(tech=rng.choice(techs[lang]), proc="", place=rng.choice(PLACES))
        docs.append({"id": f"bench-{i}", "title": title, "text": " ".join(sentences)})
    return docs


def _measure(tagger: Any, nlps: dict[str, Any], docs: list[dict[str, str]], batch_size: int,
             chunk: int = 100) -> tuple[float, float]:
    """(tagger CPU seconds, tokenizer-only CPU seconds), interleaved per chunk so load drift hits both alike."""
    tag_s = tok_s = 0.0
    for i in range(0, len(docs), chunk):
        part = docs[i : i + chunk]
        start = time.process_time()
        for _ in tagger.tag_many(part, batch_size):
            pass
        tag_s += time.process_time() - start
        langs = [tagger.prepare(0, d).pipeline for d in part]  # grouping only, outside the timing
        texts = {lang: [f"{d['title']}\n{d['text']}" for d, l in zip(part, langs) if l == lang] for lang in LANGS}
        start = time.process_time()
        for lang in LANGS:
            for _ in nlps[lang].tokenizer.pipe(texts[lang], batch_size=batch_size):
                pass
        tok_s += time.process_time() - start
    return tag_s, tok_s


def bench_tag(n: int = 2000, words: int = 600, seed: int = 0, batch_size: int = 64) -> dict[str, Any]:
    """{"docs_per_s", "tokenizer_only_docs_per_s", "ratio", "docs", "words_per_doc"} (CPU time, one core)."""
    from scanner.tag.tagger import Tagger

    import spacy

    tagger = Tagger(config={"use_stage_model": False, "use_relevance_model": False})
    nlps = {lang: spacy.blank(lang) for lang in LANGS}
    docs = generate_docs(tagger.catalogue, n, words, seed)
    warm = generate_docs(tagger.catalogue, 100, words, seed + 1)
    _measure(tagger, nlps, warm, batch_size)  # build both pipelines and warm both tokenizers' caches
    tag_s, tok_s = _measure(tagger, nlps, docs, batch_size)
    mentions = sum(len(r.get("technologies", [])) + len(r.get("processes", [])) for r in tagger.tag_many(docs[:200]))
    mentions = mentions * len(docs) / max(min(len(docs), 200), 1)
    avg_words = sum(len(d["text"].split()) + len(d["title"].split()) for d in docs) / max(len(docs), 1)
    rate, base = len(docs) / tag_s, len(docs) / tok_s
    return {"docs_per_s": round(rate, 1), "tokenizer_only_docs_per_s": round(base, 1),
            "ratio": round(rate / base, 3), "docs": len(docs), "words_per_doc": round(avg_words, 1),
            "mentions_per_doc": round(mentions / max(len(docs), 1), 1), "stage": tagger.model_version,
            **_with_model(nlps, docs, warm, batch_size)}


def _with_model(nlps: dict[str, Any], docs: list[dict[str, str]], warm: list[dict[str, str]],
                batch_size: int) -> dict[str, Any]:
    """The same documents with the trained stage and relevance classifiers on (issue 8 target)."""
    from scanner.tag.tagger import Tagger

    tagger = Tagger(config={"use_stage_model": True, "use_relevance_model": True})
    _measure(tagger, nlps, warm, batch_size)
    tag_s, _ = _measure(tagger, nlps, docs, batch_size)
    return {"with_classifier_docs_per_s": round(len(docs) / tag_s, 1),
            "classifier_version": tagger.model_version}
