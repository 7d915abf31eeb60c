"""Prefect flows wrapping the scanner library (the only package that imports prefect).

Import `flows.runtime` first and call `prepare(config)`: it sets a per-project PREFECT_HOME, switches
analytics off and starts (or reuses) a managed local Prefect server before prefect is imported.
"""
