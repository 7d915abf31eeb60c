"""Trend signals: classify the store, measure momentum, re-estimate horizons, discover new terms."""
from scanner.signals.api import (  # noqa: F401
    classify, classify_batch, emerging, explain, horizons, process_impact, run_signals, trends, write_rows,
)

# ARCHITECTURE.md names
compute_trends = trends
estimate_horizons = horizons
find_emerging = emerging

__all__ = ["classify", "classify_batch", "write_rows", "trends", "horizons", "explain", "emerging",
           "process_impact", "run_signals", "compute_trends", "estimate_horizons", "find_emerging"]
