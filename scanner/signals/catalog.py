"""What the signals stage needs from the catalogue, as plain records (tests pass small fakes)."""
from __future__ import annotations

from dataclasses import dataclass

from scanner.catalogue import Catalogue
from scanner.store import Store


@dataclass(frozen=True)
class TechInfo:
    """One technology as the signals, the review and the digest show it."""

    id: str
    name: str
    family: str
    baseline: str
    baseline_date: str = ""  # YYYY-MM; analysts' additions shown before the catalogue merges them have none


@dataclass(frozen=True)
class ProcessInfo:
    id: str
    name: str
    domain: str
    baseline: str


def resolve(store: Store, catalogue: Catalogue | None = None) -> Catalogue:
    """The given catalogue, else the lexicon merged with the store's accepted additions."""
    if catalogue is not None:
        return catalogue
    from scanner.catalogue import load_catalogue

    return load_catalogue(store=store)


def technologies(catalogue: Catalogue) -> list[TechInfo]:
    """Technologies sorted by id, baseline date normalised to YYYY-MM."""
    out = []
    for tech in catalogue.technologies.values():
        out.append(TechInfo(
            id=tech.id, name=getattr(tech, "name", tech.id), family=getattr(tech, "family", ""),
            baseline=str(getattr(tech, "baseline_horizon", "0-3")),
            baseline_date=str(getattr(tech, "baseline_date", "2019-06") or "2019-06")[:7],
        ))
    return sorted(out, key=lambda t: t.id)


def processes(catalogue: Catalogue) -> list[ProcessInfo]:
    out = []
    for proc in getattr(catalogue, "processes", {}).values():
        out.append(ProcessInfo(
            id=proc.id, name=getattr(proc, "name", proc.id), domain=getattr(proc, "domain", ""),
            baseline=str(getattr(proc, "baseline_impact", "slow")),
        ))
    return sorted(out, key=lambda p: p.id)
