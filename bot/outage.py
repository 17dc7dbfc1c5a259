"""Saying once that a remote service stopped answering, and once that it is back.

A flaky Bot API used to print a traceback per retry (225 lines in 20 s of 502s). Front ends keep
retrying with backoff, but an outage is now two lines: when it starts and when it ends.
"""

import time
from collections.abc import Callable


class OutageLog:
    """Tracks one service's health from the outcome of each request."""

    def __init__(
        self,
        service: str,
        report: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.service = service
        self._report = report
        self._clock = clock
        self._since: float | None = None
        self._failures = 0

    @property
    def down(self) -> bool:
        return self._since is not None

    def failed(self, reason: str) -> None:
        """A request failed for a reason that retrying may cure; said only for the first one."""
        self._failures += 1
        if self._since is None:
            self._since = self._clock()
            self._report(f"{self.service} is not answering ({reason}); retrying with backoff")

    def succeeded(self) -> None:
        """A request got through; after an outage, say how long it lasted."""
        if self._since is None:
            return
        lasted = self._clock() - self._since
        attempts = "attempt" if self._failures == 1 else "attempts"
        self._report(
            f"{self.service} is answering again after {lasted:.0f} s "
            f"({self._failures} failed {attempts})"
        )
        self._since, self._failures = None, 0


class RetrySchedule:
    """When to try each of many sources (feeds) again: after each consecutive failure the wait
    doubles from `base_s` up to `max_s`, and every outage is reported when it starts and ends."""

    def __init__(
        self,
        base_s: float,
        max_s: float,
        report: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_s = base_s
        self.max_s = max(base_s, max_s)
        self._report = report
        self._clock = clock
        self._outages: dict[str, OutageLog] = {}
        self._failures: dict[str, int] = {}
        self._next: dict[str, float] = {}

    def due(self, key: str) -> bool:
        return self._clock() >= self._next.get(key, 0.0)

    def failing(self) -> set[str]:
        return {key for key, outage in self._outages.items() if outage.down}

    def failed(self, key: str, reason: str) -> None:
        failures = self._failures.get(key, 0) + 1
        self._failures[key] = failures
        wait = min(self.base_s * 2 ** (failures - 1), self.max_s)
        self._next[key] = self._clock() + wait
        outage = self._outages.setdefault(key, OutageLog(key, self._report, self._clock))
        outage.failed(reason)

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)
        self._next.pop(key, None)
        outage = self._outages.pop(key, None)
        if outage is not None:
            outage.succeeded()
