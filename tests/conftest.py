"""Shared fixtures: an in-memory store, the real catalogue."""
from __future__ import annotations

import pytest

from scanner.store import Store


@pytest.fixture
def store() -> Store:
    s = Store(":memory:")
    yield s
    s.close()
