"""Politeness: a global cap on requests in flight, and per host a cap plus a minimum start interval."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator


class HostLimiter:
    """`with limiter.slot(host):` around each request; thread-safe."""

    def __init__(self, max_concurrency: int = 16, per_host: int = 2, host_delay_s: float = 0.0) -> None:
        self._global = threading.BoundedSemaphore(max(1, max_concurrency))
        self._per_host = max(1, per_host)
        self._delay = max(0.0, host_delay_s)
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    def _host_sem(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._hosts.get(host)
            if sem is None:
                sem = self._hosts[host] = threading.BoundedSemaphore(self._per_host)
            return sem

    def _reserve_start(self, host: str) -> float:
        """Book the next allowed start time for host; returns how long to wait."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + self._delay
            return start - now

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._host_sem(host):
            wait = self._reserve_start(host)
            if wait > 0:
                time.sleep(wait)
            with self._global:
                yield
