"""The slice of the catalogue the review needs (names, families, domains), tolerant of a missing lexicon."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Callable

from scanner.catalogue import DOMAINS, FAMILIES, Catalogue, term_key
from scanner.signals.catalog import TechInfo
from scanner.store import Store

log = logging.getLogger(__name__)


@dataclass
class CatalogueView:
    techs: dict[str, TechInfo] = field(default_factory=dict)
    process_domain: dict[str, str] = field(default_factory=dict)
    term_owners: dict[str, str] = field(default_factory=dict)  # term_key(term) -> technology id

    @property
    def families(self) -> list[str]:
        return sorted(set(FAMILIES) | {t.family for t in self.techs.values() if t.family})

    @property
    def domains(self) -> list[str]:
        return sorted(set(DOMAINS) | set(self.process_domain.values()))

    def techs_in_family(self, family: str) -> list[str]:
        return sorted(t.id for t in self.techs.values() if t.family == family)

    def processes_in_domain(self, domain: str) -> list[str]:
        return sorted(p for p, d in self.process_domain.items() if d == domain)

    def name(self, tech: str | None) -> str:
        info = self.techs.get(tech or "")
        return info.name if info else (tech or "")


def from_catalogue(cat: Catalogue) -> CatalogueView:
    """The view of a catalogue: names, families, baselines, the owner of every term, process domains."""
    view = CatalogueView()
    for tid, tech in cat.technologies.items():
        view.techs[tid] = TechInfo(tid, tech.name or tid, tech.family, tech.baseline_horizon)
        for term in tech.all_terms() + list(tech.abbreviations):
            view.term_owners.setdefault(term_key(term), tid)
    for pid, proc in cat.processes.items():
        view.process_domain[pid] = proc.domain
    return view


def _add_store_additions(view: CatalogueView, store: Store) -> None:
    """Analyst-created technologies, so they show even before the catalogue loader merges them."""
    rows = store.query(
        "SELECT technology, data FROM lexicon_additions WHERE kind = 'technology' AND active = 1 ORDER BY id"
    )
    for row in rows:
        try:
            data = json.loads(row["data"] or "{}")
        except ValueError:
            data = {}
        tid = row["technology"]
        if tid and tid not in view.techs:
            view.techs[tid] = TechInfo(tid, data.get("name") or tid, data.get("family") or "",
                                       data.get("baseline_horizon") or "")


def load_view(store: Store, loader: Callable[[Store], Catalogue] | None = None) -> CatalogueView:
    """The catalogue (with analyst additions); an empty view plus additions when no lexicon is available."""
    try:
        if loader is None:
            from scanner.catalogue import load_catalogue

            cat = load_catalogue(store=store)
        else:
            cat = loader(store)
        view = from_catalogue(cat)
    except Exception as exc:  # a missing or broken lexicon must not take the review UI down
        log.warning("catalogue unavailable, showing ids only: %s", exc)
        view = CatalogueView()
    _add_store_additions(view, store)
    return view


def additions_stamp(store: Store) -> tuple[int, int]:
    """Changes whenever an addition is made or deactivated: the cache key for the view."""
    row = store.conn.execute(
        "SELECT COALESCE(MAX(id), 0), COALESCE(SUM(active), 0) FROM lexicon_additions"
    ).fetchone()
    return int(row[0]), int(row[1])
