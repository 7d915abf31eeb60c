"""All data gathering for the digest: one plain dict per month, rendered elsewhere.

Numbers come from the signals API (computed on the fly for the month's as-of date, so any month can be
rebuilt) plus a few SQL counts on the core, signals and harvest tables. Everything is sorted with a
tie-breaker so the same store and month always give the same dict.
"""
from __future__ import annotations

import json
import logging
import math
from datetime import date, timedelta
from typing import Any

from scanner.catalogue import DOMAINS, FAMILIES, HORIZONS, Catalogue
from scanner.config import Config, load_config
from scanner.digest import i18n
from scanner.digest.months import month_bounds, month_end, month_start, previous_month, recent_months
from scanner.digest.palette import family_colour
from scanner.signals.periods import is_partial
from scanner.store import Store

log = logging.getLogger(__name__)

IMPACT_TERMS = ["immediate", "coming", "slow"]


def _table_exists(store: Store, name: str) -> bool:
    row = store.conn.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?",
                             (name,)).fetchone()
    return row is not None


def _loads(value: Any, default: Any) -> Any:
    if value in (None, ""):
        return default
    if isinstance(value, (dict, list)):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return default


def _catalogue(store: Store) -> Any:
    from scanner.catalogue import load_catalogue

    return load_catalogue(store=store)


def _tech_name(tech: Any, fallback: str, lang: str) -> str:
    if tech is None:
        return fallback
    if lang == "en" and getattr(tech, "name_en", None):
        return str(tech.name_en)
    return str(getattr(tech, "name", None) or fallback)


def family_order(catalogue: Catalogue) -> list[str]:
    """The families in the catalogue's order (the schema's order when the lexicon lists none)."""
    return list(catalogue.families) or list(FAMILIES)


def family_name(catalogue: Catalogue, fam: str, lang: str) -> str:
    """The family's name in the lexicon (`name`, or `name_en` in English); its id when it has none."""
    entry = catalogue.families.get(fam) or {}
    return str(entry.get("name_en" if lang == "en" else "name") or fam)


def domain_name(catalogue: Catalogue, domain: str, lang: str) -> str:
    """The domain's name in the lexicon (`name`, or `name_en` in English); its id when it has none."""
    entry = catalogue.domains.get(domain) or {}
    return str(entry.get("name_en" if lang == "en" else "name") or domain)


def month_documents(store: Store, month: str) -> int:
    start, end = month_bounds(month)
    row = store.conn.execute(
        "SELECT count(*) FROM documents WHERE published >= ? AND published < ? AND duplicate_of IS NULL",
        (start, end)).fetchone()
    return int(row[0])


def gather(store: Store, month: str, lang: str = "nl", catalogue: Catalogue | None = None,
           config: Config | None = None) -> dict[str, Any]:
    """Everything the templates show for month (YYYY-MM), names in lang; raw numbers, no formatting.

    catalogue defaults to the lexicon plus the store's accepted additions (tests pass a small one);
    config is the run's configuration (loaded here when not given), used by every part of the digest.
    """
    config = config if config is not None else load_config()
    cfg = config["digest"]
    as_of = month_end(month)
    partial = is_partial(month)
    ctx: dict[str, Any] = {"month": month, "as_of": as_of.isoformat(), "lang": lang, "partial": partial,
                           "month_label": i18n.month_label(month, lang)
                           + (f" ({i18n.TEXT['partial_month'][lang]})" if partial else "")}
    if month_documents(store, month) == 0:
        ctx["empty"] = True
        return ctx
    from scanner.signals import api

    catalogue = catalogue if catalogue is not None else _catalogue(store)
    horizons = api.horizons(store, as_of, catalogue=catalogue, config=config)
    techs = _technologies(store, catalogue, api, horizons, as_of, month, lang, config)
    ctx.update(empty=False, technologies=techs, families=_families(catalogue, techs, lang))
    ctx["movers"] = sorted((t for t in techs if t["changed"]), key=lambda t: (t["moved"], t["name"].lower()))
    ctx["risers"], ctx["fallers"] = _risers_fallers(techs, int(cfg["risers_top"]))
    _attach_examples(store, month, ctx["risers"] + ctx["fallers"])
    ctx["bursts"] = _bursts(techs, month)
    ctx["emerging"] = _emerging(store, api, as_of, int(cfg["emerging_top"]), catalogue, config)
    impact = api.process_impact(store, as_of, catalogue=catalogue, config=config, horizons=horizons)  # horizons estimated once
    ctx["impact"] = _impact(catalogue, impact, techs, lang, int(cfg["reaching_top"]))
    ctx["scatter"] = _scatter(techs, ctx["impact"], cfg)
    ctx["decisions"] = _decisions(store, month)
    ctx["sources"] = _sources(store, month)
    ctx["parameters"] = _parameters(config, cfg, lang)
    ctx["limitations"] = i18n.LIMITATIONS[lang]
    names = _factor_names(catalogue, lang)
    _attach_factors(store, ctx["movers"], names)
    ctx["factor_table"] = _factor_table(store, techs, as_of, names, config["factors"])
    return ctx


def _technologies(store: Store, catalogue: Catalogue, api: Any, horizon_items: list[dict], as_of: date, month: str,
                  lang: str, config: Config) -> list[dict[str, Any]]:
    """One record per catalogue technology: horizon estimate, trend series, evidence documents."""
    cfg = config["digest"]
    horizons = {h["id"]: h for h in horizon_items}
    trends = {t["id"]: t for t in api.trends(store, as_of, catalogue=catalogue, config=config)}
    previous = _previous_probabilities(store, previous_month(month))
    months = recent_months(month, int(cfg["sparkline_months"]))
    names = _source_names(store)
    n_docs = int(cfg["evidence_documents"])
    out = []
    for tid in sorted(set(horizons) | set(trends)):
        h, tr = horizons.get(tid, {}), trends.get(tid, {})
        cat = catalogue.technologies.get(tid) if hasattr(catalogue, "technologies") else None
        est, prev = h.get("estimate") or "0-3", h.get("previous") or h.get("estimate") or "0-3"
        out.append({
            "id": tid, "name": _tech_name(cat, h.get("name") or tr.get("name") or tid, lang),
            "family": getattr(cat, "family", None) or h.get("family") or tr.get("family") or "",
            "baseline": h.get("baseline"), "estimate": est, "previous": prev,
            "changed": bool(h.get("changed", est != prev)), "moved": _direction(prev, est),
            "probabilities": h.get("probabilities") or {}, "prev_probabilities": _matching(previous.get(tid), prev),
            "evidence": int(h.get("evidence") or 0), "expected_year": h.get("expected_year"),
            "overridden": bool(h.get("overridden")), "override_reason": h.get("override_reason") or "",
            "docs": [_evidence_doc(e, names) for e in (h.get("top_evidence") or [])[:n_docs]],
            "municipalities": int(h.get("municipalities") or 0),
            "momentum": float(tr.get("momentum") or 0.0),
            "series": [float((tr.get("share_of_voice") or {}).get(m, 0.0)) for m in months],
            "docs_month": int((tr.get("documents") or {}).get(month, 0)),
            "documents_total": int(tr.get("documents_total") or sum((tr.get("documents") or {}).values())),
            "bursts": tr.get("bursts") or [],
        })
    return out


def _direction(previous: str, estimate: str) -> int:
    """-1 when the estimate moved to an earlier ring, +1 to a later one, 0 unchanged."""
    if previous not in HORIZONS or estimate not in HORIZONS or previous == estimate:
        return 0
    return -1 if HORIZONS.index(estimate) < HORIZONS.index(previous) else 1


def _evidence_doc(e: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    sid = e.get("source_id") or e.get("source") or ""
    return {"document_id": e.get("document_id"), "title": e.get("title") or "", "url": e.get("url") or "",
            "source": names.get(sid) or sid, "published": e.get("published") or "",
            "sentence": e.get("sentence") or "", "stage": e.get("stage") or "none"}


def _previous_probabilities(store: Store, month: str) -> dict[str, tuple[str, dict[str, float]]]:
    """Last month's stored (estimate, probabilities) from horizon_history, when signals stored that month."""
    if not _table_exists(store, "horizon_history"):
        return {}
    rows = store.conn.execute("SELECT tech, estimate, probabilities FROM horizon_history WHERE month = ?", (month,))
    return {tech: (est, _loads(p, None)) for tech, est, p in rows if _loads(p, None)}


def _matching(stored: tuple[str, dict[str, float]] | None, previous: str) -> dict[str, float] | None:
    """Stored probabilities only when their estimate is the computed previous one (else they are stale)."""
    return stored[1] if stored and stored[0] == previous else None


def _families(catalogue: Catalogue, techs: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    order = family_order(catalogue)
    for t in techs:
        if t["family"] not in order:
            order.append(t["family"])
    return [{"id": f, "name": family_name(catalogue, f, lang), "colour": family_colour(i)}
            for i, f in enumerate(order)]


def _risers_fallers(techs: list[dict[str, Any]], top: int) -> tuple[list[dict], list[dict]]:
    """Highest and lowest momentum among technologies with any coverage (ties by name)."""
    active = [t for t in techs if t["documents_total"] > 0]
    risers = sorted(active, key=lambda t: (-t["momentum"], t["name"].lower()))[:top]
    chosen = {t["id"] for t in risers}
    fallers = [t for t in sorted(active, key=lambda t: (t["momentum"], t["name"].lower())) if t["id"] not in chosen]
    return risers, fallers[:top]


def _attach_examples(store: Store, month: str, techs: list[dict[str, Any]]) -> None:
    """Each technology's latest document this month (title, url, source), so its count traces to a source."""
    ids = sorted({t["id"] for t in techs})
    found: dict[str, dict[str, Any]] = {}
    if ids:
        start, end = month_bounds(month)
        marks = ",".join("?" * len(ids))
        rows = store.query(
            "SELECT m.target AS tech, d.title, d.url, d.source_id AS source, d.published FROM mentions m "
            "JOIN documents d ON d.id = m.document_id WHERE m.kind = 'technology' AND m.target IN "
            f"({marks}) AND d.published >= ? AND d.published < ? AND d.duplicate_of IS NULL "
            "ORDER BY m.target, d.published DESC, d.id DESC", (*ids, start, end))
        names = _source_names(store)
        for r in rows:
            found.setdefault(r["tech"], {**r, "source": names.get(r["source"]) or r["source"]})
    for t in techs:
        t["example"] = found.get(t["id"])


def _bursts(techs: list[dict[str, Any]], month: str) -> list[dict[str, Any]]:
    """Bursts whose first week falls in the month (a week starting in the last days before it counts)."""
    first = (month_start(month) - timedelta(days=6)).isoformat()
    last = month_end(month).isoformat()
    out = []
    for t in techs:
        for b in t["bursts"]:
            if first <= str(b.get("start", ""))[:10] <= last:
                out.append({"tech": t["id"], "name": t["name"], "start": str(b.get("start")),
                            "end": str(b.get("end") or ""), "strength": float(b.get("strength") or 0.0)})
    return sorted(out, key=lambda b: (-b["strength"], b["name"].lower()))


def _emerging(store: Store, api: Any, as_of: date, top: int, catalogue: Catalogue,
              config: Config) -> list[dict[str, Any]]:
    """Emerging terms (candidates and accepted ones) with one example sentence and their review status."""
    out = []
    for e in api.emerging(store, as_of, top=top, catalogue=catalogue, config=config):
        examples = e.get("examples") or []
        out.append({"term": e["term"], "score": float(e.get("score") or 0.0),
                    "documents": int(e.get("documents") or 0), "sources": int(e.get("sources") or 0),
                    "first_seen": e.get("first_seen") or "", "example": examples[0] if examples else "",
                    "status": {"candidate": "open"}.get(e.get("status") or "candidate", e.get("status"))})
    return out


def _top_reach(reach: dict[str, int], names: dict[str, str], top: int, more: str) -> list[str]:
    """'Name (documents)' for the top technologies by shared documents, then '+N' for the rest."""
    ranked = sorted(reach.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0]).lower()))
    shown = [f"{names.get(x, x)} ({n})" if n else names.get(x, x) for x, n in ranked[:top]]
    return shown + ([more.format(n=len(ranked) - top)] if len(ranked) > top else [])


def _impact(catalogue: Catalogue, result: dict[str, Any], techs: list[dict[str, Any]], lang: str,
            top: int = 6) -> dict[str, Any]:
    """Shares per impact term (now and baseline, with counts) and processes grouped by domain."""
    procs = result.get("processes") or []
    shares = [{"term": term, "now": float(result.get("shares", {}).get(term, 0.0)),
               "baseline": float(result.get("baseline_shares", {}).get(term, 0.0)),
               "now_n": sum(p.get("estimate") == term for p in procs),
               "baseline_n": sum(p.get("baseline") == term for p in procs)} for term in IMPACT_TERMS]
    domains = _process_rows(catalogue, procs, {t["id"]: t["name"] for t in techs}, lang, top)
    known = list(catalogue.domains) or list(DOMAINS)
    ordered = [d for d in known if d in domains] + sorted(d for d in domains if d not in known)
    return {"total": len(procs), "shares": shares,
            "domains": [{"id": d, "name": domain_name(catalogue, d, lang),
                         "processes": sorted(domains[d], key=lambda p: p["name"].lower())} for d in ordered]}


def _process_rows(catalogue: Catalogue, procs: list[dict[str, Any]], names: dict[str, str], lang: str,
                  top: int) -> dict[str, list[dict[str, Any]]]:
    """Process rows (name in lang, terms, reaching technologies) keyed by domain."""
    cat_procs = getattr(catalogue, "processes", {}) or {}
    more = i18n.TEXT["more"][lang]
    domains: dict[str, list[dict[str, Any]]] = {}
    for p in procs:
        reach = _reaching(p.get("technologies") or [])
        domains.setdefault(p.get("domain") or "", []).append({
            "id": p["id"], "name": _tech_name(cat_procs.get(p["id"]), p.get("name") or p["id"], lang),
            "baseline": p.get("baseline"), "estimate": p.get("estimate"), "tech_ids": sorted(reach),
            "technologies": _top_reach(reach, names, top, more)})
    return domains


def _reaching(items: list[Any]) -> dict[str, int]:
    """{technology id: shared documents} from process_impact's list (dicts with id/documents, or ids)."""
    out: dict[str, int] = {}
    for item in items:
        if isinstance(item, dict):
            out[str(item.get("id"))] = int(item.get("documents") or 0)
        else:
            out[str(item)] = 0
    return out


def _scatter(techs: list[dict[str, Any]], impact: dict[str, Any], cfg: dict[str, Any]) -> dict[str, Any]:
    """Impact = breadth of processes and domains reached; certainty = probability and evidence volume."""
    reach: dict[str, set[str]] = {}
    doms: dict[str, set[str]] = {}
    for dom in impact["domains"]:
        for p in dom["processes"]:
            for tid in p["tech_ids"]:
                reach.setdefault(tid, set()).add(p["id"])
                doms.setdefault(tid, set()).add(dom["id"])
    top_reach = max([len(v) for v in reach.values()] + [1])
    n_domains = max(len(impact["domains"]), 1)
    ref = math.log1p(float(cfg["certainty_evidence_ref"]))
    w_p = float(cfg["certainty_weight_probability"])
    w_i = float(cfg["impact_weight_processes"])
    points = []
    for t in techs:
        n_p, n_d = len(reach.get(t["id"], ())), len(doms.get(t["id"], ()))
        p_est = float(t["probabilities"].get(t["estimate"], 0.0))
        volume = min(1.0, math.log1p(t["evidence"]) / ref) if ref > 0 else 0.0
        points.append({"id": t["id"], "name": t["name"], "family": t["family"], "processes": n_p,
                       "domains": n_d, "evidence": t["evidence"],
                       "impact": round(w_i * n_p / top_reach + (1 - w_i) * n_d / n_domains, 4),
                       "certainty": round(w_p * p_est + (1 - w_p) * volume, 4)})
    tx, ty = float(cfg["gamechanger_certainty"]), float(cfg["gamechanger_impact"])
    games = sorted((p for p in points if p["certainty"] >= tx and p["impact"] >= ty),
                   key=lambda p: (-(p["impact"] + p["certainty"]), p["name"].lower()))
    return {"points": points, "thresholds": (tx, ty), "gamechangers": games}


def _decisions(store: Store, month: str) -> list[dict[str, Any]]:
    """Analyst actions on flags and horizon overrides made this month, oldest first."""
    start, end = month_bounds(month)
    out: list[dict[str, Any]] = []
    if _table_exists(store, "flag_events") and _table_exists(store, "flags"):
        rows = store.query(
            "SELECT e.at, e.actor, e.action, e.reason, f.subject, f.title, f.type FROM flag_events e "
            "LEFT JOIN flags f ON f.id = e.flag_id WHERE e.at >= ? AND e.at < ? AND COALESCE(e.undone, 0) = 0 "
            "ORDER BY e.at, e.id", (start, end))
        out += [{"at": r["at"], "actor": r["actor"] or "", "action": r["action"] or "",
                 "subject": r["title"] or r["subject"] or "", "reason": r["reason"] or ""} for r in rows]
    if _table_exists(store, "overrides"):
        rows = store.query("SELECT tech, estimate, reason, created_by, created_at FROM overrides "
                           "WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id", (start, end))
        out += [{"at": r["created_at"], "actor": r["created_by"] or "", "action": f"override → {r['estimate']}",
                 "subject": r["tech"] or "", "reason": r["reason"] or ""} for r in rows]
    return sorted(out, key=lambda d: (str(d["at"]), d["actor"], d["subject"]))


def _sources(store: Store, month: str) -> dict[str, Any]:
    """Documents this month per source, source type and language; failed fetches from the harvest log."""
    start, end = month_bounds(month)
    where = "d.published >= ? AND d.published < ? AND d.duplicate_of IS NULL"
    by_source = store.query(
        f"SELECT COALESCE(d.source_id, '?') AS source, COALESCE(d.source_type, '?') AS type, count(*) AS count "
        f"FROM documents d WHERE {where} GROUP BY 1, 2 ORDER BY count DESC, source", (start, end))
    total = sum(r["count"] for r in by_source)
    by_type: dict[str, int] = {}
    for r in by_source:
        by_type[r["type"]] = by_type.get(r["type"], 0) + r["count"]
    langs = store.query(
        f"SELECT COALESCE(t.language, d.language, '?') AS language, count(*) AS count FROM documents d "
        f"LEFT JOIN doc_tags t ON t.document_id = d.id WHERE {where} GROUP BY 1 ORDER BY count DESC, language",
        (start, end))
    names = _source_names(store)
    for r in by_source:
        r["name"] = names.get(r["source"]) or r["source"]
    share = (lambda n: n / total if total else 0.0)
    return {"total": total, "n_sources": len({r["source"] for r in by_source}), "by_source": by_source,
            "by_type": [{"type": k, "count": v, "share": share(v)}
                        for k, v in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))],
            "languages": [{**r, "share": share(r["count"])} for r in langs],
            "failed": _failed_sources(store, start, end)}


def _source_names(store: Store) -> dict[str, str]:
    """Display names from the harvest engineer's sources table when it exists."""
    if not _table_exists(store, "sources"):
        return {}
    return {sid: name for sid, name in store.conn.execute("SELECT id, name FROM sources") if name}


def _failed_sources(store: Store, start: str, end: str) -> list[dict[str, Any]]:
    """Sources whose fetches failed this month, from the harvest engineer's fetch_log when it exists."""
    if not _table_exists(store, "fetch_log"):
        return []
    rows = store.query(
        "SELECT COALESCE(source_id, '?') AS source, count(*) AS count, max(COALESCE(error, 'HTTP ' || status)) "
        "AS error FROM fetch_log WHERE fetched_at >= ? AND fetched_at < ? AND (error IS NOT NULL OR status >= 400) "
        "GROUP BY 1 ORDER BY count DESC, source LIMIT 50", (start, end))
    names = _source_names(store)
    return [{**r, "name": names.get(r["source"]) or r["source"]} for r in rows]


def _parameters(config: dict[str, Any], cfg: dict[str, Any], lang: str = "en") -> list[dict[str, str]]:
    """The model's tunable numbers, flattened (section.key), each with its description and value in lang."""
    out: list[dict[str, str]] = []
    for section in cfg["parameter_sections"]:
        _flatten(section, config.get(section) or {}, out, lang)
    return out


def _flatten(prefix: str, values: dict[str, Any], out: list[dict[str, str]], lang: str = "en") -> None:
    for key, value in sorted(values.items()):
        if isinstance(value, dict) and any(isinstance(v, dict) for v in value.values()):
            _flatten(f"{prefix}.{key}", value, out, lang)
            continue
        name = f"{prefix}.{key}"
        out.append({"key": name, "label": i18n.parameter_label(name, lang), "value": _value_text(value, lang)})


def _value_text(value: Any, lang: str) -> str:
    """A configuration value for readers: stage, horizon, impact and source-type ids in lang, numbers as is."""
    def word(key: Any) -> str:
        for table in (i18n.STAGES, i18n.HORIZONS, i18n.IMPACTS, i18n.SOURCE_TYPES):
            if str(key) in table[lang]:
                return i18n.label(table, str(key), lang)
        return {"default": {"nl": "overig", "en": "other"}[lang]}.get(str(key), str(key))

    if isinstance(value, dict):
        return "; ".join(f"{word(k)}: {_value_text(v, lang)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(word(v) if isinstance(v, str) else _value_text(v, lang) for v in value) + "]"
    if isinstance(value, float):
        text = repr(int(value)) if value == int(value) else repr(value)
        return text.replace(".", ",") if lang == "nl" else text
    return str(value)


def _factor_names(catalogue: Catalogue, lang: str) -> dict[str, str]:
    """Factor/function id -> display name from the catalogue's factors.yaml (ids when it has none)."""
    raw = getattr(catalogue, "factors", None) or {}
    entries = [e for group in raw.values() if isinstance(group, list) for e in group] if isinstance(raw, dict) else []
    key = "name_en" if lang == "en" else "name"
    return {str(e["id"]): str(e.get(key) or e.get("name") or e["id"]) for e in entries
            if isinstance(e, dict) and e.get("id")}


def _attach_factors(store: Store, movers: list[dict[str, Any]], names: dict[str, str]) -> None:
    """Drivers and barriers named in the movers' evidence documents (doc_tags.factors), when tagged."""
    for m in movers:
        ids = [d["document_id"] for d in m["docs"] if d.get("document_id") is not None]
        counts: dict[tuple[str, str], int] = {}
        if ids:
            marks = ",".join("?" * len(ids))
            for (raw,) in store.conn.execute(f"SELECT factors FROM doc_tags WHERE document_id IN ({marks})", ids):
                for f in _loads(raw, []) or []:
                    if isinstance(f, dict) and f.get("factor"):
                        key = (str(f["factor"]), str(f.get("polarity") or "driver"))
                        counts[key] = counts.get(key, 0) + 1
        m["factors"] = [{"factor": names.get(k[0], k[0]), "polarity": k[1], "count": v}
                        for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:6]



def _factor_table(store: Store, techs: list[dict[str, Any]], as_of: date, names: dict[str, str],
                  cfg: dict[str, Any]) -> dict[str, Any]:
    """Top drivers and barriers over the trailing window for the technologies with the most momentum."""
    from scanner.signals.factors import factor_profile, top_factors

    months, top = int(cfg["months"]), int(cfg["digest_top"])
    active = [t for t in techs if t["documents_total"] > 0]
    chosen = sorted(active, key=lambda t: (-t["momentum"], t["name"].lower(), t["id"]))
    chosen = chosen[:int(cfg["digest_technologies"])]
    profile = factor_profile(store, as_of, months, techs=[t["id"] for t in chosen])
    rows = []
    for t in chosen:
        picked = top_factors(profile.get(t["id"], []), top)
        rows.append({"id": t["id"], "name": t["name"], "momentum": t["momentum"],
                     **{kind: [{"factor": r["factor"], "name": names.get(r["factor"], r["factor"]),
                                "documents": r["documents"]} for r in items] for kind, items in picked.items()}})
    return {"months": months, "rows": rows}
