"""Kleinberg's two-state burst automaton on weekly shares, Viterbi vectorised over technologies."""
from __future__ import annotations

import numpy as np


def state_costs(hits: np.ndarray, totals: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Negative log-likelihood of each week under the base rate and the burst rate (rows: series)."""
    hits = hits.astype(float)
    totals = np.broadcast_to(totals.astype(float), hits.shape)
    base = hits.sum(axis=1, keepdims=True) / np.maximum(totals.sum(axis=1, keepdims=True), 1.0)
    base = np.clip(base, 1e-9, 0.999)
    burst = np.clip(base * scale, 1e-9, 0.9999)
    misses = totals - hits
    cost0 = -(hits * np.log(base) + misses * np.log1p(-base))
    cost1 = -(hits * np.log(burst) + misses * np.log1p(-burst))
    return cost0, cost1


def viterbi(cost0: np.ndarray, cost1: np.ndarray, enter_cost: float) -> np.ndarray:
    """Cheapest state sequence (0 base, 1 burst) per row; entering a burst costs enter_cost."""
    rows, weeks = cost0.shape
    if weeks == 0:
        return np.zeros((rows, 0), dtype=bool)
    back = np.zeros((rows, weeks, 2), dtype=np.int8)
    c0, c1 = cost0[:, 0].copy(), enter_cost + cost1[:, 0]
    for t in range(1, weeks):
        stay0, from1 = c0, c1
        back[:, t, 0] = (from1 < stay0).astype(np.int8)
        new0 = np.minimum(stay0, from1) + cost0[:, t]
        up, stay1 = c0 + enter_cost, c1
        back[:, t, 1] = (stay1 <= up).astype(np.int8)
        new1 = np.minimum(up, stay1) + cost1[:, t]
        c0, c1 = new0, new1
    states = np.zeros((rows, weeks), dtype=np.int8)
    states[:, -1] = (c1 < c0).astype(np.int8)
    idx = np.arange(rows)
    for t in range(weeks - 1, 0, -1):
        states[:, t - 1] = back[idx, t, states[:, t]]
    return states.astype(bool)


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2])]


def detect(hits: np.ndarray, totals: np.ndarray, scale: float = 2.0, gamma: float = 1.0,
           min_weeks: int = 2, min_strength: float = 2.0) -> list[list[tuple[int, int, float]]]:
    """Per row, the bursts as (first week index, last week index, strength = cost saved)."""
    if hits.size == 0:
        return [[] for _ in range(hits.shape[0])]
    cost0, cost1 = state_costs(hits, totals, scale)
    states = viterbi(cost0, cost1, gamma * np.log(max(hits.shape[1], 2)))
    gain = cost0 - cost1
    out: list[list[tuple[int, int, float]]] = []
    for row in range(hits.shape[0]):
        found = []
        for first, last in runs(states[row]):
            strength = float(gain[row, first:last + 1].sum())
            if last - first + 1 >= min_weeks and strength >= min_strength:
                found.append((first, last, round(strength, 3)))
        out.append(found)
    return out
