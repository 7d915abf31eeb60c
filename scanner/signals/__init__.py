"""Trend signals: classify the store, measure momentum, re-estimate horizons, discover new terms."""
