"""Trend signals: classify the store, measure momentum, re-estimate horizons, discover new terms.

The public functions live in `scanner.signals.api` (classify, trends, horizons, explain, emerging,
process_impact, run_signals). This package module stays empty on purpose: opening a Store imports
`scanner.signals.schema`, which must not pull in pandas, scipy and scikit-learn, and several
submodules share their names with API functions (`trends`, `emerging`, `classify`).
"""
