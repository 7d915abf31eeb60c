"""Ortt & Dees diffusion factors (and AWTI functions) as driver/barrier cue counts: a rule baseline."""
from __future__ import annotations

from typing import Iterable

from scanner.tag.rules import Cue


def factor_scores(cues: Iterable[Cue]) -> list[dict[str, object]]:
    """[{factor, polarity, score}] best first; score = 1 - 0.5**weight, so one cue gives 0.5."""
    weights: dict[tuple[str, str], float] = {}
    for cue in cues:
        factor, _, polarity = cue.key.rpartition(":")
        weights[(factor, polarity)] = weights.get((factor, polarity), 0.0) + cue.weight
    out = [{"factor": f, "polarity": p, "score": round(1.0 - 0.5 ** w, 3)} for (f, p), w in weights.items() if w > 0]
    return sorted(out, key=lambda d: (-float(d["score"]), str(d["factor"]), str(d["polarity"])))
