"""robots.txt for article pages: fetched once per host and run through urllib.robotparser."""
from __future__ import annotations

import logging
import threading
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from scanner.harvest.fetch import USER_AGENT, Fetcher

log = logging.getLogger(__name__)
AGENT = "horizonscan"


class RobotsCache:
    """Per-origin robots rules; a missing or unreachable robots.txt allows everything."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._rules: dict[str, RobotFileParser | None] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _origin_lock(self, origin: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(origin, threading.Lock())

    def allowed(self, url: str, allow_private: bool, logs: list[dict[str, Any]]) -> bool:
        """True when robots.txt permits our agent to fetch url (its fetch is appended to logs)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._origin_lock(origin):
            if origin not in self._rules:
                self._rules[origin] = self._load(origin, allow_private, logs)
        rules = self._rules[origin]
        return True if rules is None else rules.can_fetch(USER_AGENT, url) and rules.can_fetch(AGENT, url)

    def _load(self, origin: str, allow_private: bool, logs: list[dict[str, Any]]) -> RobotFileParser | None:
        result = self.fetcher.fetch(origin + "/robots.txt", allow_private=allow_private)
        logs.extend(result.log)
        if not result.ok or result.body is None:
            return None
        parser = RobotFileParser()
        parser.parse(result.body.decode("utf-8", "replace").splitlines())
        return parser
