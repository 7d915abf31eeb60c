"""Commit order: sources are fetched in parallel but commit one after another in the order given.

Which copy of a near-duplicate is "first seen" (the original, the others `duplicate_of` it) then
depends on the sources file and each feed's item order, never on thread timing.
"""
from __future__ import annotations

import logging
import threading
from typing import Iterable

log = logging.getLogger(__name__)


class CommitOrder:
    """A turnstile: take(id) waits until every earlier id has been released, release(id) frees its turn."""

    def __init__(self, ids: Iterable[str], timeout_s: float = 3600.0) -> None:
        self._order = list(dict.fromkeys(ids))
        self._position = {source_id: n for n, source_id in enumerate(self._order)}
        self._released: set[str] = set()
        self._next = 0
        self._cond = threading.Condition()
        self._timeout = timeout_s

    def _advance(self) -> None:
        while self._next < len(self._order) and self._order[self._next] in self._released:
            self._next += 1

    def take(self, source_id: str) -> None:
        """Block until it is source_id's turn (an unknown id goes at once); past the timeout it goes anyway."""
        position = self._position.get(source_id)
        if position is None:
            return
        with self._cond:
            if not self._cond.wait_for(lambda: self._next >= position, timeout=self._timeout):
                log.warning("commit order: %s waited %.0f s for %s; committing out of order",
                            source_id, self._timeout, self._order[self._next])

    def release(self, source_id: str) -> None:
        """source_id has committed (or will not): the next one may go."""
        with self._cond:
            self._released.add(source_id)
            self._advance()
            self._cond.notify_all()
