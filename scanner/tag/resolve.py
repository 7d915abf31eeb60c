"""Turn raw matcher hits into final mentions: negative senses removed, overlaps resolved."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Sequence

from scanner.tag.compounds import Hit
from scanner.tag.rules import NegativeRule, TagRules, Target

# exact phrase beats abbreviation beats compound beats hyphen part when spans are equally long
CONTEXT_CHARS = 400  # negative context words count within the sentence, at most this far from the mention
_PRIORITY = {"term": 0, "abbreviation": 1, "compound": 2, "part": 3}


def sentence_of(sent_starts: Sequence[int], start: int) -> int:
    return max(0, bisect_right(sent_starts, start) - 1)


def _cancelled(hit: Hit, text: str, rules: TagRules, sent: tuple[int, int],
               negative_spans: list[tuple[int, int, set[str]]]) -> NegativeRule | bool:
    """False when the hit stands; else the context rule that cancels it (True for a negative phrase)."""
    target = hit.target
    for start, end, ids in negative_spans:
        if target.id in ids and start < hit.end and hit.start < end:
            return True
    surface = text[hit.start : hit.end].lower()
    for rule in rules.negatives.get(target.id, ()):
        if rule.context is None or (rule.terms and target.base not in rule.terms and surface not in rule.terms):
            continue
        lo, hi = max(sent[0], hit.start - CONTEXT_CHARS), min(sent[1], hit.end + CONTEXT_CHARS)
        for found in rule.context.finditer(text, lo, hi):
            if not (found.start() < hit.end and hit.start < found.end()):
                return rule  # a context word elsewhere in the sentence (not the mention itself)
    return False


def drop_negatives(hits: list[Hit], text: str, rules: TagRules, sents: list[tuple[int, int]],
                   negative_spans: list[tuple[int, int, set[str]]]) -> list[Hit]:
    """Remove hits whose sentence has a negative context word or that overlap a negative phrase, and the
    hits of the same technology inside a removed one: they are the same words in the same sense ("mobiel"
    inside a cancelled "mobiel internet" beside 5G). A rule with `instead` keeps the hit as that other
    technology (same span and source)."""
    if not rules.negatives:
        return hits
    starts = [s for s, _ in sents]
    keep, dropped = [], []
    for hit in hits:
        if hit.target.id in rules.negatives:
            sent = sents[sentence_of(starts, hit.start)] if sents else (0, len(text))
            rule = _cancelled(hit, text, rules, sent, negative_spans)
            if rule:
                dropped.append(hit)
                if isinstance(rule, NegativeRule) and rule.instead:
                    keep.append(hit._replace(target=Target(hit.target.kind, rule.instead, hit.target.base)))
                continue
        keep.append(hit)
    if not dropped:  # almost always: no generator per kept hit
        return keep
    return [h for h in keep if not any(d.target.id == h.target.id and d.start <= h.start and h.end <= d.end
                                       for d in dropped)]


def _free(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps none of the sorted, disjoint taken intervals."""
    i = bisect_left(starts, start)
    if i < len(starts) and starts[i] < end:
        return False
    return not (i > 0 and ends[i - 1] > start)


def resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Per kind, the longest span wins (ties: exact term first); result in text order."""
    chosen: list[Hit] = []
    for kind in ("technology", "process"):
        starts: list[int] = []
        ends: list[int] = []
        ranked = sorted((h for h in hits if h.target.kind == kind),
                        key=lambda h: (h.start - h.end, _PRIORITY.get(h.source, 9), h.start, h.target.id))
        for hit in ranked:
            if not _free(starts, ends, hit.start, hit.end):
                continue
            i = bisect_left(starts, hit.start)
            starts.insert(i, hit.start)
            ends.insert(i, hit.end)
            chosen.append(hit)
    return sorted(chosen, key=lambda h: (h.start, h.target.kind, h.target.id))
