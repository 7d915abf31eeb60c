"""Three to six headline sentences generated from the gathered context, each linked to its section."""
from __future__ import annotations

from typing import Any

from scanner.digest.i18n import HORIZONS, format_number, format_percent, label

MAX_HEADLINES = 6


def _join(items: list[str], lang: str) -> str:
    """'a', 'a en b', 'a, b en c' (English: 'and')."""
    word = " en " if lang == "nl" else " and "
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + word + items[-1]


def _movers(ctx: dict[str, Any], lang: str) -> str:
    movers = ctx["movers"]
    if not movers:
        return ("Geen technologie veranderde deze maand van horizon." if lang == "nl"
                else "No technology changed horizon this month.")
    parts = [f"{m['name']} ({label(HORIZONS, m['previous'], lang)} → {label(HORIZONS, m['estimate'], lang)})"
             for m in movers[:3]]
    more = len(movers) - len(parts)
    if lang == "nl":
        head = "Eén technologie verandert van horizon: " if len(movers) == 1 else \
            f"{len(movers)} technologieën veranderen van horizon: "
        tail = f" en {more} andere" if more else ""
    else:
        head = "One technology changes horizon: " if len(movers) == 1 else \
            f"{len(movers)} technologies change horizon: "
        tail = f" and {more} more" if more else ""
    return head + (", ".join(parts) + tail if more else _join(parts, lang)) + "."


def _riser(ctx: dict[str, Any], lang: str) -> str | None:
    if not ctx["risers"]:
        return None
    r = ctx["risers"][0]
    m, n = format_number(r["momentum"], lang), format_number(r["docs_month"], lang)
    if lang == "nl":
        return f"Sterkste stijger is {r['name']} met momentum {m} en {n} documenten deze maand."
    return f"The strongest riser is {r['name']} with momentum {m} and {n} documents this month."


def _faller(ctx: dict[str, Any], lang: str) -> str | None:
    if not ctx["fallers"]:
        return None
    f = ctx["fallers"][0]
    m = format_number(f["momentum"], lang)
    if lang == "nl":
        return f"De aandacht voor {f['name']} neemt het sterkst af (momentum {m})."
    return f"Attention to {f['name']} falls the most (momentum {m})."


def _bursts(ctx: dict[str, Any], lang: str) -> str | None:
    names = list(dict.fromkeys(b["name"] for b in ctx["bursts"]))[:3]
    if not names:
        return None
    if lang == "nl":
        return f"Plotselinge piek in de aandacht voor {_join(names, lang)}."
    return f"A sudden burst of attention for {_join(names, lang)}."


def _emerging(ctx: dict[str, Any], lang: str) -> str | None:
    terms = [f"“{e['term']}”" for e in ctx["emerging"][:3]]
    if not terms:
        return None
    if lang == "nl":
        return f"Nieuw aan de horizon: {_join(terms, lang)}."
    return f"New on the horizon: {_join(terms, lang)}."


def _impact(ctx: dict[str, Any], lang: str) -> str | None:
    impact = ctx["impact"]
    if not impact["total"]:
        return None
    now = next(s for s in impact["shares"] if s["term"] == "immediate")
    pct, base = format_percent(now["now"], lang), format_percent(now["baseline"], lang)
    if lang == "nl":
        return (f"{pct} van de {impact['total']} gemeentelijke processen wordt nu binnen drie jaar geraakt "
                f"(basislijn {base}).")
    return f"{pct} of the {impact['total']} municipal processes are now reached within three years (baseline {base})."


def headlines(ctx: dict[str, Any]) -> list[dict[str, str]]:
    """The headline sentences with the section anchor each one links to."""
    lang = ctx["lang"]
    candidates = [("movers", _movers(ctx, lang)), ("risers", _riser(ctx, lang)), ("risers", _bursts(ctx, lang)),
                  ("emerging", _emerging(ctx, lang)), ("impact", _impact(ctx, lang)),
                  ("risers", _faller(ctx, lang))]
    return [{"anchor": a, "text": text} for a, text in candidates if text][:MAX_HEADLINES]
